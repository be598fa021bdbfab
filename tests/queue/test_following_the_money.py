"""Following the money on the demo seller, as a person does it: `fbaudit run`, `fbaudit claims mark --filed
--case-id`, the reimbursement for that case lands (`fbaudit ingest`), `fbaudit run` again: the claim is
`reimbursed` (docs/claims.md "Following the money")."""

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.dagster_project.test_end_to_end import fbaudit

CASE_ID = "1234567890"  # the reimbursements report's case-id: digits
MART = "marts.fct_claim_opportunities"


def mart_claims(warehouse: Path, where: str, *params) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from {MART} where {where} order by claim_id", list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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


def show_status(claim_id: str, tmp_path: Path, data_dir: Path) -> str:
    show = fbaudit("claims", "show", claim_id, cwd=tmp_path, data_dir=data_dir)
    assert show.returncode == 0, show.stdout + show.stderr
    (line,) = [line for line in show.stdout.splitlines() if line.startswith("status:")]
    return line.split(":", 1)[1].strip()


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_a_claim_marked_filed_is_reimbursed_once_its_case_pays(tmp_path, reports_dir):
    data_dir = tmp_path / "data"
    published = data_dir / "published" / "warehouse.duckdb"
    assert (demo := fbaudit("demo", cwd=tmp_path, data_dir=data_dir)).returncode == 0, demo.stderr
    run = fbaudit("run", "--no-dashboards", cwd=tmp_path, data_dir=data_dir)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    claim, *_ = mart_claims(published, "claim_type = 'warehouse_lost' and marketplace_id = 'ATVPDKIKX0DER' "
                                       "and status = 'claimable' and claim_amount > 0")

    mark = fbaudit("claims", "mark", claim["claim_id"], "--filed", "--case-id", CASE_ID,
                   cwd=tmp_path, data_dir=data_dir)
    assert mark.returncode == 0, mark.stdout + mark.stderr
    assert show_status(claim["claim_id"], tmp_path, data_dir) == "filed"

    document = tmp_path / "reimbursement_case.tsv"
    document.write_text(reimbursement_document(reports_dir, claim, CASE_ID), encoding="utf-8")
    ingest = fbaudit("ingest", "--seller", claim["seller_id"], "--marketplace", "US", str(document),
                     cwd=tmp_path, data_dir=data_dir)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    rerun = fbaudit("run", "--no-dashboards", cwd=tmp_path, data_dir=data_dir)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]

    assert show_status(claim["claim_id"], tmp_path, data_dir) == "reimbursed"
    (after,) = mart_claims(published, "claim_id = ?", claim["claim_id"])
    assert (after["status"], after["case_id"]) == ("reimbursed", CASE_ID)
    assert after["reimbursed_amount"] == after["claim_amount"] == Decimal(claim["claim_amount"])
    assert after["remaining_amount"] == 0
    assert not mart_claims(published, "reference_id = ? and claim_type = 'reimbursement_short'", CASE_ID)
