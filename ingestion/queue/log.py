"""The two append-only JSON Lines files outside the warehouse, which survive every rebuild (the warehouse can
be deleted and rebuilt from the lake and these files):

- `$FBAUDIT_DATA_DIR/claims/actions.jsonl`: what a person did with a claim (filed with a case id, denied,
  dismissed, a note, reopened), with a snapshot of the claim as the mart showed it then;
- `$FBAUDIT_DATA_DIR/claims/register.jsonl`: every claim the first time a build found it, so a claim Amazon
  later pays on its own stays visible (`resolved_by_amazon`) when the rules stop finding it.

dbt reads both. Each line is one JSON object written whole, flushed and fsynced; a crash can only tear the
line being written, which reading skips. Amounts are decimal strings ("12.34"), dates ISO, never floats."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import duckdb

from ..jsonl import append_lines
from ..settings import Settings

ACTIONS_FILE = "actions.jsonl"
REGISTER_FILE = "register.jsonl"
ACTIONS = ("filed", "denied", "dismissed", "note", "reopened")
REGISTERED_STATUSES = ("waiting", "claimable", "expired")  # what the rules found, before actions or payments
CLAIMS_MART = "marts.fct_claim_opportunities"


@dataclass(frozen=True, kw_only=True)
class ClaimSnapshot:
    """A claim as the mart showed it: JSON strings or null (quantity: an integer or null)."""

    seller_id: str
    marketplace_id: str
    claim_type: str
    reference_type: str | None
    reference_id: str | None
    sku: str | None
    fnsku: str | None
    asin: str | None
    occurred_date: str | None
    eligible_from_date: str | None
    deadline_date: str | None
    quantity: int | None
    unit_value_amount: str | None
    claim_amount: str | None
    currency_code: str | None
    valuation_basis: str | None
    confidence: str | None
    evidence: str | None
    case_text: str | None


SNAPSHOT_FIELDS = tuple(f.name for f in fields(ClaimSnapshot))


@dataclass(frozen=True, kw_only=True)
class Action(ClaimSnapshot):
    action_id: str  # uuid4 hex
    recorded_at: str  # UTC ISO instant, "2026-11-28T15:04:05Z"
    action: str  # one of ACTIONS
    claim_id: str
    case_id: str | None = None  # filed only (required there)
    reason: str | None = None  # dismissed only (required there)
    note: str | None = None  # optional on any action


@dataclass(frozen=True, kw_only=True)
class RegisteredClaim(ClaimSnapshot):
    claim_id: str
    first_seen_on: str  # the as_of date of the build that first found it


def actions_path(settings: Settings) -> Path:
    return settings.claims_dir / ACTIONS_FILE


def register_path(settings: Settings) -> Path:
    return settings.claims_dir / REGISTER_FILE


def ensure_claim_files(settings: Settings) -> None:
    """Create the claims folder (0700) and both files, empty (0600), where missing; dbt reads them."""
    settings.claims_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in (actions_path(settings), register_path(settings)):
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass


def to_line(record: ClaimSnapshot) -> str:
    """One JSON line: the record's own fields (ids, action) first, then the claim snapshot."""
    values = asdict(record)
    own = {k: v for k, v in values.items() if k not in SNAPSHOT_FIELDS}
    return json.dumps({**own, **values}, ensure_ascii=False) + "\n"


def append_action(settings: Settings, action: Action) -> None:
    """Append one action, unvalidated (`actions.mark` validates)."""
    if action.action not in ACTIONS:
        raise ValueError(f"unknown claim action {action.action!r} (known: {', '.join(ACTIONS)})")
    ensure_claim_files(settings)
    append_lines(actions_path(settings), [to_line(action)])


Record = TypeVar("Record", Action, RegisteredClaim)


def read_records(path: Path, kind: type[Record]) -> list[Record]:
    """Every whole line of a claims file, in the order written; a line torn by a crash is skipped."""
    if not path.exists():
        return []
    names = {f.name for f in fields(kind)}
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
            found.append(kind(**{k: v for k, v in values.items() if k in names}))
        except (ValueError, TypeError, AttributeError) as error:
            if line.startswith("{") and not line.endswith("}"):
                continue  # torn by a crash mid-write: that action or claim was never recorded
            raise ValueError(f"{path}, line {number}: not a valid {kind.__name__} line ({error})") from None
    return found


def read_actions(settings: Settings) -> list[Action]:
    return read_records(actions_path(settings), Action)


def read_register(settings: Settings) -> list[RegisteredClaim]:
    return read_records(register_path(settings), RegisteredClaim)


def snapshot_of(row: Mapping[str, object]) -> dict[str, str | int | None]:
    """The snapshot fields of a mart row, as JSON values: dates ISO, amounts decimal strings."""
    values: dict[str, str | int | None] = {}
    for name in SNAPSHOT_FIELDS:
        value = row.get(name)
        if value is None or name == "quantity":
            values[name] = None if value is None else int(value)
        elif isinstance(value, date):
            values[name] = value.isoformat()
        elif isinstance(value, Decimal):
            values[name] = format(value, "f")
        else:
            values[name] = str(value)
    return values


def mart_rows(warehouse: Path, where: str = "true", params: list | None = None) -> list[dict[str, object]]:
    """Rows of the claims mart (read-only connection), as dicts by column name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from {CLAIMS_MART} where {where} order by claim_id", params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def register_new_claims(settings: Settings, warehouse: Path) -> int:
    """Append the claims the mart found (waiting, claimable, expired) that the register does not hold yet,
    first seen on `settings.as_of`; returns how many."""
    ensure_claim_files(settings)
    known = {c.claim_id for c in read_register(settings)}
    statuses = ", ".join(f"'{s}'" for s in REGISTERED_STATUSES)
    first_seen_on = settings.as_of.isoformat()
    new = [
        RegisteredClaim(claim_id=str(row["claim_id"]), first_seen_on=first_seen_on, **snapshot_of(row))
        for row in mart_rows(warehouse, f"status in ({statuses})")
        if row["claim_id"] not in known
    ]
    if new:
        append_lines(register_path(settings), [to_line(claim) for claim in new])
    return len(new)
