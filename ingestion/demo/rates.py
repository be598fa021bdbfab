"""Amazon's fee policy as data: the rate-card seeds dbt also loads (`dbt/seeds/*_rates.csv`).

The seeds are the one home of these numbers; the simulation charges from them, detection checks against them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt" / "seeds"
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
CUBIC_CM_PER_UNIT = {"cubic feet": Decimal("28316.846592"), "cubic meters": Decimal("1000000")}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rows(name: str, marketplace_id: str) -> list[dict[str, str]]:
    path = SEEDS_DIR / name
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["marketplace_id"] == marketplace_id]
    if not rows:
        raise ValueError(f"{path}: no rows for marketplace {marketplace_id}")
    return rows


def _in_force(row: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(row["effective_from_date"])
    end = date.fromisoformat(row["effective_to_date"]) if row["effective_to_date"] else date.max
    return start <= day <= end


@dataclass(frozen=True)
class Dimensions:
    longest_cm: Decimal
    median_cm: Decimal
    shortest_cm: Decimal
    weight_g: Decimal

    @property
    def cubic_cm(self) -> Decimal:
        return self.longest_cm * self.median_cm * self.shortest_cm

    @property
    def length_and_girth_cm(self) -> Decimal:
        return self.longest_cm + 2 * (self.median_cm + self.shortest_cm)


@dataclass(frozen=True)
class Tier:
    name: str
    rank: int
    storage_size_class: str
    fee: Decimal


class RateCard:
    """All three seeds for one marketplace."""

    def __init__(self, marketplace_id: str) -> None:
        self.marketplace_id = marketplace_id
        self._fulfillment = sorted(
            _rows("fba_fulfillment_fee_rates.csv", marketplace_id), key=lambda r: int(r["tier_rank"])
        )
        self._referral = _rows("referral_fee_rates.csv", marketplace_id)
        self._storage = _rows("storage_fee_rates.csv", marketplace_id)
        self.volume_unit = self._storage[0]["volume_unit"]
        self.categories = tuple(sorted({r["category"] for r in self._referral}))
        self._tiers: dict[tuple[Dimensions, date], Tier] = {}

    def tiers(self, day: date) -> list[Tier]:
        return [
            Tier(r["size_tier"], int(r["tier_rank"]), r["storage_size_class"], Decimal(r["fee_per_unit_amount"]))
            for r in self._fulfillment if _in_force(r, day)
        ]

    def tier(self, dims: Dimensions, day: date) -> Tier:
        """The smallest tier whose limits the sorted sides and the weight all fit."""
        if (dims, day) not in self._tiers:
            self._tiers[(dims, day)] = self._find_tier(dims, day)
        return self._tiers[(dims, day)]

    def _find_tier(self, dims: Dimensions, day: date) -> Tier:
        for r in self._fulfillment:
            limits = (r["max_longest_side_cm"], r["max_median_side_cm"], r["max_shortest_side_cm"], r["max_weight_g"])
            sizes = (dims.longest_cm, dims.median_cm, dims.shortest_cm, dims.weight_g)
            if _in_force(r, day) and all(s <= Decimal(limit) for s, limit in zip(sizes, limits, strict=True)):
                return Tier(r["size_tier"], int(r["tier_rank"]), r["storage_size_class"],
                            Decimal(r["fee_per_unit_amount"]))
        raise ValueError(f"{dims} fits no size tier of marketplace {self.marketplace_id} on {day}")

    def next_tier(self, tier: Tier, day: date) -> Tier:
        larger = [t for t in self.tiers(day) if t.rank > tier.rank]
        return larger[0] if larger else tier

    def _referral_row(self, category: str, day: date) -> dict[str, str]:
        for r in self._referral:
            if r["category"] == category and _in_force(r, day):
                return r
        raise ValueError(f"no referral rate for {category!r} in {self.marketplace_id} on {day}")

    def referral_rate(self, category: str, day: date) -> Decimal:
        return Decimal(self._referral_row(category, day)["referral_rate"])

    def referral_fee(self, category: str, unit_price: Decimal, quantity: int, day: date,
                     rate: Decimal | None = None) -> Decimal:
        """Per unit: the rate times the price, rounded to the cent, at least the minimum; times quantity."""
        row = self._referral_row(category, day)
        per_unit = money(unit_price * (rate if rate is not None else Decimal(row["referral_rate"])))
        return max(per_unit, Decimal(row["minimum_fee_amount"])) * quantity

    def refund_administration_fee(self, category: str, commission: Decimal, day: date) -> Decimal:
        """The lesser of the cap and the rate (20%) of the commission charged, rounded to the cent."""
        row = self._referral_row(category, day)
        return min(Decimal(row["refund_administration_fee_cap_amount"]),
                   money(commission * Decimal(row["refund_administration_rate"])))

    def unit_volume(self, dims: Dimensions) -> Decimal:
        return (dims.cubic_cm / CUBIC_CM_PER_UNIT[self.volume_unit]).quantize(MICRO, rounding=ROUND_HALF_UP)

    def storage_rate(self, size_class: str, month_start: date) -> Decimal:
        for r in self._storage:
            in_months = int(r["month_from"]) <= month_start.month <= int(r["month_to"])
            if r["storage_size_class"] == size_class and in_months and _in_force(r, month_start):
                return Decimal(r["rate_per_volume_unit"])
        raise ValueError(f"no storage rate for {size_class} in {self.marketplace_id} for {month_start:%Y-%m}")

    def storage_fee(self, average_quantity: Decimal, unit_volume: Decimal, rate: Decimal) -> Decimal:
        return money(average_quantity * unit_volume * rate)
