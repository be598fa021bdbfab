"""End to end: land fixture documents into a fresh lake, `dbt build`, and read the staging tables."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.catalog import MARKETPLACES, REPORTS
from ingestion.land import land_file
from ingestion.settings import Settings

pytestmark = pytest.mark.slow

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
MARKETPLACE_CODES = {m.code for m in MARKETPLACES}
SELLER = "A1FIXTURES"
SCENARIO_SELLER = "A2OVERLAP"
LEDGER_HEADER = (
    "Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\t"
    "Reason\tCountry"
)


def ledger_document(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([LEDGER_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def ledger_row(day: str, event_type: str, reference_id: str, quantity: int, reason: str = "",
               country: str = "US") -> str:
    return "\t".join([day, "X00SCENARIO", "B0SCENARIO", "SKU-SCENARIO", "Scenario item", event_type,
                      reference_id, str(quantity), "PHX7", "SELLABLE", reason, country])


def land_fixtures(reports_dir: Path, settings: Settings) -> None:
    for spec in REPORTS:
        for path in sorted((reports_dir / spec.name).iterdir()):
            suffix = path.stem.rsplit("_", 1)[-1].upper()  # settlement_de.tsv is for DE; anything else US
            code = suffix if suffix in MARKETPLACE_CODES else "US"
            result = land_file(path, seller_id=SELLER, marketplace_code=code, settings=settings)
            assert result.status != "quarantined", result.error


def land_overlapping_ledger(tmp_path: Path, settings: Settings) -> None:
    """An older July 1-5 document, then a newer July 3-10 one that edits, drops and adds rows."""
    older = ledger_document(
        tmp_path / "ledger_older.tsv",
        ledger_row("07/01/2026", "Receipts", "FBA15SCEN1", 24),
        ledger_row("07/03/2026", "Adjustments", "ADJ-M", -2, "M"),
        ledger_row("07/03/2026", "CustomerReturns", "114-0000000-0000001", 1),
        ledger_row("07/05/2026", "Adjustments", "ADJ-E", -1, "E", country="CA"),
    )
    newer = ledger_document(
        tmp_path / "ledger_newer.tsv",
        ledger_row("07/03/2026", "Adjustments", "ADJ-M", -3, "M"),
        ledger_row("07/06/2026", "Shipments", "SHIP-1", -1),
        ledger_row("07/06/2026", "Shipments", "SHIP-1", -1),
    )
    for path, created, covers in (
        (older, datetime(2026, 7, 6, 12, tzinfo=UTC), (date(2026, 7, 1), date(2026, 7, 5))),
        (newer, datetime(2026, 7, 11, 12, tzinfo=UTC), (date(2026, 7, 3), date(2026, 7, 10))),
    ):
        result = land_file(path, seller_id=SCENARIO_SELLER, marketplace_code="US", settings=settings,
                           created_at=created, covers=covers, load_source="sp_api")
        assert result.status == "landed", result.error


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tmp_path = tmp_path_factory.mktemp("dbt")
    settings = Settings(data_dir=tmp_path / "data", as_of=date(2026, 9, 30), sellers_file=tmp_path / "s.yml")
    land_fixtures(Path(__file__).resolve().parents[1] / "fixtures" / "reports", settings)
    land_overlapping_ledger(tmp_path, settings)
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(settings.data_dir), "DO_NOT_TRACK": "1"}
    command = [shutil.which("dbt") or "dbt", "build", "--project-dir", str(DBT_DIR), "--profiles-dir",
               str(DBT_DIR), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
               # staging and the seeds it reads: the hand-written fixtures are not a balanced business, so the
               # marts' invariants (tested end to end on the demo seller) do not hold on them
               "--select", "+path:models/staging/lake", "--indirect-selection", "cautious"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-5000:]
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    yield con
    con.close()


def test_every_staging_table_holds_the_landed_rows(warehouse: duckdb.DuckDBPyConnection) -> None:
    for spec in REPORTS:
        count = warehouse.sql(
            f"select count(*) from staging.stg_lake__{spec.name} where seller_id = '{SELLER}'"
        ).fetchone()[0]
        assert count > 0, spec.name
    documents = warehouse.sql("select count(*) from staging.stg_lake__documents").fetchone()[0]
    assert documents >= len(REPORTS) + 2


def test_latest_document_wins_on_overlapping_windows(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.sql(f"""
        select event_date, event_type, reference_id, quantity, reason_code, marketplace_id
        from staging.stg_lake__ledger_detail
        where seller_id = '{SCENARIO_SELLER}'
        order by event_date, reference_id, source_row_id
    """).fetchall()
    assert rows == [
        (date(2026, 7, 1), "Receipts", "FBA15SCEN1", 24, None, "ATVPDKIKX0DER"),  # only the older covers it
        (date(2026, 7, 3), "Adjustments", "ADJ-M", -3, "M", "ATVPDKIKX0DER"),  # edited by the newer
        (date(2026, 7, 6), "Shipments", "SHIP-1", -1, None, "ATVPDKIKX0DER"),  # two identical rows:
        (date(2026, 7, 6), "Shipments", "SHIP-1", -1, None, "ATVPDKIKX0DER"),  # both real, both kept
    ]  # the July 3 return and the July 5 CA adjustment were dropped by the newer document


def test_timestamps_become_marketplace_local_dates(warehouse: duckdb.DuckDBPyConnection) -> None:
    approved = warehouse.sql(f"""
        select approved_at, approved_date, reason_code
        from staging.stg_lake__reimbursements
        where seller_id = '{SELLER}' and reimbursement_id = '5566779012'
    """).fetchall()
    # 2026-08-03T17:22:09-07:00 is past midnight UTC, and still August 3 in Los Angeles
    assert approved == [(datetime(2026, 8, 4, 0, 22, 9), date(2026, 8, 3), "customerreturn")]


def test_settlement_summary_row_is_carried_onto_its_lines(warehouse: duckdb.DuckDBPyConnection) -> None:
    lines = warehouse.sql(f"""
        select count(*), count(transaction_type), min(settlement_total_amount), max(settlement_total_amount)
        from staging.stg_lake__settlements
        where seller_id = '{SELLER}' and settlement_id = '12345678901'
    """).fetchone()
    count, with_type, low, high = lines
    assert count > 0 and with_type == count
    assert low == high == Decimal("1234.56")


def test_a_null_in_a_declared_column_fails_the_models_not_null_test(
    warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """not_null_columns (one test for a model's declared columns) passes on the built table and fails, naming the
    column, once one row has a null in one of them."""
    built = warehouse.sql("select path from duckdb_databases() where database_name = current_database()").fetchone()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(built[0], data_dir / "warehouse.duckdb")

    def run_tests() -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "DO_NOT_TRACK": "1"}
        command = [shutil.which("dbt") or "dbt", "test", "--project-dir", str(DBT_DIR), "--profiles-dir",
                   str(DBT_DIR), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
                   "--select", "stg_lake__reimbursements,test_name:not_null_columns", "--store-failures"]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    passing = run_tests()
    assert passing.returncode == 0 and " 1 test in " in passing.stdout, passing.stdout[-3000:]
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute("update staging.stg_lake__reimbursements set marketplace_id = null "
                    "where source_row_id = (select min(source_row_id) from staging.stg_lake__reimbursements)")
    failing = run_tests()
    assert failing.returncode == 1 and "Got 1 result" in failing.stdout, failing.stdout[-3000:]
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        failures = [t for (t,) in con.sql("select table_schema || '.' || table_name from information_schema.tables "
                                          "where table_name like 'not_null_columns%'").fetchall()]
        assert len(failures) == 1, failures
        assert con.sql(f"select null_column from {failures[0]}").fetchall() == [("marketplace_id",)]
