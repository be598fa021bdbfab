"""Cut the simulated rows into report documents the way Amazon publishes them, and write them to the inbox.

Each file's mtime is the simulated time Amazon generated it (landing reads it as the document's creation time)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import catalog
from ..render import render_document
from .business import Business

SETTLEMENT_DAYS = 14
REISSUE_OFFSET_DAYS = 10  # the re-issued ledger document starts this many days into the second month


@dataclass(frozen=True)
class Document:
    report: str
    seller_id: str
    marketplace_code: str  # the file drop's folder: inbox/<seller_id>/<CODE>
    first: date
    last: date
    created_at: datetime  # UTC
    rows: list[dict[str, Any]]
    dialect: str = "tsv"

    @property
    def file_name(self) -> str:
        suffix = "csv" if self.dialect == "csv" else "txt"
        return f"{self.report}_{self.first:%Y%m%d}_{self.last:%Y%m%d}.{suffix}"

    def write(self, inbox: Path) -> Path:
        spec = catalog.get(self.report)
        path = inbox / self.seller_id / self.marketplace_code / self.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_document(spec, self.rows, self.marketplace_code, dialect=self.dialect))
        stamp = self.created_at.timestamp()
        os.utime(path, (stamp, stamp))
        return path


def generated(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def month_windows(first: date, last: date) -> list[tuple[date, date]]:
    windows, start = [], first
    while start <= last:
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        windows.append((start, min(last, following - timedelta(days=1))))
        start = following
    return windows


def row_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def windowed(report: str, seller_id: str, code: str, rows: list[dict[str, Any]], first: date,
             last: date) -> Iterator[Document]:
    """Monthly documents of a report whose rows carry a coverage date; generated the day after each window."""
    column = catalog.get(report).coverage_column
    assert column is not None
    by_month: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in rows:
        day = row_date(row[column])
        by_month.setdefault((day.year, day.month), []).append(row)
    for start, end in month_windows(first, last):
        chosen = sorted(by_month.get((start.year, start.month), []), key=lambda r: row_date(r[column]))
        if chosen:
            yield Document(report, seller_id, code, start, end, generated(end + timedelta(days=1)), chosen)


def reissue(document: Document) -> Document | None:
    """A later document re-covering the last days of `document`, one Shipments row moved to another FC."""
    start = document.first + timedelta(days=REISSUE_OFFSET_DAYS)
    rows = [dict(r) for r in document.rows if start <= r["event_date"]]
    edited = next((r for r in rows if r["event_type"] == "Shipments"), None)
    if start > document.last or edited is None:
        return None
    center = edited["fulfillment_center"]
    edited["fulfillment_center"] = center[:-1] + str((int(center[-1]) + 1) % 10)  # PHX7 -> PHX8
    return Document(document.report, document.seller_id, document.marketplace_code, start, document.last,
                    document.created_at + timedelta(days=20), rows)


def ledger_documents(businesses: list[Business], first: date, last: date) -> Iterator[Document]:
    """Region-wide ledger documents: all the region's countries in one file, under its first marketplace."""
    seller_id, code = businesses[0].seller_id, businesses[0].place.code
    detail = [row for biz in businesses for row in biz.ledger.rows]
    summary = [row for biz in businesses for row in biz.ledger.summary_rows()]
    details = list(windowed("ledger_detail", seller_id, code, detail, first, last))
    yield from details
    if len(details) >= 2:
        again = reissue(details[1])
        if again is not None:
            yield again
    yield from windowed("ledger_summary", seller_id, code, summary, first, last)


def settlement_documents(biz: Business) -> Iterator[Document]:
    """One document per closed 14-day settlement period; its first row summarises the period."""
    periods: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(biz.rows["settlements"], key=lambda r: r["posted_date"]):
        periods.setdefault((row["posted_date"] - biz.start).days // SETTLEMENT_DAYS, []).append(row)
    last_day = biz.day_of(biz.days - 1)
    start = biz.start
    while start + timedelta(days=SETTLEMENT_DAYS - 1) <= last_day:
        end = start + timedelta(days=SETTLEMENT_DAYS - 1)
        settlement_id = biz.ids.make("", 11)
        rows = periods.get((start - biz.start).days // SETTLEMENT_DAYS, [])
        body = [{**r, "settlement_id": settlement_id} for r in rows]
        closes = generated(end + timedelta(days=1), 0)
        head = {"settlement_id": settlement_id, "settlement_start_at": generated(start, 0),
                "settlement_end_at": closes, "deposit_at": closes + timedelta(days=2),
                "total_amount": sum((r["amount"] for r in body), Decimal("0")),
                "currency_code": biz.place.currency_code}
        yield Document("settlements", biz.seller_id, biz.place.code, start, end, closes + timedelta(hours=6),
                       [head, *body])
        start = end + timedelta(days=1)


def marketplace_documents(biz: Business, as_of: date) -> Iterator[Document]:
    seller_id, code, first, last = biz.seller_id, biz.place.code, biz.start, biz.day_of(biz.days - 1)
    for report in ("reimbursements", "customer_returns", "replacements", "removal_orders", "removal_shipments",
                   "financial_events"):
        yield from windowed(report, seller_id, code, biz.rows[report], first, last)
    yield from settlement_documents(biz)
    for start, end in month_windows(first, last):
        shipments, items = biz.inbound_rows((start - first).days, (end - first).days)
        created = generated(end + timedelta(days=1))
        if shipments:
            yield Document("inbound_shipments", seller_id, code, start, end, created, shipments)
            yield Document("inbound_shipment_items", seller_id, code, start, end, created, items)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in biz.rows["storage_fees"]:
        by_month.setdefault(row["month_of_charge"], []).append(row)
    for month, rows in by_month.items():
        start = date.fromisoformat(f"{month}-01")
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        yield Document("storage_fees", seller_id, code, start, end, generated(end + timedelta(days=7)), rows)
    for day in sorted(biz.snapshots):
        taken = biz.day_of(day + 1)
        yield Document("inventory", seller_id, code, taken, taken, generated(taken, 2), biz.inventory_rows(day))
    yield Document("fee_preview", seller_id, code, as_of, as_of, generated(as_of, 2), biz.fee_preview_rows())
    costs = biz.cost_rows()
    yield Document("product_costs", seller_id, code, min(r["effective_date"] for r in costs), last,
                   generated(as_of, 1), costs, dialect="csv")
