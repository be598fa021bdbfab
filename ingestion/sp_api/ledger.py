"""The ingestion ledger: every (seller, scope, report, window) request fbaudit made, and what it ended as.

One JSON object per line in $FBAUDIT_DATA_DIR/ledger/requests.jsonl, append-only (never in the warehouse).
The latest line for a key is that window's state. Each line is written whole, flushed and fsynced before the
next request starts; a crash can only tear the line being written, which reading skips (the window is
requested again). Landing is idempotent by checksum, so a request repeated after a crash duplicates nothing.

Scope is the marketplace code (US) or, for region-wide reports, the region (EU). A window is keyed by its
aligned first day (windows are runs of whole calendar months, as many as fit in the report's
max_window_days); it is covered when its latest state is done or cancelled_no_data and it reached as far as
data is available now."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from pathlib import Path

from ..catalog import ReportSpec
from ..jsonl import append_lines

STATES = ("requested", "done", "cancelled_no_data", "fatal", "failed")
COVERED = ("done", "cancelled_no_data")
FAILURES = ("fatal", "failed")
REPULL_WINDOWS = 2  # Amazon edits history: the most recent windows are requested again every run
LEDGER_FILE = "requests.jsonl"


@dataclass(frozen=True)
class Entry:
    seller_id: str
    scope: str  # marketplace code, or region for region-wide reports
    report: str  # our report name
    report_type: str
    window_start: str  # ISO dates, inclusive; the key is (seller_id, scope, report, window_key)
    window_end: str
    window_key: str  # the aligned first day of the window (settlements: Amazon's report id)
    state: str
    report_id: str | None = None  # Amazon's
    document_id: str | None = None  # Amazon's reportDocumentId
    landed_document_id: str | None = None  # sha256 of the landed bytes
    landing: str | None = None  # landed | duplicate
    rows: int | None = None
    reason: str | None = None
    requested_at: str | None = None  # UTC ISO instants
    finished_at: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.seller_id, self.scope, self.report, self.window_key)

    def describe(self) -> str:
        where = f"{self.seller_id} {self.scope} {self.report_type} {self.window_start}..{self.window_end}"
        report = f" report {self.report_id}" if self.report_id else ""
        if self.state == "fatal":
            return f"{where}{report} FATAL: {self.reason}"
        if self.state == "done":
            landed = f"{self.landing} {self.rows:,} rows" if self.landing else "no rows"
            return f"{where}{report} done: {landed}"
        return f"{where}{report} {self.state}" + (f": {self.reason}" if self.reason else "")


class Ledger:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "ledger" / LEDGER_FILE
        self._lock = threading.Lock()

    def record(self, entry: Entry) -> None:
        if entry.state not in STATES:
            raise ValueError(f"unknown ledger state {entry.state!r}")
        line = json.dumps(asdict(entry), sort_keys=True) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            append_lines(self.path, [line])

    def entries(self) -> list[Entry]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        names = {f.name for f in fields(Entry)}
        found = []
        for number, line in enumerate(lines, start=1):
            try:
                values = json.loads(line)
                found.append(Entry(**{k: v for k, v in values.items() if k in names}))
            except (ValueError, TypeError) as error:
                if line.startswith("{") and not line.endswith("}"):
                    continue  # torn by a crash mid-write: that request is simply made again
                raise ValueError(f"{self.path}, line {number}: not a ledger entry ({error})") from None
        return found

    def latest(self) -> dict[tuple[str, str, str, str], Entry]:
        return {entry.key: entry for entry in self.entries()}


@dataclass(frozen=True)
class Window:
    key: str  # aligned first day, ISO
    start: date
    end: date
    full_end: date  # the aligned window's last day (end is earlier while data is not yet available)


def windows(spec: ReportSpec, as_of: date, since: date | None = None, until: date | None = None) -> list[Window]:
    """The request windows of a report from `since` (default, and at most, its look-back) to the last day
    whose data is available, or only those starting by `until`. Snapshot reports: one window, today."""
    if spec.coverage == "snapshot":
        return [Window(as_of.isoformat(), as_of, as_of, as_of)] if until is None or until >= as_of else []
    floor = as_of - timedelta(days=spec.lookback_days)
    first = max(floor, since) if since else floor
    last = as_of - timedelta(days=spec.availability_lag_days)
    stop = min(last, until) if until else last
    months = max(1, spec.max_window_days // 31)
    found = []
    index = (first.year * 12 + first.month - 1) // months * months
    while True:
        start = date(index // 12, index % 12 + 1, 1)
        following = index + months
        full_end = date(following // 12, following % 12 + 1, 1) - timedelta(days=1)
        if start > stop:
            return found
        found.append(Window(start.isoformat(), max(start, floor), min(full_end, last), full_end))
        index = following


def due(
    spec: ReportSpec, candidates: list[Window], latest: dict, seller_id: str, scope: str, as_of: date
) -> list[Window]:
    """Of `candidates`, the windows not yet covered as far as data is available, plus the report's most recent
    ones (re-pulled: Amazon edits history)."""
    recent = set()
    if spec.coverage != "snapshot":
        recent = {w.key for w in windows(spec, as_of)[-REPULL_WINDOWS:]}

    def covered(window: Window) -> bool:
        entry = latest.get((seller_id, scope, spec.name, window.key))
        return (
            entry is not None
            and entry.state in COVERED
            and date.fromisoformat(entry.window_end) >= window.end
        )

    return [w for w in candidates if w.key in recent or not covered(w)]


def gaps(latest: dict, expected: list[tuple[str, str, ReportSpec, Window]]) -> list[str]:
    """One line per expected window not covered: never requested, or its latest request failed."""
    lines = []
    for seller_id, scope, spec, window in expected:
        entry = latest.get((seller_id, scope, spec.name, window.key))
        if entry is None:
            lines.append(
                f"{seller_id} {scope} {spec.report_type} {window.start}..{window.end}: never requested"
            )
        elif entry.state not in COVERED or date.fromisoformat(entry.window_end) < window.end:
            lines.append(entry.describe())
    return lines
