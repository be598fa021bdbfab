"""Crash safety: a landing killed (SIGKILL) at any write leaves no partial document visible and lands exactly
once when re-run; an unreadable warehouse is found and set aside, and one in use is left alone; a dbt build that
crashes is run once more.

Covered elsewhere, not repeated here: a pull killed mid-way resumes and lands nothing twice
(tests/sp_api/test_secrets_and_resume.py::test_an_interrupted_pull_resumes_without_duplicates); a ledger line
torn by a crash is skipped and the next append starts on a new line
(tests/sp_api/test_ledger.py::test_the_ledger_keeps_the_latest_state_and_survives_a_torn_last_line). A
corrupted warehouse rebuilt by `fbaudit run` with identical marts: tests/reliability/test_concurrency.py
(every run is a whole dbt build, so one slow test covers that and two runs at once).
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import textwrap

import duckdb
import pytest
import yaml

from dagster_project.cli import usable_warehouse
from dagster_project.project import DBT_DIR
from ingestion.land import land_file

LEDGER = "ledger_detail/ledger_detail_na.tsv"  # region-wide: one Parquet file per marketplace (US, CA)
# land_file's atomic writes, in order, for that document
WRITES = ("raw bytes", "US rows", "CA rows", "documents row")

# Lands one file in a child process whose `n`-th atomic write is killed by SIGKILL: "torn" half-way through
# writing its temp file (before the rename), or "renamed" just after it.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    from pathlib import Path
    from ingestion import land
    from ingestion.settings import Settings

    data_dir, path, n, moment = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    real, calls = land._write_atomic, []

    def crashing(target, write):
        calls.append(target)

        def write_then_die(tmp):
            write(tmp)
            os.truncate(tmp, tmp.stat().st_size // 2)
            os.kill(os.getpid(), signal.SIGKILL)

        real(target, write_then_die if len(calls) == n and moment == "torn" else write)
        if len(calls) == n:
            os.kill(os.getpid(), signal.SIGKILL)

    land._write_atomic = crashing
    land.land_file(path, seller_id="S1", marketplace_code="US",
                   settings=Settings(data_dir, date(2026, 9, 30), data_dir / "sellers.yml"))
""")


def lake_reader(report: str, data_dir) -> str:
    """The relation dbt reads a lake table through (the `lake` source's external_location)."""
    sources = yaml.safe_load((DBT_DIR / "models/staging/lake/_lake__sources.yml").read_text(encoding="utf-8"))
    (table,) = [t for t in sources["sources"][0]["tables"] if t["name"] == report]
    location = table["config"]["meta"]["external_location"]
    return location.replace("{{ env_var('FBAUDIT_DATA_DIR') }}", str(data_dir))


def visible_rows(settings, document_id: str) -> tuple[int, int]:
    """(rows of the document in the lake, rows a reader sees: those whose documents row exists)."""
    rows = lake_reader("ledger_detail", settings.data_dir)
    documents = lake_reader("_documents", settings.data_dir)
    return duckdb.sql(f"""
        select count(*), count(d.document_id) from {rows} r
        left join {documents} d on d.document_id = r._document_id and d.seller_id = r.seller_id
        where r._document_id = '{document_id}'""").fetchone()


@pytest.mark.parametrize("moment", ["torn", "renamed"])
@pytest.mark.parametrize("n", range(1, len(WRITES) + 1), ids=WRITES)
def test_a_landing_killed_at_any_write_shows_nothing_partial_and_lands_once_when_rerun(settings, reports_dir,
                                                                                       n, moment):
    path = reports_dir / LEDGER
    child = subprocess.run([sys.executable, "-c", CHILD, str(settings.data_dir), str(path), str(n), moment],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr

    parquet = sorted(settings.lake_dir.rglob("*.parquet"))
    for file in parquet:  # every file a reader can see is whole
        duckdb.sql(f"select count(*) from read_parquet('{file}')").fetchone()
    assert all(not f.name.startswith(".") for f in parquet)  # temp files never match a reader's glob
    committed = n == len(WRITES) and moment == "renamed"
    _, seen = visible_rows(settings, hashlib.sha256(path.read_bytes()).hexdigest())
    assert seen == (6 if committed else 0)

    result = land_file(path, seller_id="S1", marketplace_code="US", settings=settings)

    assert result.status == ("duplicate" if committed else "landed")
    assert visible_rows(settings, result.document_id) == (6, 6)  # every row exactly once
    (documents,) = duckdb.sql(f"select count(*) from {lake_reader('_documents', settings.data_dir)} "
                              f"where document_id = '{result.document_id}'").fetchone()
    assert documents == 1
    assert len(list(settings.landing_dir.rglob(f"{result.document_id}.gz"))) == 1


def test_an_unreadable_warehouse_is_set_aside_and_one_in_use_is_left_alone(tmp_path, capsys):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select range i, 'x' || range s from range(300000)")
    assert usable_warehouse(warehouse) and warehouse.exists()

    hold = f"import duckdb, sys; c = duckdb.connect({str(warehouse)!r}); print('open', flush=True); input()"
    holder = subprocess.Popen([sys.executable, "-c", hold],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "open\n"
    assert not usable_warehouse(warehouse)  # another process writes it: not corrupt, not moved
    holder.communicate("\n")
    assert warehouse.exists() and "open for writing" in capsys.readouterr().err

    size = warehouse.stat().st_size
    with warehouse.open("r+b") as out:  # a data block, not the header: found only by reading the table
        out.seek(size // 2)
        out.write(os.urandom(65536))
    assert usable_warehouse(warehouse)
    (aside,) = tmp_path.glob("warehouse.duckdb.corrupt-*")
    assert not warehouse.exists() and aside.stat().st_size == size
    assert "is unreadable (IO Error: Corrupt database file" in capsys.readouterr().out


# Started before anything else in every Python process of a run (PYTHONPATH): while fewer than CRASH_TIMES
# builds have crashed (counted in CRASH_COUNT), a `dbt build` kills itself with SIGSEGV after CRASH_AFTER s.
SEGFAULT = textwrap.dedent("""
    import os, signal, sys, threading
    from pathlib import Path

    count = Path(os.environ["CRASH_COUNT"])
    crashed = int(count.read_text()) if count.exists() else 0
    if Path(sys.argv[0]).name == "dbt" and "build" in sys.argv and crashed < int(os.environ["CRASH_TIMES"]):
        count.write_text(str(crashed + 1))
        timer = threading.Timer(float(os.environ["CRASH_AFTER"]), os.kill, (os.getpid(), signal.SIGSEGV))
        timer.daemon = True
        timer.start()
""")


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_dbt_build_that_crashes_is_run_once_more_and_builds_the_same_marts(secret_demo, copy_of_demo, rel):
    site, count = copy_of_demo.cwd / "crashing", copy_of_demo.cwd / "crashes"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SEGFAULT)
    env = {**copy_of_demo.env, "PYTHONPATH": str(site), "CRASH_COUNT": str(count), "CRASH_AFTER": "15"}
    stopped = "dbt build stopped: dbt crashed (SIGSEGV); building again from the start\ndbt build ...\n"

    twice = rel.fbaudit("run", "--no-dashboards", env={**env, "CRASH_TIMES": "2"}, cwd=copy_of_demo.cwd)

    output = twice.stdout + twice.stderr
    assert twice.returncode == 1 and count.read_text() == "2", output[-3000:]
    assert output.count(stopped) == 1
    assert "fbaudit run failed: step dbt_models failed: dbt exited with code -11" in twice.stderr

    once = rel.fbaudit("run", "--no-dashboards", env={**env, "CRASH_TIMES": "3"}, cwd=copy_of_demo.cwd)

    output = once.stdout + once.stderr
    assert once.returncode == 0 and count.read_text() == "3", output[-3000:]
    assert output.count(stopped) == 1
    build_line = re.compile(r"^dbt build: (.*) \(\d+ s\)$", re.MULTILINE)
    demo_run = next(text for args, text in secret_demo.outputs.items() if args.startswith("run"))
    assert build_line.findall(output) == build_line.findall(demo_run)  # counts of the last attempt only
    assert rel.mart_checksums(copy_of_demo.data / "warehouse.duckdb") == copy_of_demo.marts
