"""Case packets and the day's filing batch (ingestion/queue/packets.py)."""

import csv
import stat
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.catalog import REPORTS
from ingestion.claims import CLAIM_TYPES
from ingestion.queue.log import SNAPSHOT_FIELDS, Action, append_action
from ingestion.queue.packets import CHECKLISTS, EVIDENCE, EVIDENCE_COLUMNS, export_packets
from ingestion.settings import Settings

from .conftest import AS_OF, DE, MART_COLUMNS, US

LEDGER_COLUMNS = """seller_id varchar, marketplace_id varchar, event_date date, fnsku varchar, sku varchar,
    event_type varchar, reference_id varchar, quantity integer, fulfillment_center varchar, disposition varchar,
    reason_code varchar, reconciled_quantity integer, unreconciled_quantity integer, _document_id varchar,
    _line_number bigint"""
OPEN_STATUSES = ("waiting", "claimable", "expired", "partially_reimbursed")


def claim(claim_id: str, seller: str = "S1", market: str = US, *, days_left: int = 30, amount: str = "10.00",
          status: str = "claimable", confidence: str = "high", eligible_in: int = -5, paid: str = "0.00",
          claim_type: str = "warehouse_lost") -> dict:
    return {"claim_id": claim_id, "seller_id": seller, "marketplace_id": market, "claim_type": claim_type,
            "reference_id": f"REF-{claim_id}", "fnsku": f"X-{claim_id}", "status": status, "confidence": confidence,
            "eligible_from_date": AS_OF + timedelta(days=eligible_in), "deadline_date": AS_OF + timedelta(days_left),
            "claim_amount": Decimal(amount), "reimbursed_amount": Decimal(paid)}


# S1: five US and four DE claims open for filing, with distinct deadlines; review and never-offered claims.
CLAIMS = [
    claim("CLM-us-late", days_left=40, amount="99.00"),
    claim("CLM-us-soon", days_left=3, amount="5.00"),
    claim("CLM-us-mid-big", days_left=10, amount="80.00"),
    claim("CLM-us-mid-small", days_left=10, amount="8.00"),
    claim("CLM-us-partial", days_left=20, amount="50.00", status="partially_reimbursed", paid="20.00",
          claim_type="removal_lost"),
    claim("CLM-de-first", market=DE, days_left=1, amount="12.00", claim_type="refund_not_returned"),
    claim("CLM-de-second", market=DE, days_left=12, amount="30.00"),
    claim("CLM-de-third", market=DE, days_left=25, amount="7.00"),
    claim("CLM-de-fourth", market=DE, days_left=60, amount="70.00"),
    claim("CLM-us-review", days_left=2, amount="500.00", confidence="review", claim_type="disposed_without_order"),
    claim("CLM-waiting", days_left=90, status="waiting", eligible_in=4),
    claim("CLM-not-yet-eligible", days_left=90, eligible_in=1),  # claimable by status, but before its window
    claim("CLM-expired", days_left=-1, status="expired", eligible_in=-60),
    claim("CLM-reimbursed", status="reimbursed", paid="10.00"),
    claim("CLM-s2-one", seller="S2", days_left=9),
    claim("CLM-s2-two", seller="S2", days_left=8),
]


def write_warehouse(path: Path, claims: list[dict] = CLAIMS) -> None:
    """A claims mart (with remaining_amount) and the ledger rows behind each claim, plus one unrelated row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema marts; create table marts.fct_claim_opportunities ({MART_COLUMNS}, "
                    "remaining_amount decimal(18,2))")
        con.execute(f"create schema staging; create table staging.stg_lake__ledger_detail ({LEDGER_COLUMNS})")
        for line, c in enumerate(claims, start=2):
            remaining = max(c["claim_amount"] - c["reimbursed_amount"], 0) if c["status"] in OPEN_STATUSES else 0
            con.execute(
                "insert into marts.fct_claim_opportunities values (?, ?, ?, ?, 'ledger_reference_id', ?, 'SKU-1', ?, "
                "'B001', ?, ?, ?, 1, ?, ?, ?, 'manufacturing_cost', ?, ?, ?, ?, ?, ?)",
                [c["claim_id"], c["seller_id"], c["marketplace_id"], c["claim_type"], c["reference_id"], c["fnsku"],
                 c["eligible_from_date"] - timedelta(days=30), c["eligible_from_date"], c["deadline_date"],
                 c["claim_amount"], c["claim_amount"], "USD" if c["marketplace_id"] == US else "EUR",
                 c["confidence"], c["status"], c["reimbursed_amount"], f"Evidence: {c['reference_id']} lost 1 unit.",
                 f"Please reimburse {c['claim_id']}.", remaining])
            con.execute("insert into staging.stg_lake__ledger_detail values (?, ?, ?, ?, 'SKU-1', 'Adjustments', ?, "
                        "-1, 'PHX7', 'SELLABLE', 'M', 0, 1, 'doc-1', ?)",
                        [c["seller_id"], c["marketplace_id"], c["eligible_from_date"] - timedelta(days=30),
                         c["fnsku"], c["reference_id"], line])
        con.execute("insert into staging.stg_lake__ledger_detail values ('S1', ?, ?, 'X-other', 'SKU-9', "
                    "'Adjustments', 'REF-CLM-us-late', -4, 'PHX7', 'SELLABLE', 'M', 0, 4, 'doc-1', 999)",
                    [US, AS_OF])  # same reference id, another FNSKU: not evidence of CLM-us-late


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv("FBAUDIT_CLAIMS_PER_DAY", raising=False)
    settings = Settings(data_dir=tmp_path / "data", as_of=AS_OF, sellers_file=tmp_path / "sellers.yml")
    write_warehouse(settings.warehouse_path)
    return settings


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def batch_ids(settings: Settings, name: str) -> list[str]:
    return [row["claim_id"] for row in read_csv(settings.claims_dir / "batches" / AS_OF.isoformat() / name)]


def file_filed_action(settings: Settings, claim_id: str, seller: str, recorded_at: str) -> None:
    snapshot = {name: None for name in SNAPSHOT_FIELDS} | {"seller_id": seller, "marketplace_id": US,
                                                           "claim_type": "warehouse_lost"}
    append_action(settings, Action(**snapshot, action_id=uuid.uuid4().hex, recorded_at=recorded_at,
                                   action="filed", claim_id=claim_id, case_id="1234567890"))


def test_every_claim_type_has_a_checklist_and_each_names_its_source():
    assert set(CHECKLISTS) == set(CLAIM_TYPES)
    for claim_type, checklist in CHECKLISTS.items():
        assert checklist.source.startswith("C") and checklist.items, claim_type


def test_evidence_mapping_names_no_personal_data():
    personal = {c.name for spec in REPORTS for c in spec.columns if c.pii}
    shown = {getattr(s, f) for sources in EVIDENCE.values() for s in sources for f in ("key", "date", "quantity",
                                                                                      "amount")}
    shown |= {d for sources in EVIDENCE.values() for s in sources for d in s.details}
    assert personal and not shown & personal


def test_packet_holds_the_case_its_evidence_and_the_checklist_of_its_type(data: Settings):
    export_packets(data)
    folder = data.claims_dir / "packets" / "S1" / "US" / "CLM-us-late"
    case = (folder / "case.txt").read_text(encoding="utf-8")
    assert "Please reimburse CLM-us-late." in case
    assert "Amount to claim: 99.00 USD" in case and f"Deadline: {AS_OF + timedelta(40)}" in case
    assert "ledger_reference_id REF-CLM-us-late" in case and "Evidence: REF-CLM-us-late lost 1 unit." in case
    rows = read_csv(folder / "evidence.csv")
    assert tuple(rows[0]) == EVIDENCE_COLUMNS
    assert [(r["report"], r["fnsku"], r["quantity"], r["line_number"]) for r in rows] == [
        ("ledger_detail", "X-CLM-us-late", "-1", "2")]  # not the same reference's row of another FNSKU
    assert "event_type=Adjustments; reason_code=M" in rows[0]["details"]
    checklist = (folder / "checklist.md").read_text(encoding="utf-8")
    assert all(f"- [ ] {item}" in checklist for item in CHECKLISTS["warehouse_lost"].items)
    assert "C3" in checklist
    partial = data.claims_dir / "packets" / "S1" / "US" / "CLM-us-partial"
    assert "Amount to claim: 30.00 USD" in (partial / "case.txt").read_text(encoding="utf-8")
    assert "The removal order ID" in (partial / "checklist.md").read_text(encoding="utf-8")


def test_files_are_private(data: Settings):
    paths = export_packets(data)
    folder = paths[0]
    for path in (data.claims_dir, folder, *folder.iterdir(), paths[-1]):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_nothing_is_offered_before_its_window_or_when_closed(data: Settings):
    written = {p.name for p in export_packets(data)}
    offered = {c["claim_id"] for c in CLAIMS if c["claim_id"] not in (
        "CLM-waiting", "CLM-not-yet-eligible", "CLM-expired", "CLM-reimbursed")}
    assert written - {n for n in written if n.endswith(".csv")} == offered
    with pytest.raises(ValueError, match="CLM-not-yet-eligible.*window") as refused:
        export_packets(data, ["CLM-us-late", "CLM-not-yet-eligible"])
    assert "no packets written" in str(refused.value)
    with pytest.raises(ValueError, match="no claim 'CLM-nope'"):
        export_packets(data, ["CLM-nope"])


def test_explicit_ids_write_only_their_packets(data: Settings):
    assert export_packets(data, ["CLM-de-first"]) == [data.claims_dir / "packets" / "S1" / "DE" / "CLM-de-first"]
    assert not (data.claims_dir / "batches").exists()


def test_batch_keeps_the_account_pace_earliest_deadlines_first(data: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FBAUDIT_CLAIMS_PER_DAY", "3")
    export_packets(data)
    # S1's three earliest deadlines across its marketplaces: DE in 1 day, US in 3, US in 10 (the bigger one)
    assert batch_ids(data, "S1-DE.csv") == ["CLM-de-first"]
    assert batch_ids(data, "S1-US.csv") == ["CLM-us-soon", "CLM-us-mid-big"]
    assert batch_ids(data, "S2-US.csv") == ["CLM-s2-two", "CLM-s2-one"]  # its own account, its own pace
    row = read_csv(data.claims_dir / "batches" / AS_OF.isoformat() / "S1-US.csv")[1]
    assert (row["amount_to_claim"], row["currency_code"], row["packet"]) == (
        "80.00", "USD", "packets/S1/US/CLM-us-mid-big")


def test_default_pace_and_order_by_deadline_then_amount(data: Settings):
    export_packets(data)
    assert batch_ids(data, "S1-US.csv") == [
        "CLM-us-soon", "CLM-us-mid-big", "CLM-us-mid-small", "CLM-us-partial", "CLM-us-late"]
    assert batch_ids(data, "S1-DE.csv") == ["CLM-de-first", "CLM-de-second", "CLM-de-third", "CLM-de-fourth"]


def test_claims_filed_today_count_against_the_pace(data: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FBAUDIT_CLAIMS_PER_DAY", "3")
    file_filed_action(data, "CLM-filed-earlier", "S1", f"{AS_OF}T08:00:00Z")
    file_filed_action(data, "CLM-filed-yesterday", "S1", f"{AS_OF - timedelta(1)}T23:00:00Z")
    file_filed_action(data, "CLM-us-soon", "S1", f"{AS_OF}T09:00:00Z")  # filed since the build: not offered again
    export_packets(data)
    assert batch_ids(data, "S1-DE.csv") == ["CLM-de-first"]
    assert batch_ids(data, "S1-US.csv") == []
    assert not (data.claims_dir / "packets" / "S1" / "US" / "CLM-us-soon").exists()


def test_review_claims_are_kept_apart(data: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FBAUDIT_CLAIMS_PER_DAY", "1")
    export_packets(data)
    assert batch_ids(data, "review-S1-US.csv") == ["CLM-us-review"]
    assert batch_ids(data, "S1-US.csv") == [] and batch_ids(data, "S1-DE.csv") == ["CLM-de-first"]
    assert sorted(p.name for p in (data.claims_dir / "batches" / AS_OF.isoformat()).iterdir()) == [
        "S1-DE.csv", "S1-US.csv", "S2-US.csv", "review-S1-US.csv"]


def test_a_bad_pace_is_refused(data: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FBAUDIT_CLAIMS_PER_DAY", "ten")
    with pytest.raises(ValueError, match="FBAUDIT_CLAIMS_PER_DAY.*'ten'"):
        export_packets(data)


def test_rerunning_the_same_day_rewrites_the_same_files(data: Settings, tmp_path: Path):
    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(data.claims_dir)): p.read_bytes()
                for p in sorted(data.claims_dir.rglob("*")) if p.is_file()}

    export_packets(data)
    first = snapshot()
    stale = data.claims_dir / "batches" / AS_OF.isoformat() / "S9-US.csv"
    stale.write_text("from an earlier run\n")
    export_packets(data)
    assert snapshot() == first and not stale.exists()
    assert not [p for p in data.claims_dir.rglob(".*")]  # no temporary file left behind


@pytest.mark.slow
def test_demo_packets_have_evidence_for_every_claim(demo_data: Settings):
    with duckdb.connect(str(demo_data.warehouse_path), read_only=True) as con:
        reference_types = {r[0] for r in con.execute(
            "select distinct reference_type from marts.fct_claim_opportunities").fetchall()}
    assert reference_types <= set(EVIDENCE)
    folders = [p for p in export_packets(demo_data) if p.is_dir()]
    assert folders
    for folder in folders:
        rows = read_csv(folder / "evidence.csv")
        assert rows, f"no evidence rows in {folder}"
