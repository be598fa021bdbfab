"""The demo seller: deterministic, internally consistent, and every claim type injected."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion import catalog
from ingestion.claims import CLAIM_TYPES
from ingestion.demo import DemoResult, generate
from ingestion.demo.ledger import MOVEMENTS
from ingestion.render import render_document
from ingestion.settings import Settings

AS_OF = date(2026, 11, 28)


def run(folder: Path) -> tuple[Settings, DemoResult]:
    settings = Settings(folder, AS_OF, folder / "sellers.yml")
    return settings, generate(settings)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, DemoResult]:
    return run(tmp_path_factory.mktemp("demo"))


def read(path: Path, report: str) -> list[dict[str, str]]:
    """Rows of one rendered TSV document keyed by our column names (no typing: the parser's job)."""
    columns = catalog.get(report).header_map()
    lines = path.read_text(encoding="utf-8").splitlines()
    names = [columns[h].name for h in lines[0].split("\t")]
    return [dict(zip(names, line.split("\t"), strict=True)) for line in lines[1:]]


def latest_per_day(folder: Path, report: str, column: str) -> list[dict[str, str]]:
    """Staging's rule: for every covered day, the rows of the newest document covering it."""
    owner: dict[str, tuple[float, Path]] = {}
    for path in sorted(folder.glob(f"{report}_*.txt")):
        _, first, last = path.stem.rsplit("_", 2)
        for day in range(date.fromisoformat(first).toordinal(), date.fromisoformat(last).toordinal() + 1):
            key = date.fromordinal(day).strftime("%m/%d/%Y")
            if key not in owner or owner[key][0] < path.stat().st_mtime:
                owner[key] = (path.stat().st_mtime, path)
    rows = []
    for path in sorted({p for _, p in owner.values()}):
        rows.extend(r for r in read(path, report) if owner[r[column]][1] == path)
    return rows


def truth(settings: Settings) -> list[dict[str, str]]:
    with settings.ground_truth_path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes(demo: tuple[Settings, DemoResult], tmp_path: Path) -> None:
    settings, result = demo
    again, result_again = run(tmp_path / "again")

    def digests(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file() and p.name != "sellers.yml"}
    assert digests(settings.data_dir) == digests(again.data_dir)
    assert result == result_again


def test_every_report_in_the_catalog_has_files(demo: tuple[Settings, DemoResult]) -> None:
    settings, result = demo
    assert set(result.files_by_report) == {spec.name for spec in catalog.REPORTS}
    written = defaultdict(int)
    for path in settings.inbox_dir.rglob("*_*_*.*"):
        written[path.name.rsplit("_", 2)[0]] += 1
    assert dict(written) == result.files_by_report
    assert result.documents == sum(result.files_by_report.values())
    assert all(result.rows_by_report[name] > 0 for name in result.files_by_report)


def test_later_windows_have_later_mtimes(demo: tuple[Settings, DemoResult]) -> None:
    settings, _ = demo
    folder = settings.inbox_dir / "DEMO1" / "US"
    monthly = sorted(folder.glob("reimbursements_*.txt"))
    stamps = [p.stat().st_mtime for p in monthly]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    last_window_end = datetime.strptime(monthly[-1].stem.rsplit("_", 1)[1], "%Y%m%d").replace(tzinfo=UTC)
    assert stamps[-1] > last_window_end.timestamp()


def test_every_claim_type_is_in_ground_truth(demo: tuple[Settings, DemoResult]) -> None:
    settings, result = demo
    rows = truth(settings)
    assert len(rows) == result.truth_rows
    for marketplace_id in ("ATVPDKIKX0DER", "A1PA6795UKMFR9"):
        assert {r["claim_type"] for r in rows if r["marketplace_id"] == marketplace_id} == set(CLAIM_TYPES)
    for row in rows:
        amount = Decimal(row["claim_amount"])
        assert amount > 0 and amount.as_tuple().exponent == -2, row
        assert date.fromisoformat(row["occurred_date"]) < AS_OF
        assert row["seller_id"] == "DEMO1"


def test_ledger_detail_sums_to_summary_and_balances(demo: tuple[Settings, DemoResult]) -> None:
    settings, _ = demo
    for code in ("US", "DE"):
        folder = settings.inbox_dir / "DEMO1" / code
        detail = latest_per_day(folder, "ledger_detail", "event_date")
        summary = latest_per_day(folder, "ledger_summary", "summary_date")
        moved: dict[tuple[str, ...], int] = defaultdict(int)
        for row in detail:
            moved[(row["event_date"], row["fnsku"], row["disposition"], row["country"])] += int(row["quantity"])
        balances: dict[tuple[str, str], int] = {}
        for row in summary:
            movements = sum(int(row[c]) for c in MOVEMENTS)
            key = (row["summary_date"], row["fnsku"], row["disposition"], row["location"])
            assert moved.pop(key, 0) == movements, key
            assert int(row["ending_warehouse_balance"]) == int(row["starting_warehouse_balance"]) + movements
            previous = balances.get((row["fnsku"], row["disposition"]), 0)
            assert int(row["starting_warehouse_balance"]) == previous, key
            assert int(row["ending_warehouse_balance"]) >= 0
            balances[(row["fnsku"], row["disposition"])] = int(row["ending_warehouse_balance"])
        assert not {k: v for k, v in moved.items() if v}, "detail movements with no summary row"
        totals: dict[str, int] = defaultdict(int)
        for (fnsku, _), quantity in balances.items():
            totals[fnsku] += quantity
        myi = read(folder / f"inventory_{AS_OF:%Y%m%d}_{AS_OF:%Y%m%d}.txt", "inventory")
        assert {r["fnsku"]: int(r["afn_warehouse_quantity"]) for r in myi} == dict(totals)


def test_reissued_ledger_document_edits_one_row(demo: tuple[Settings, DemoResult]) -> None:
    settings, _ = demo
    folder = settings.inbox_dir / "DEMO1" / "US"
    files = sorted(folder.glob("ledger_detail_*.txt"))
    (reissued,) = [p for p in files if not p.stem.split("_")[2].endswith("01")]  # months start on the 1st
    (original,) = [p for p in files if p.stem.split("_")[3] == reissued.stem.split("_")[3] and p != reissued]
    assert reissued.stat().st_mtime > original.stat().st_mtime
    old, new = read(original, "ledger_detail"), read(reissued, "ledger_detail")
    covered = [r for r in old if r["event_date"] >= new[0]["event_date"]]
    assert len(covered) == len(new)
    assert sum(a != b for a, b in zip(covered, new, strict=True)) == 1


def test_truth_agrees_with_the_documents(demo: tuple[Settings, DemoResult]) -> None:
    settings, _ = demo
    folder = settings.inbox_dir / "DEMO1" / "US"
    rows = [r for r in truth(settings) if r["marketplace_id"] == "ATVPDKIKX0DER"]
    items = [r for p in folder.glob("inbound_shipment_items_*.txt") for r in read(p, "inbound_shipment_items")]
    for fault in (r for r in rows if r["claim_type"] == "inbound_shortage"):
        lines = [i for i in items if i["shipment_id"] == fault["reference_id"] and i["fnsku"] == fault["fnsku"]]
        final = max(lines, key=lambda i: int(i["quantity_received"]))
        assert int(final["quantity_shipped"]) - int(final["quantity_received"]) == int(fault["quantity"])
    detail = latest_per_day(folder, "ledger_detail", "event_date")
    for fault in (r for r in rows if r["claim_type"] == "warehouse_lost"):
        (loss,) = [d for d in detail if d["reference_id"] == fault["reference_id"]]
        assert (loss["reason"], loss["fnsku"]) == ("M", fault["fnsku"])
        assert int(loss["unreconciled_quantity"]) == int(fault["quantity"])


def test_render_formats_dates_decimal_comma_and_cp932() -> None:
    settlements = catalog.get("settlements")
    row = {"settlement_id": "1", "settlement_start_at": datetime(2026, 3, 1, 7, 8, 16, tzinfo=UTC),
           "total_amount": Decimal("-1234.5"), "posted_date": date(2026, 3, 2)}
    us = render_document(settlements, [row], "US").decode().splitlines()
    de = render_document(settlements, [row], "DE").decode().splitlines()
    assert us[1].split("\t")[1] == "2026-03-01 07:08:16 UTC" and us[1].split("\t")[4] == "-1234.50"
    assert de[1].split("\t")[1] == "01.03.2026 07:08:16 UTC" and de[1].split("\t")[4] == "-1.234,50"
    assert de[1].split("\t")[16] == "02.03.2026"
    returns = catalog.get("customer_returns")
    jp_row = {"returned_at": datetime(2026, 7, 6, 7, 0, tzinfo=UTC), "product_name": "竹のまな板", "quantity": 2}
    jp = render_document(returns, [jp_row], "JP")
    assert jp.decode("cp932").splitlines()[1].split("\t")[:7] == [
        "2026-07-06T16:00:00+09:00", "", "", "", "", "竹のまな板", "2"]
    assert "customer-comments" not in jp.decode("cp932")  # optional column no row holds is left out
    ledger = catalog.get("ledger_detail")
    line = render_document(ledger, [{"event_date": date(2026, 7, 6), "title": 'A "b"',
                                     "event_at": datetime(2026, 7, 6, 7, tzinfo=UTC)}], "US", dialect="csv")
    fields = line.decode().splitlines()[1]
    assert fields.startswith('"07/06/2026","","","","A ""b""",') and fields.endswith('"2026-07-06T00:00:00-07:00"')
    with pytest.raises(ValueError, match="not declare"):
        render_document(ledger, [{"no_such_column": 1}], "US")
