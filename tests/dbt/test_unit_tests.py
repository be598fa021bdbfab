"""Every dbt unit test (the SQL logic on fixtures: each claim rule's positive case and its look-alikes), run the
way a build runs them: `dbt build --empty` builds every model with no rows over an empty lake, each model's unit
tests first. The pipeline's own build leaves unit tests out (dagster_project.project.BUILD_ARGS)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ingestion.lake import ensure_lake
from ingestion.queue.log import ensure_claim_files
from ingestion.settings import Settings
from tests.dbt.test_staging import DBT_DIR

pytestmark = pytest.mark.slow


def test_every_dbt_unit_test_passes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", as_of=date(2026, 9, 30), sellers_file=tmp_path / "s.yml")
    ensure_lake(settings.lake_dir)
    ensure_claim_files(settings)
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(settings.data_dir), "DO_NOT_TRACK": "1"}
    target = tmp_path / "target"
    command = [shutil.which("dbt") or "dbt", "build", "--empty", "--exclude-resource-type", "test",
               "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target-path", str(target),
               "--log-path", str(target)]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    statuses = Counter(r["status"] for r in results if r["unique_id"].startswith("unit_test."))
    failed = [f"{r['unique_id']}: {r['message']}" for r in results
              if r["unique_id"].startswith("unit_test.") and r["status"] != "pass"]
    assert run.returncode == 0 and not failed, "\n".join(failed) or run.stdout[-5000:]
    declared = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["unit_tests"]
    assert statuses == {"pass": len(declared)} and len(declared) >= 60, statuses
