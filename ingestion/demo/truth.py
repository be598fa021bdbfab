"""Ground truth: one row per injected fault the seller is owed money for, written as the fault is injected."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class TruthRow:
    seller_id: str
    marketplace_id: str  # Amazon's id, e.g. ATVPDKIKX0DER
    claim_type: str
    reference_id: str
    fnsku: str
    quantity: int | None  # None for money-only claims (fees, value shortfalls)
    claim_amount: Decimal  # two places, in the marketplace's currency
    occurred_date: date


HEADER = tuple(f.name for f in fields(TruthRow))


def write_truth(path: Path, rows: Iterable[TruthRow]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if v is None else v for v in astuple(row)])
            count += 1
    return count
