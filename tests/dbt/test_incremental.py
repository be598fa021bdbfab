"""The lake staging models are incremental, keyed on landed documents: a build over existing tables reads only
the scope of the documents landed since, and must leave exactly the rows a full build would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.lake import ensure_lake
from ingestion.land import land_file
from ingestion.settings import Settings
from tests.dbt.test_staging import DBT_DIR, land_fixtures, ledger_document, ledger_row

pytestmark = pytest.mark.slow

SELLER = "A3INCREMENT"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
INVENTORY_HEADER = (FIXTURES / "inventory" / "inventory_us.tsv").read_text(encoding="utf-8").splitlines()[0]


def dbt_build(settings: Settings, target: Path, *extra: str) -> str:
    """Build the lake staging tables (and the seeds they read) with their data tests; dbt's output."""
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(settings.data_dir), "DO_NOT_TRACK": "1"}
    command = [shutil.which("dbt") or "dbt", "build", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
               "--target-path", str(target), "--log-path", str(target), "--select", "+path:models/staging/lake",
               "--indirect-selection", "cautious", "--exclude-resource-type", "unit_test", *extra]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-5000:]
    return run.stdout


def land(settings: Settings, path: Path, created: datetime, covers: tuple[date, date] | None = None) -> None:
    result = land_file(path, seller_id=SELLER, marketplace_code="US", settings=settings, created_at=created,
                       covers=covers, load_source="sp_api")
    assert result.status == "landed", result.error


def table_digests(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Every lake staging table's row count and a digest of its rows in source_row_id order."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [name for (name,) in con.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'staging' and table_name like 'stg_lake__%' order by 1").fetchall()]
        return {name: con.sql(f"select count(*), md5(string_agg(md5(cast(t as varchar)), ',' order by "
                              f"source_row_id)) from staging.{name} as t").fetchone() for name in tables}


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, str]:
    """A lake built once, then again incrementally after documents that edit, drop and re-issue its rows."""
    tmp = tmp_path_factory.mktemp("incremental")
    settings = Settings(data_dir=tmp / "data", as_of=date(2026, 9, 30), sellers_file=tmp / "s.yml")
    target = tmp / "target"
    land_fixtures(FIXTURES, settings)  # another seller, whose rows no new document touches
    land(settings, ledger_document(
        tmp / "ledger_newer.tsv",
        ledger_row("07/03/2026", "Adjustments", "ADJ-M", -3, "M"),
        ledger_row("07/06/2026", "Shipments", "SHIP-1", -1),
        ledger_row("07/06/2026", "Shipments", "SHIP-1", -1),
        ledger_row("07/08/2026", "Receipts", "FBA15SCEN2", 6),
    ), datetime(2026, 7, 11, 12, tzinfo=UTC), (date(2026, 7, 3), date(2026, 7, 10)))
    costs = tmp / "costs_v1.csv"
    costs.write_text("sku,unit_cost,currency,effective_date\nMUG-BLUE-12,3.10,USD,2026-01-01\n"
                     "TEA-TIN-200,1.95,USD,2026-01-01\n", encoding="utf-8")
    land(settings, costs, datetime(2026, 7, 1, tzinfo=UTC))
    land(settings, FIXTURES / "inventory" / "inventory_us.tsv", datetime(2026, 7, 1, tzinfo=UTC))
    land(settings, FIXTURES / "settlements" / "settlement_us.tsv", datetime(2026, 3, 30, tzinfo=UTC))
    dbt_build(settings, target)

    # landed after the build: an older report (created before the newer one, downloaded late), a re-issue that
    # empties July 6, a new cost for one SKU, and an inventory snapshot that no longer lists two SKUs
    land(settings, ledger_document(
        tmp / "ledger_older.tsv",
        ledger_row("07/01/2026", "Receipts", "FBA15SCEN1", 24),
        ledger_row("07/03/2026", "Adjustments", "ADJ-M", -2, "M"),
        ledger_row("07/05/2026", "Adjustments", "ADJ-E", -1, "E"),
    ), datetime(2026, 7, 6, 12, tzinfo=UTC), (date(2026, 7, 1), date(2026, 7, 5)))
    land(settings, ledger_document(tmp / "ledger_reissue.tsv"), datetime(2026, 7, 12, tzinfo=UTC),
         (date(2026, 7, 6), date(2026, 7, 6)))
    costs = tmp / "costs_v2.csv"
    costs.write_text("sku,unit_cost,currency,effective_date\nMUG-BLUE-12,3.60,USD,2026-07-01\n", encoding="utf-8")
    land(settings, costs, datetime(2026, 7, 2, tzinfo=UTC))
    inventory = tmp / "inventory_v2.tsv"
    fixture_rows = (FIXTURES / "inventory" / "inventory_us.tsv").read_text(encoding="utf-8").splitlines()
    inventory.write_text("\n".join([INVENTORY_HEADER, fixture_rows[1]]) + "\n", encoding="utf-8")
    land(settings, inventory, datetime(2026, 7, 2, tzinfo=UTC))
    settlement = (FIXTURES / "settlements" / "settlement_us.tsv").read_text(encoding="utf-8")
    assert settlement.count("\t1234.56\tUSD\t") == 1 and settlement.count("\tPrincipal\t12.99\t") == 1
    reissue = tmp / "settlement_us_reissued.tsv"  # Amazon re-issued the settlement: a new total, one line edited
    reissue.write_text(settlement.replace("\t1234.56\tUSD\t", "\t1300.00\tUSD\t")
                       .replace("\tPrincipal\t12.99\t", "\tPrincipal\t13.49\t"), encoding="utf-8")
    land(settings, reissue, datetime(2026, 3, 31, tzinfo=UTC))
    output = dbt_build(settings, target)
    return settings, target, output


def test_the_second_build_reads_only_the_changed_documents_files(built_twice: tuple[Settings, Path, str]) -> None:
    _, target, _ = built_twice
    swap = next((target / "run").rglob("stg_lake__ledger_detail.sql")).read_text(encoding="utf-8")
    assert "delete from" in swap and "insert into" in swap
    compiled = next((target / "compiled").rglob("stg_lake__ledger_detail.sql")).read_text(encoding="utf-8")
    assert "report=ledger_detail/**" not in compiled  # no glob over the whole report
    # the older document (the empty re-issue has no file) and the newer one, whose July 3 and 6 they cover;
    # not the fixtures' documents (another seller)
    assert len(set(re.findall(r"report=ledger_detail/seller_id=[^']+[.]parquet", compiled))) == 2


def test_new_documents_edit_drop_and_keep_rows_as_latest_document_wins(
        built_twice: tuple[Settings, Path, str]) -> None:
    settings, _, _ = built_twice
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        ledger = con.sql(f"""
            select event_date, reference_id, quantity from staging.stg_lake__ledger_detail
            where seller_id = '{SELLER}' order by event_date, reference_id
        """).fetchall()
        costs = con.sql(f"""
            select sku, unit_cost_amount, effective_date from staging.stg_lake__product_costs
            where seller_id = '{SELLER}' order by sku, effective_date
        """).fetchall()
        inventory = con.sql(f"select sku from staging.stg_lake__inventory where seller_id = '{SELLER}'").fetchall()
        settlements = con.sql(f"""
            select settlement_total_amount, count(distinct _document_id), count(*) from staging.stg_lake__settlements
            where seller_id = '{SELLER}' group by all
        """).fetchall()
        amounts = {amount for (amount,) in con.sql(
            f"select amount from staging.stg_lake__settlements where seller_id = '{SELLER}'").fetchall()}
    lines = len((FIXTURES / "settlements" / "settlement_us.tsv").read_text(encoding="utf-8").splitlines()) - 2
    assert ledger == [
        (date(2026, 7, 1), "FBA15SCEN1", 24),  # only the late-landed older report covers July 1
        (date(2026, 7, 3), "ADJ-M", -3),  # the older report, landed later, does not undo the newer one's edit
        (date(2026, 7, 8), "FBA15SCEN2", 6),  # a day no new document covers is kept
    ]  # July 5's adjustment: the newer report dropped it; July 6's shipments: the empty re-issue dropped them
    assert costs == [
        ("MUG-BLUE-12", Decimal("3.60"), date(2026, 7, 1)),  # its key is owned by the newer document
        ("TEA-TIN-200", Decimal("1.95"), date(2026, 1, 1)),  # a key the newer document does not hold is kept
    ]
    assert inventory == [("MUG-BLUE-12",)]  # the newest snapshot, alone
    # the re-issued settlement's lines replace the first issue's, each carrying the new summary's total
    assert settlements == [(Decimal("1300.00"), 1, lines)] and Decimal("13.49") in amounts
    assert Decimal("12.99") not in amounts


def test_an_incremental_build_leaves_the_rows_a_full_build_makes(built_twice: tuple[Settings, Path, str]) -> None:
    settings, target, _ = built_twice
    incremental = table_digests(settings.warehouse_path)
    dbt_build(settings, target, "--full-refresh")
    assert table_digests(settings.warehouse_path) == incremental
    assert incremental["stg_lake__ledger_detail"][0] > 3  # the other seller's rows are there too


def test_a_report_with_no_rows_yet_builds_again(tmp_path: Path) -> None:
    """A new seller's reports can all be empty: the second build is incremental and must not fail for want of
    a row file (a pattern that matches no file is an error in DuckDB)."""
    settings = Settings(data_dir=tmp_path / "data", as_of=date(2026, 9, 30), sellers_file=tmp_path / "s.yml")
    ensure_lake(settings.lake_dir)
    land(settings, ledger_document(tmp_path / "ledger_empty.tsv"), datetime(2026, 7, 11, tzinfo=UTC),
         (date(2026, 7, 3), date(2026, 7, 10)))
    target = tmp_path / "target"
    dbt_build(settings, target)
    dbt_build(settings, target)
    swap = next((target / "run").rglob("stg_lake__ledger_detail.sql")).read_text(encoding="utf-8")
    assert "insert into" in swap  # incremental: the strategy's swap, not a create table
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.sql("select count(*) from staging.stg_lake__ledger_detail").fetchone() == (0,)
