"""`fbaudit demo` then `fbaudit run`, as a user runs them, in a fresh data folder."""

import json
import os
import shutil
import subprocess

import duckdb
import pytest

from dagster_project.project import REPO_ROOT, dbt_project
from ingestion.catalog import REPORTS


def fbaudit(*args: str, cwd, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "FBAUDIT_AS_OF": "2026-09-30"}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run(
        ["uv", "run", "--no-sync", "--project", str(REPO_ROOT), "fbaudit", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
    )


def staging_relations() -> dict[str, list[str]]:
    """The staging models reading each lake table, by report name, from the dbt manifest."""
    nodes = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    return {
        spec.name: [
            n["relation_name"] for n in nodes
            if n["resource_type"] == "model" and n["fqn"][1] == "staging"
            and f"source.fbaudit.lake.{spec.name}" in n["depends_on"]["nodes"]
        ]
        for spec in REPORTS
    }


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_demo_then_run_fills_staging_for_every_report(tmp_path):
    data_dir = tmp_path / "data"
    demo = fbaudit("demo", cwd=tmp_path, data_dir=data_dir)
    assert demo.returncode == 0, demo.stderr
    run = fbaudit("run", "--no-dashboards", cwd=tmp_path, data_dir=data_dir)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Warehouse rows" in run.stdout

    relations = staging_relations()
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        for report, models in relations.items():
            assert models, f"no staging model reads lake.{report}"
            for relation in models:
                (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
                assert rows > 0, f"{relation} is empty after the demo run"
    assert (data_dir / ".dagster" / "dagster.yaml").exists()

    # the next run builds the lake staging tables incrementally; --full-refresh builds them in full, same rows
    def rerun(*flags: str) -> dict[str, int]:
        again = fbaudit("run", "--no-dashboards", *flags, cwd=tmp_path, data_dir=data_dir)
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
        build = json.loads((data_dir / ".dagster" / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))
        assert build["args"].get("full_refresh", False) == bool(flags), build["args"]
        with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
            return {r: con.execute(f"select count(*) from {r}").fetchone()[0] for m in relations.values() for r in m}

    assert rerun() == rerun("--full-refresh")


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_quarantined_file_fails_the_run_after_the_rest_is_built(tmp_path, reports_dir):
    data_dir = tmp_path / "data"
    inbox = data_dir / "inbox" / "S1" / "US"
    inbox.mkdir(parents=True)
    shutil.copy(reports_dir / "reimbursements" / "reimbursements_us.tsv", inbox)
    shutil.copy(reports_dir / "bad" / "unknown_header.tsv", inbox)

    run = fbaudit("run", "--no-dashboards", "--as-of", "2026-09-30", cwd=tmp_path, data_dir=data_dir)

    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"1 file(s) quarantined, see {data_dir / 'quarantine'}" in run.stderr
    assert "unknown_header.tsv" in run.stdout
    (relation,) = staging_relations()["reimbursements"]
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(f"select count(*) from {relation}").fetchone()[0] > 0
