"""What a request returns: the demo simulation's documents (the very ones the file drop writes), as Amazon
holds them now, cut to the window a request asks for.

"As Amazon holds them now": of all documents covering a day, the newest owns that day's rows (a re-issued
ledger window replaces the days it re-covers), as staging reads the file drop. Windows are half-open
[start, end) in UTC; a date column's day counts at its midnight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from .. import catalog
from ..catalog import ReportSpec
from ..demo import Simulation
from ..demo.documents import Document

Row = dict[str, Any]


def instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Shipment:
    row: Row  # an inbound_shipments row
    items: list[Row]  # its inbound_shipment_items rows
    updated: datetime  # LastUpdated: the end of the newest document holding it


class World:
    """The demo sellers' documents, indexed by (seller, report, scope): scope is the marketplace code, or the
    region for region-wide reports."""

    def __init__(self, simulation: Simulation, marketplaces: tuple[str, ...]) -> None:
        self.marketplaces = tuple(catalog.marketplace(code).code for code in marketplaces)
        self._documents: dict[tuple[str, str, str], list[Document]] = {}
        for document in sorted(simulation.documents, key=lambda d: d.created_at):
            spec = catalog.get(document.report)
            key = (document.seller_id, spec.name, self._scope(spec, document.marketplace_code))
            self._documents.setdefault(key, []).append(document)
        self.sellers = tuple(sorted({seller for seller, _, _ in self._documents}))
        self._current: dict[tuple[str, str, str], list[Row]] = {}

    @staticmethod
    def _scope(spec: ReportSpec, code: str) -> str:
        return catalog.marketplace(code).region if spec.scope == "region" else code

    def documents(self, seller_id: str, spec: ReportSpec, code: str) -> list[Document]:
        """Oldest first."""
        return self._documents.get((seller_id, spec.name, self._scope(spec, code)), [])

    def current_rows(self, seller_id: str, spec: ReportSpec, code: str) -> list[Row]:
        """A windowed report's rows as Amazon holds them now: each day's rows from the newest document
        covering that day."""
        key = (seller_id, spec.name, self._scope(spec, code))
        if key not in self._current:
            column = spec.coverage_column
            assert spec.coverage == "window" and column is not None
            owner: dict[date, int] = {}
            documents = self.documents(seller_id, spec, code)
            for number, document in enumerate(documents):
                day = document.first
                while day <= document.last:
                    owner[day] = number
                    day += timedelta(days=1)
            self._current[key] = sorted(
                (row for number, document in enumerate(documents) for row in document.rows
                 if owner[_day(row[column])] == number),
                key=lambda row: instant(row[column]))
        return self._current[key]

    def window_rows(self, seller_id: str, spec: ReportSpec, code: str, start: datetime,
                    end: datetime) -> list[Row]:
        """The rows a report requested for [start, end) holds.

        Windowed reports: rows whose coverage column falls in the window. Snapshots: the newest snapshot (the
        window is ignored, as Amazon does). Keyed reports (storage fees): the documents whose period starts in
        the window."""
        if spec.coverage == "window":
            column = spec.coverage_column
            rows = self.current_rows(seller_id, spec, code)
            return [row for row in rows if start <= instant(row[column]) < end]
        documents = self.documents(seller_id, spec, code)
        if spec.coverage == "snapshot":
            return list(documents[-1].rows) if documents else []
        return [row for document in documents if start <= instant(document.first) < end
                for row in document.rows]

    def shipments(self, seller_id: str, code: str) -> dict[str, Shipment]:
        """Each inbound shipment as the newest document holding it shows it."""
        shipments_spec, items_spec = catalog.get("inbound_shipments"), catalog.get("inbound_shipment_items")
        items_by_period: dict[tuple[date, date], list[Row]] = {
            (d.first, d.last): d.rows for d in self.documents(seller_id, items_spec, code)}
        found: dict[str, Shipment] = {}
        for document in self.documents(seller_id, shipments_spec, code):
            items = items_by_period[(document.first, document.last)]
            updated = instant(document.last)
            for row in document.rows:
                shipment_id = row["shipment_id"]
                lines = [item for item in items if item["shipment_id"] == shipment_id]
                found[shipment_id] = Shipment(row, lines, updated)
        return found
