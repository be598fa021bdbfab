"""Fixtures for the claim queue.

- `demo_warehouse` (session, slow: ~2 min once): the demo seller built by `fbaudit demo` + `fbaudit run
  --no-dashboards` in a fresh data folder, as of 2026-11-28. Read it; never write into its data folder.
- `demo_data`: a data folder of the test's own over that same warehouse (built and published copies linked),
  with no claims files yet: for tests that record actions, update the register or write packets.
- `queue_data`: a data folder whose published warehouse holds only SMALL_CLAIMS (one claim per status that
  matters to actions), written by hand in milliseconds, as of AS_OF.
"""

import os
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.project import REPO_ROOT
from ingestion.settings import Settings

AS_OF = date(2026, 11, 28)
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
MART_COLUMNS = """
    claim_id varchar, seller_id varchar, marketplace_id varchar, claim_type varchar, reference_type varchar,
    reference_id varchar, sku varchar, fnsku varchar, asin varchar, occurred_date date,
    eligible_from_date date, deadline_date date, quantity bigint, unit_value_amount decimal(18,2),
    claim_amount decimal(18,2), currency_code varchar, valuation_basis varchar, confidence varchar,
    status varchar, reimbursed_amount decimal(18,2), evidence varchar, case_text varchar
"""
# claim_id -> (marketplace, claim_type, eligible_from_date, deadline_date, claim_amount, status, reimbursed)
SMALL_CLAIMS = {
    "CLM-claimable": (US, "warehouse_lost", "2026-11-01", "2026-12-20", "120.00", "claimable", "0.00"),
    "CLM-claimable-small": (US, "warehouse_damaged", "2026-11-01", "2026-12-20", "7.50", "claimable", "0.00"),
    "CLM-due-soon": (DE, "refund_not_returned", "2026-10-01", "2026-12-01", "30.25", "claimable", "0.00"),
    "CLM-no-window": (DE, "storage_fee_overcharge", None, None, "1.10", "claimable", "0.00"),
    "CLM-waiting": (US, "inbound_shortage", "2026-12-10", "2027-08-01", "45.00", "waiting", "0.00"),
    "CLM-expired": (US, "warehouse_lost", "2026-08-01", "2026-09-01", "12.00", "expired", "0.00"),
    "CLM-reimbursed": (US, "inbound_damaged", "2026-10-01", "2027-06-01", "80.00", "reimbursed", "80.00"),
    "CLM-resolved": (US, "warehouse_lost", "2026-10-01", "2026-12-31", "9.99", "resolved_by_amazon", "9.99"),
    "CLM-partial": (US, "removal_lost", "2026-10-01", "2027-01-15", "50.00", "partially_reimbursed", "20.00"),
}


def write_small_warehouse(path: Path, claims: dict = SMALL_CLAIMS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema marts; create table marts.fct_claim_opportunities ({MART_COLUMNS})")
        for claim_id, (market, claim_type, eligible, deadline, amount, status, paid) in claims.items():
            con.execute(
                "insert into marts.fct_claim_opportunities values "
                "(?, 'S1', ?, ?, 'ledger_reference_id', ?, 'SKU-1', 'X001', 'B001', '2026-10-01', ?, ?, 2, "
                "?, ?, ?, 'manufacturing_cost', 'high', ?, ?, ?, ?)",
                [claim_id, market, claim_type, f"REF-{claim_id}", eligible, deadline,
                 Decimal(amount) / 2, Decimal(amount), "USD" if market == US else "EUR", status,
                 Decimal(paid), f"evidence of {claim_id}", f"Please reimburse {claim_id}."],
            )


@pytest.fixture
def queue_data(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    write_small_warehouse(data / "published" / "warehouse.duckdb")
    return Settings(data_dir=data, as_of=AS_OF, sellers_file=tmp_path / "sellers.yml")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("demo_warehouse")
    settings = Settings(data_dir=root / "data", as_of=AS_OF, sellers_file=root / "no-sellers.yml")
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(settings.data_dir), "FBAUDIT_AS_OF": AS_OF.isoformat(),
           "FBAUDIT_SELLERS": str(settings.sellers_file)}
    env.pop("DAGSTER_HOME", None)
    for args in (["demo"], ["run", "--no-dashboards"]):
        done = subprocess.run(["uv", "run", "--no-sync", "--project", str(REPO_ROOT), "fbaudit", *args],
                              cwd=root, env=env, capture_output=True, text=True, timeout=900)
        output = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert done.returncode == 0, f"fbaudit {' '.join(args)} failed:\n{output}"
    return settings


@pytest.fixture
def demo_data(demo_warehouse: Settings, tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    (data / "published").mkdir(parents=True)
    for name in ("warehouse.duckdb", "published/warehouse.duckdb"):
        (data / name).symlink_to(demo_warehouse.data_dir / name)
    return replace(demo_warehouse, data_dir=data)
