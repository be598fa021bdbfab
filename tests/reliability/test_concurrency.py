"""Concurrency: runs in one data folder take turns (a run lock), readers keep reading the published copy.

One slow test, because every `fbaudit run` is a whole dbt build: two runs start at once over a corrupted
warehouse (the first sets it aside and rebuilds it from the lake: the marts are identical to before; a deleted
warehouse is the same rebuild without the setting aside), a third gives up waiting with a clear message,
`fbaudit claims list` works meanwhile, and a reader holding the published copy open (as Evidence does) keeps
reading it.
"""

import subprocess
import time

import duckdb
import pytest

WAITING = "another fbaudit run is in progress (pid "
LOCK_ERRORS = ("Could not set lock", "Conflicting lock", "database is locked")


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_two_runs_at_once_over_a_corrupted_warehouse_take_turns_rebuild_it_and_readers_keep_reading(
        copy_of_demo, rel):
    data, env, cwd = copy_of_demo.data, copy_of_demo.env, copy_of_demo.cwd
    warehouse = data / "warehouse.duckdb"
    size = warehouse.stat().st_size
    with warehouse.open("r+b") as out:  # bytes overwritten from a third of the file on
        out.seek(size // 3)
        out.write(b"\xde\xad\xbe\xef" * (size // 12))
    claims = "select count(*), sum(claim_amount) from marts.fct_claim_opportunities"
    reader = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    before = reader.execute(claims).fetchone()
    logs = [(cwd / f"run{i}.out", cwd / f"run{i}.err") for i in (1, 2)]
    runs = [subprocess.Popen([*rel.command, "run", "--no-dashboards"], cwd=cwd, env=env,
                             stdout=out.open("w"), stderr=err.open("w")) for out, err in logs]
    try:
        deadline = time.monotonic() + 300
        while not any(WAITING in err.read_text() for _, err in logs):
            assert time.monotonic() < deadline and all(r.poll() is None for r in runs), "no run waited"
            time.sleep(0.5)

        listed = rel.fbaudit("claims", "list", env=env, cwd=cwd, timeout=300)  # while a run is in progress
        impatient = rel.fbaudit("run", "--no-dashboards", "--wait", "1", env=env, cwd=cwd, timeout=300)
        assert all(r.poll() is None for r in runs)
        codes = [r.wait(timeout=1500) for r in runs]
    finally:
        for r in runs:
            r.kill()
    outputs = [out.read_text() + err.read_text() for out, err in logs]

    assert codes == [0, 0], "\n".join(o[-3000:] for o in outputs)
    assert sum(WAITING in o for o in outputs) == 1
    assert sum(f"the warehouse {warehouse} is unreadable" in o for o in outputs) == 1
    assert len(list(data.glob("warehouse.duckdb.corrupt-*"))) == 1
    assert listed.returncode == 0 and "total " in listed.stdout, listed.stdout[-2000:] + listed.stderr[-2000:]
    assert impatient.returncode == 1
    assert "fbaudit run: gave up after 1 s" in impatient.stderr and WAITING in impatient.stderr
    for output in [*outputs, listed.stdout + listed.stderr, impatient.stdout + impatient.stderr]:
        assert not [e for e in LOCK_ERRORS if e in output], output[-3000:]
    assert reader.execute(claims).fetchone() == before  # its copy was replaced under it, not changed
    reader.close()
    assert rel.mart_checksums(warehouse) == copy_of_demo.marts
    assert rel.mart_checksums(data / "published" / "warehouse.duckdb") == copy_of_demo.marts
