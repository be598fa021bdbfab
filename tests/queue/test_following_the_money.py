"""Following the money on the demo seller: a claim filed with a case id is `reimbursed` once a reimbursement
carrying that case id is landed and the warehouse rebuilds (docs/claims.md "Following the money"). Builds the
models and seeds up to the claims mart with dbt directly (no Dagster, no dashboards)."""

import json
import os
import shutil
import subprocess
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.land import land_inbox
from ingestion.settings import Settings
from tests.dagster_project.test_end_to_end import fbaudit

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
AS_OF = date(2026, 9, 30)  # the as_of of the fbaudit helper

MART = "marts.fct_claim_opportunities"
SNAPSHOT = ["seller_id", "marketplace_id", "claim_type", "reference_type", "reference_id", "sku", "fnsku", "asin",
            "occurred_date", "eligible_from_date", "deadline_date", "quantity", "unit_value_amount", "claim_amount",
            "currency_code", "valuation_basis", "confidence", "evidence", "case_text"]


def json_value(value):
    if value is None or isinstance(value, int):
        return value
    return str(value)  # dates ISO, decimals as decimal strings


def mart_claims(data_dir: Path, where: str, *params) -> list[dict]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        cursor = con.execute(f"select * from {MART} where {where} order by claim_id", list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ensure_claim_files(data_dir: Path) -> None:
    """Stands in for ingestion.queue.log.ensure_claim_files until the pipeline calls it before dbt."""
    (data_dir / "claims").mkdir(parents=True, exist_ok=True)
    for name in ("actions.jsonl", "register.jsonl"):
        (data_dir / "claims" / name).touch()


def append_filed_action(data_dir: Path, claim: dict, case_id: str) -> None:
    action = {"action_id": uuid.uuid4().hex, "recorded_at": "2026-09-30T12:00:00Z", "action": "filed",
              "claim_id": claim["claim_id"], "case_id": case_id, "reason": None, "note": None,
              **{name: json_value(claim[name]) for name in SNAPSHOT}}
    with (data_dir / "claims" / "actions.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(action) + "\n")


def build_claims_mart(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "FBAUDIT_AS_OF": AS_OF.isoformat(), "DO_NOT_TRACK": "1"}
    command = [shutil.which("dbt") or "dbt", "build", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
               "--select", "+fct_claim_opportunities", "--resource-type", "model", "--resource-type", "seed"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-5000:]


def reimbursement_document(reports_dir: Path, claim: dict, case_id: str) -> str:
    """One Lost_Warehouse line paying the claim in cash under its case, in the reimbursements report layout."""
    header = (reports_dir / "reimbursements" / "reimbursements_us.tsv").read_text(encoding="utf-8").splitlines()[0]
    values = {"approval-date": "2026-09-30T12:00:00Z", "reimbursement-id": "9900000001", "case-id": case_id,
              "reason": "Lost_Warehouse", "sku": claim["sku"], "fnsku": claim["fnsku"], "asin": claim["asin"],
              "product-name": "demo product", "condition": "New", "currency-unit": claim["currency_code"],
              "amount-per-unit": str(claim["unit_value_amount"]), "amount-total": str(claim["claim_amount"]),
              "quantity-reimbursed-cash": str(claim["quantity"]), "quantity-reimbursed-inventory": "0",
              "quantity-reimbursed-total": str(claim["quantity"])}
    return header + "\n" + "\t".join(values.get(column, "") for column in header.split("\t")) + "\n"


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_filed_claim_is_reimbursed_once_its_case_pays(tmp_path, reports_dir):
    data_dir = tmp_path / "data"
    assert (demo := fbaudit("demo", cwd=tmp_path, data_dir=data_dir)).returncode == 0, demo.stderr
    land_inbox(Settings(data_dir=data_dir, as_of=AS_OF, sellers_file=tmp_path / "sellers.yml"))
    ensure_claim_files(data_dir)
    build_claims_mart(tmp_path, data_dir)
    claim, *_ = mart_claims(data_dir, "claim_type = 'warehouse_lost' and marketplace_id = 'ATVPDKIKX0DER' "
                                      "and status = 'claimable' and claim_amount > 0")

    append_filed_action(data_dir, claim, "CASE-1")
    build_claims_mart(tmp_path, data_dir)
    (filed,) = mart_claims(data_dir, "claim_id = ?", claim["claim_id"])
    assert (filed["status"], filed["case_id"], filed["reimbursed_amount"]) == ("filed", "CASE-1", 0)

    document = tmp_path / "reimbursement_case_1.tsv"
    document.write_text(reimbursement_document(reports_dir, claim, "CASE-1"), encoding="utf-8")
    ingest = fbaudit("ingest", "--seller", claim["seller_id"], "--marketplace", "US", str(document),
                     cwd=tmp_path, data_dir=data_dir)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    build_claims_mart(tmp_path, data_dir)

    (after,) = mart_claims(data_dir, "claim_id = ?", claim["claim_id"])
    assert (after["status"], after["case_id"]) == ("reimbursed", "CASE-1")
    assert after["reimbursed_amount"] == after["claim_amount"] == Decimal(claim["claim_amount"])
    assert after["remaining_amount"] == 0
    assert not mart_claims(data_dir, "reference_id = 'CASE-1' and claim_type = 'reimbursement_short'")
