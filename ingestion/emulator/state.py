"""The emulator's mutable state, shared by the request threads: faults, the request log, tokens, reports,
documents, pagination cursors and the clock. Every method takes the lock."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from time import time as wall_clock
from typing import Any

FAULT_KINDS = ("throttle", "throttle_empty", "server_error", "fatal", "cancelled", "in_progress", "truncate",
               "cp1252")
OPERATIONS = ("token", "createReport", "getReport", "getReports", "getReportDocument", "download",
              "getShipments", "getShipmentItems", "listFinancialEvents")
FAULT_OPERATIONS = {  # the operations a fault of these kinds can act on (the others: any)
    "fatal": ("createReport",), "cancelled": ("createReport",), "in_progress": ("createReport",),
    "truncate": ("download",), "cp1252": ("download",),
}
TOKEN_SECONDS = 3600
QUEUED_POLLS = 1  # getReport answers IN_QUEUE this many times, then IN_PROGRESS once, then the outcome


@dataclass
class Fault:
    """throttle, throttle_empty and server_error answer the matching request; fatal, cancelled and
    in_progress decide the outcome of the report a matching createReport creates; truncate and cp1252 change
    a matching download."""

    kind: str
    operation: str | None = None  # None: any operation
    report_type: str | None = None  # None: any report type
    count: int | None = None  # how many matching requests it still hits; None: every one
    status: int = 500  # server_error only: 500 or 503

    @classmethod
    def parse(cls, spec: Mapping[str, Any], index: int) -> Fault:
        where = f"fault {index}"
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: expected an object like {{\"kind\": \"throttle\"}}, got {spec!r}")
        unknown = set(spec) - {"kind", "operation", "report_type", "count", "status"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        fault = cls(spec.get("kind"), spec.get("operation"), spec.get("report_type"), spec.get("count"),
                    spec.get("status", 500))
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(FAULT_KINDS)}, not {fault.kind!r}")
        allowed = FAULT_OPERATIONS.get(fault.kind, OPERATIONS)
        if fault.operation is not None and fault.operation not in allowed:
            raise ValueError(f"{where}: a {fault.kind} fault's operation must be one of "
                             f"{', '.join(allowed)}, not {fault.operation!r}")
        if fault.count is not None and (type(fault.count) is not int or fault.count < 1):
            raise ValueError(f"{where}: count must be a positive whole number, not {fault.count!r}")
        if fault.status not in (500, 503):
            raise ValueError(f"{where}: status must be 500 or 503, not {fault.status!r}")
        return fault


@dataclass
class Report:
    report_id: str
    seller_id: str
    report_type: str
    marketplace_ids: list[str]
    data_start: datetime
    data_end: datetime
    created: datetime
    outcome: str  # DONE, CANCELLED or FATAL
    document_id: str | None
    polls: int = -1  # -1: listed, never queued (settlements); else getReport calls so far
    stuck: bool = False  # an in_progress fault: IN_PROGRESS until `State.release_stuck_reports`

    def status(self) -> str:
        if self.polls < 0 or (self.polls > QUEUED_POLLS + 1 and not self.stuck):
            return self.outcome
        return "IN_QUEUE" if self.polls <= QUEUED_POLLS else "IN_PROGRESS"


@dataclass
class StoredDocument:
    document_id: str
    seller_id: str
    report_type: str
    marketplace_code: str  # the formats and encoding it is written in
    body: bytes  # the plain (uncompressed) document


@dataclass
class _Cursor:
    seller_id: str
    operation: str
    items: Sequence[Any]
    size: int
    offset: int = 0


@dataclass
class State:
    as_of: date
    lock: threading.RLock = field(default_factory=threading.RLock)
    faults: list[Fault] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)
    documents: dict[str, StoredDocument] = field(default_factory=dict)
    signing_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _requests: list[tuple[float, str, str, str]] = field(default_factory=list)  # (wall time, method, path, op)
    _tokens: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    _cursors: dict[str, _Cursor] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _offset: timedelta = timedelta()
    _started: float = field(default_factory=monotonic)

    # --- what tests drive ------------------------------------------------------------------------------
    def set_faults(self, specs: Sequence[Mapping[str, Any]]) -> None:
        """Replace the active faults (see SPAPI.md: kind, operation, report_type, count; status for 5xx)."""
        if not isinstance(specs, Sequence) or isinstance(specs, str | bytes):
            raise ValueError("faults must be a list of objects")
        faults = [Fault.parse(spec, n) for n, spec in enumerate(specs, start=1)]
        with self.lock:
            self.faults = faults

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        """(method, path without query string, operation) of every API request, in arrival order."""
        with self.lock:
            return [request[1:] for request in self._requests]

    @property
    def timed_requests(self) -> list[tuple[float, str, str, str]]:
        """(arrival time in seconds since the epoch, method, path, operation) of every API request, in order."""
        with self.lock:
            return list(self._requests)

    def reset(self) -> None:
        """Forget the faults, the request log and any clock advance (tokens and reports stay valid)."""
        with self.lock:
            self.faults.clear()
            self._requests.clear()
            self._offset = timedelta()

    def release_stuck_reports(self) -> None:
        """Let every report an in_progress fault kept IN_PROGRESS reach its outcome (as Amazon's eventually do)."""
        with self.lock:
            for report in self.reports.values():
                report.stuck = False

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward (expire download URLs and tokens without waiting)."""
        with self.lock:
            self._offset += timedelta(seconds=seconds)

    # --- what the handler uses -------------------------------------------------------------------------
    def now(self) -> datetime:
        """The simulated world's clock: noon UTC on `as_of` when the emulator started, running in real
        time."""
        elapsed = timedelta(seconds=monotonic() - self._started)
        with self.lock:
            return datetime.combine(self.as_of, time(12), tzinfo=UTC) + elapsed + self._offset

    def log(self, method: str, path: str, operation: str) -> None:
        with self.lock:
            self._requests.append((wall_clock(), method, path, operation))

    def take_fault(self, kinds: Sequence[str], operation: str, report_type: str | None) -> Fault | None:
        """The first active fault of one of `kinds` matching this request; it uses up one of its count."""
        with self.lock:
            for fault in self.faults:
                if (fault.kind in kinds and fault.operation in (None, operation)
                        and fault.report_type in (None, report_type)):
                    if fault.count is not None:
                        fault.count -= 1
                        if fault.count == 0:
                            self.faults.remove(fault)
                    return fault
            return None

    def new_id(self, prefix: str) -> str:
        with self.lock:
            return f"{prefix}{next(self._ids):08d}"

    def issue_token(self, seller_id: str) -> str:
        with self.lock:
            token = f"demo-access-{seller_id}-{next(self._ids)}"
            self._tokens[token] = (seller_id, self.now() + timedelta(seconds=TOKEN_SECONDS))
            return token

    def seller_for(self, token: str) -> str | None:
        """The seller a valid, unexpired access token belongs to."""
        with self.lock:
            found = self._tokens.get(token)
            return found[0] if found and self.now() < found[1] else None

    def page(self, seller_id: str, operation: str, items: Sequence[Any],
             size: int) -> tuple[list[Any], str | None]:
        """The first page of `items` and a token for the next (None when it was the last)."""
        with self.lock:
            return self._slice(_Cursor(seller_id, operation, items, size))

    def next_page(self, seller_id: str, operation: str, token: str) -> tuple[list[Any], str | None] | None:
        """The page a token stands for (tokens stay valid, so a retried request gets the same page); None for
        an unknown token or another seller's."""
        with self.lock:
            cursor = self._cursors.get(token)
            if cursor is None or (cursor.seller_id, cursor.operation) != (seller_id, operation):
                return None
            return self._slice(cursor)

    def _slice(self, cursor: _Cursor) -> tuple[list[Any], str | None]:
        end = cursor.offset + cursor.size
        following = None
        if end < len(cursor.items):
            following = secrets.token_urlsafe(12)
            self._cursors[following] = _Cursor(cursor.seller_id, cursor.operation, cursor.items, cursor.size,
                                               end)
        return list(cursor.items[cursor.offset:end]), following
