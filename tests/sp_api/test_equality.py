"""The same demo seller through the file drop and through the emulator gives the same claims."""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from ingestion.emulator import start

AS_OF = date(2026, 9, 30)
DEMO = ["--skus", "8", "--days", "150"]


def fbaudit(data_dir: Path, *args: str, **env: str) -> None:
    environment = {
        **os.environ,
        "FBAUDIT_DATA_DIR": str(data_dir),
        "FBAUDIT_AS_OF": AS_OF.isoformat(),
        "FBAUDIT_SELLERS": str(data_dir / "sellers.yml"),
        **env,
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("fbaudit")), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"fbaudit {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_file_drop_and_emulator_find_the_same_claims(tmp_path):
    drop, api = tmp_path / "drop", tmp_path / "api"
    fbaudit(drop, "demo", *DEMO)
    fbaudit(drop, "run", "--no-dashboards")
    with start(as_of=AS_OF, skus=8, days=150, marketplaces=("US", "DE")) as emulator:
        emulator.write_sellers_file(api / "sellers.yml")
        fast = {"FBAUDIT_SP_API_SPEEDUP": "1000"}
        fbaudit(api, "demo", "--no-reports", *DEMO)
        fbaudit(api, "pull", "--since", (AS_OF - timedelta(days=150)).isoformat(), **fast)
        fbaudit(api, "run", "--no-dashboards", **fast)
    query = "SELECT * FROM marts.fct_claim_opportunities"
    with duckdb.connect(str(drop / "warehouse.duckdb"), read_only=True) as con:
        expected = con.sql(query).fetchall()
        columns = [c[0] for c in con.sql(query).description]
    with duckdb.connect(str(api / "warehouse.duckdb"), read_only=True) as con:
        actual = con.sql(query).fetchall()
        assert [c[0] for c in con.sql(query).description] == columns
    assert expected, "the demo seller should have claims"
    assert sorted(actual, key=repr) == sorted(expected, key=repr)
