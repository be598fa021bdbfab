"""The inventory ledger of one marketplace: every movement as a detail row, balances, and the daily summary.

The summary is computed from the detail rows, so detail sums always equal summary movements and every
summary row satisfies Ending = Starting + movements (In Transit Between Warehouses and Unknown Events are 0)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .products import Product

MOVEMENTS = ("receipts", "customer_shipments", "customer_returns", "vendor_returns", "warehouse_transfer_in_out",
             "found", "lost", "damaged", "disposed", "other_events")
EVENT_COLUMN = {"Receipts": "receipts", "Shipments": "customer_shipments", "CustomerReturns": "customer_returns",
                "VendorReturns": "vendor_returns", "WhseTransfers": "warehouse_transfer_in_out"}
REASON_COLUMN = {"F": "found", "N": "found", "M": "lost", "5": "lost", "E": "damaged", "6": "damaged",
                 "7": "damaged", "H": "damaged", "K": "damaged", "U": "damaged", "D": "disposed", "G": "disposed"}
# Reasons whose rows carry Reconciled / Unreconciled Quantity (misplaced, found, damaged at the FC).
RECONCILED_REASONS = {"M", "5", "F", "E", "6", "7", "H", "K", "U"}


def summary_column(event_type: str, reason: str) -> str:
    if event_type == "Adjustments":
        return REASON_COLUMN.get(reason, "other_events")  # P, Q, O, 3, 4 ...
    return EVENT_COLUMN[event_type]


class Ledger:
    def __init__(self, country: str, start: date, days: int) -> None:
        self.country = country
        self.start = start
        self.days = days
        self.rows: list[dict[str, Any]] = []
        self.stock: dict[tuple[str, str], int] = {}
        self._products: dict[str, Product] = {}
        # (fnsku, disposition) -> day index -> movement column -> quantity
        self._moves: dict[tuple[str, str], dict[int, dict[str, int]]] = {}

    def balance(self, fnsku: str, disposition: str = "SELLABLE") -> int:
        return self.stock.get((fnsku, disposition), 0)

    def post(self, day: int, at: datetime, product: Product, event_type: str, reference_id: str, quantity: int,
             fulfillment_center: str, disposition: str, reason: str = "") -> dict[str, Any]:
        key = (product.fnsku, disposition)
        if self.stock.get(key, 0) + quantity < 0:
            raise ValueError(f"ledger {self.country}: {product.fnsku} {disposition} would go negative on day {day}")
        self.stock[key] = self.stock.get(key, 0) + quantity
        self._products[product.fnsku] = product
        column = summary_column(event_type, reason)
        day_moves = self._moves.setdefault(key, {}).setdefault(day, {})
        day_moves[column] = day_moves.get(column, 0) + quantity
        row: dict[str, Any] = {
            "event_date": self.start + timedelta(days=day), "fnsku": product.fnsku, "asin": product.asin,
            "msku": product.sku, "title": product.title, "event_type": event_type, "reference_id": reference_id,
            "quantity": quantity, "fulfillment_center": fulfillment_center, "disposition": disposition,
            "reason": reason or None, "country": self.country, "event_at": at,
            "reconciled_quantity": None, "unreconciled_quantity": None,
        }
        if event_type == "Adjustments" and reason in RECONCILED_REASONS:
            found = reason == "F"
            row["reconciled_quantity"] = abs(quantity) if found else 0
            row["unreconciled_quantity"] = 0 if found else abs(quantity)
        self.rows.append(row)
        return row

    @staticmethod
    def reconcile(row: dict[str, Any], quantity: int) -> None:
        """Units of a misplaced or damaged row later found or reimbursed (the state shown is that of as_of)."""
        row["reconciled_quantity"] += quantity
        row["unreconciled_quantity"] -= quantity

    def daily_totals(self) -> dict[str, list[int]]:
        """End-of-day balance over all dispositions, per FNSKU and day of the period."""
        net: dict[str, list[int]] = {}
        for (fnsku, _), by_day in self._moves.items():
            changes = net.setdefault(fnsku, [0] * self.days)
            for day, moves in by_day.items():
                if day >= 0:
                    changes[day] += sum(moves.values())
        totals = {}
        for fnsku, changes in net.items():
            running, balances = 0, []
            for change in changes:
                running += change
                balances.append(running)
            totals[fnsku] = balances
        return totals

    def summary_rows(self) -> list[dict[str, Any]]:
        """One row per day, FNSKU and disposition, from the first movement of that pair to the last day."""
        first_day = {key: min(by_day) for key, by_day in self._moves.items()}
        balances = dict.fromkeys(self._moves, 0)
        rows = []
        for day in range(self.days):
            summary_date = self.start + timedelta(days=day)
            for key, by_day in self._moves.items():
                if first_day[key] > day:
                    continue
                product = self._products[key[0]]
                moves = by_day.get(day, {})
                starting = balances[key]
                ending = starting + sum(moves.values())
                balances[key] = ending
                rows.append({
                    "summary_date": summary_date, "fnsku": product.fnsku, "asin": product.asin,
                    "msku": product.sku, "title": product.title, "disposition": key[1],
                    "starting_warehouse_balance": starting, "in_transit_between_warehouses": 0,
                    **{column: moves.get(column, 0) for column in MOVEMENTS},
                    "ending_warehouse_balance": ending, "unknown_events": 0, "location": self.country,
                })
        return rows
