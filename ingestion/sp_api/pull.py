"""`pull`: request what the ledger says is due, for every seller in the sellers file, and land it."""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sp_api.auth.exceptions import AuthorizationError

from .. import catalog
from ..catalog import ReportSpec, marketplace
from ..land import LandingResult, land_file
from ..render import render_document
from ..settings import Settings
from . import adapters, http, reports
from .client import FinancesV0, FulfillmentInboundV0, Reports, api_client
from .ledger import FAILURES, Entry, Ledger, Window, due, gaps, windows
from .sellers import Seller, load_sellers

Progress = Callable[[str], None]
SOURCES = ("report", "report_list", "inbound_api", "finances_api")
WORKERS = 6  # windows in flight at once; the rate limiter still decides the pace per seller and region
FETCHED_WITH = {"inbound_shipment_items": "inbound_shipments"}  # one getShipments walk lands both
_LANDING = threading.Lock()  # landing writes with DuckDB: one document at a time


@dataclass(frozen=True)
class PullSummary:
    entries: list[Entry]  # the final entry of every request this run made
    gaps: list[str]  # windows not covered after this run

    @property
    def failures(self) -> list[Entry]:
        return [e for e in self.entries if e.state in FAILURES]

    def lines(self) -> list[str]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.state] = counts.get(entry.state, 0) + 1
        rows = sum(e.rows or 0 for e in self.entries if e.landing == "landed")
        head = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing was due"
        lines = [f"pulled {len(self.entries)} windows: {head}; {rows:,} new rows landed"]
        lines += [f"  FAILED {e.describe()}" for e in self.failures]
        lines += [f"  PENDING {e.describe()}" for e in self.entries if e.state == "requested"]
        if self.gaps:
            lines.append(f"{len(self.gaps)} window(s) not covered:")
            lines += [f"  {gap}" for gap in self.gaps]
        return lines


@dataclass(frozen=True)
class _Job:
    seller: Seller
    spec: ReportSpec
    scope: str
    marketplace_code: str  # the marketplace the request is made for
    window: Window
    report_id: str | None = None  # a report requested before and still processing: poll it, do not re-create


def pullable(spec: ReportSpec) -> bool:
    return spec.source in SOURCES


def pull(
    settings: Settings,
    *,
    seller: str | None = None,
    since: date | None = None,
    until: date | None = None,
    progress: Progress | None = None,
) -> PullSummary:
    """Request every window that is due (missing since `since`, default each report's look-back; the most
    recent ones again; today's snapshots) for every seller in `settings.sellers_file` (or only `seller`).
    With `until`, only the windows starting by that day (a backfill of a range of days)."""
    ledger = Ledger(settings.data_dir)
    http.share_limits(settings.data_dir / "ledger" / "limits")
    jobs, listings, expected = _plan(settings, seller, since, until, ledger.latest())
    for each in {job.seller for job in jobs + listings}:
        each.credentials()  # fail before any request if a variable is missing
    done: list[Entry] = []
    lock = threading.Lock()

    def run(job: _Job, work: Callable[[_Job, Ledger, Settings], list[Entry]]) -> None:
        entries = work(job, ledger, settings)
        with lock:
            done.extend(entries)
        if progress:
            for entry in entries:
                progress(entry.describe())

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(run, job, _pull_window) for job in jobs]
        futures += [pool.submit(run, job, _pull_listing) for job in listings]
        for future in futures:
            future.result()
    return PullSummary(done, gaps(ledger.latest(), expected))


def uncovered(settings: Settings, *, seller: str | None = None, since: date | None = None) -> list[str]:
    """The windows not covered (never requested, or whose latest request failed), requesting nothing."""
    ledger = Ledger(settings.data_dir)
    latest = ledger.latest()
    return gaps(latest, _plan(settings, seller, since, None, latest)[2])


def _plan(
    settings: Settings, seller: str | None, since: date | None, until: date | None, latest: dict
) -> tuple[list[_Job], list[_Job], list[tuple[str, str, ReportSpec, Window]]]:
    """The windows due, the settlement listings to make, and every window expected to be covered."""
    sellers = [s for s in load_sellers(settings.sellers_file) if seller in (None, s.seller_id)]
    if not sellers:
        raise ValueError(f"{settings.sellers_file}: no seller {seller!r}")
    jobs: list[_Job] = []
    listings: list[_Job] = []
    expected: list[tuple[str, str, ReportSpec, Window]] = []
    for each in sellers:
        for spec, scope, code in _targets(each):
            if spec.source == "report_list":
                listing = _listing_window(spec, settings.as_of, since, until)
                listings.append(_Job(each, spec, scope, code, listing))
                continue
            every = windows(spec, settings.as_of, since, until)
            expected += [(each.seller_id, scope, spec, w) for w in every]
            if spec.name not in FETCHED_WITH:
                for window in due(spec, every, latest, each.seller_id, scope, settings.as_of):
                    jobs.append(_resumed(_Job(each, spec, scope, code, window), latest))
    return jobs, listings, expected


def _resumed(job: _Job, latest: dict) -> _Job:
    """A window whose report was requested and is still processing (or the pull stopped while waiting): poll
    that report again, for the window it was requested for."""
    entry = latest.get((job.seller.seller_id, job.scope, job.spec.name, job.window.key))
    if job.spec.source != "report" or entry is None or entry.state != "requested" or not entry.report_id:
        return job
    start, end = date.fromisoformat(entry.window_start), date.fromisoformat(entry.window_end)
    return replace(job, window=replace(job.window, start=start, end=end), report_id=entry.report_id)


def _targets(seller: Seller) -> list[tuple[ReportSpec, str, str]]:
    """(report, scope, marketplace to request it for): region-wide reports once, for the first marketplace."""
    found = []
    for spec in catalog.REPORTS:
        if not pullable(spec):
            continue
        if spec.scope == "region":
            found.append((spec, seller.region, seller.marketplaces[0]))
        else:
            found += [(spec, code, code) for code in seller.marketplaces]
    return found


def _listing_window(spec: ReportSpec, as_of: date, since: date | None, until: date | None) -> Window:
    first = since or as_of - timedelta(days=spec.lookback_days)
    return Window(first.isoformat(), first, until or as_of, as_of)


def _entry(job: _Job, state: str, **values: object) -> Entry:
    window = job.window
    return Entry(
        seller_id=job.seller.seller_id,
        scope=job.scope,
        report=job.spec.name,
        report_type=job.spec.report_type,
        window_start=window.start.isoformat(),
        window_end=window.end.isoformat(),
        window_key=window.key,
        state=state,
        **values,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pull_window(job: _Job, ledger: Ledger, settings: Settings) -> list[Entry]:
    requested = _entry(job, "requested", report_id=job.report_id, requested_at=_now())
    ledger.record(requested)
    key = (job.seller.seller_id, job.seller.region)
    place = marketplace(job.marketplace_code)
    try:
        if job.spec.source == "report":
            client = api_client(Reports, job.seller, place.code)
            if job.report_id is None:
                window = None if job.spec.coverage == "snapshot" else (job.window.start, job.window.end)
                report_id = reports.create_report(
                    client, key, job.spec.report_type, place.marketplace_id, window, dict(job.spec.report_options)
                )
                requested = replace(requested, report_id=report_id)
                ledger.record(requested)  # from here on, an interrupted pull polls this report, not a new one
            outcome = reports.outcome_of(client, key, requested.report_id)
            return [_land_outcome(job, requested, outcome, ledger, settings)]
        return _pull_json(job, requested, key, ledger, settings)
    except Exception as error:  # noqa: BLE001 - one window's failure must not stop the others
        entry = replace(requested, state="failed", reason=_safe(error), finished_at=_now())
    ledger.record(entry)
    return [entry]


def _pull_json(
    job: _Job, requested: Entry, key: tuple[str, str], ledger: Ledger, settings: Settings
) -> list[Entry]:
    """Inbound shipments (with their items) or financial events, rendered as our declared documents."""
    place = marketplace(job.marketplace_code)
    after = datetime.combine(job.window.start, time(), UTC)
    before = datetime.combine(job.window.end + timedelta(days=1), time(), UTC)
    created = datetime.now(UTC)
    if job.spec.source == "finances_api":
        client = api_client(FinancesV0, job.seller, place.code)
        documents = [
            (job.spec, adapters.financial_event_rows(client, key, place.marketplace_id, after, before))
        ]
    else:
        client = api_client(FulfillmentInboundV0, job.seller, place.code)
        shipments, items = adapters.inbound_rows(client, key, place.marketplace_id, after, before)
        documents = [
            (catalog.get("inbound_shipments"), shipments),
            (catalog.get("inbound_shipment_items"), items),
        ]
    entries = []
    for spec, rows in documents:
        start = (
            requested
            if spec is job.spec
            else replace(requested, report=spec.name, report_type=spec.report_type)
        )
        data = render_document(spec, rows, place.code) if rows else None
        outcome = reports.Outcome("done", data=data, created_at=created)
        entries.append(_land_outcome(replace(job, spec=spec), start, outcome, ledger, settings))
    return entries


def _pull_listing(job: _Job, ledger: Ledger, settings: Settings) -> list[Entry]:
    """Settlements: list the documents Amazon made, land each not landed yet."""
    key = (job.seller.seller_id, job.seller.region)
    place = marketplace(job.marketplace_code)
    client = api_client(Reports, job.seller, place.code)
    latest = ledger.latest()
    since = datetime.combine(job.window.start, time(), UTC)
    entries = []
    try:
        listed = list(reports.list_reports(client, key, job.spec.report_type, place.marketplace_id, since))
    except (http.CallFailed, AuthorizationError) as error:
        entry = replace(
            _entry(job, "failed", requested_at=_now()),
            reason=f"getReports: {_safe(error)}",
            finished_at=_now(),
        )
        ledger.record(entry)
        return [entry]
    for report in listed:
        report_id = str(report["reportId"])
        start = reports.parse_instant(report.get("dataStartTime")) or since
        if start.date() > job.window.end:
            continue  # after the days asked for
        end = reports.parse_instant(report.get("dataEndTime")) or start
        window = Window(report_id, start.date(), end.date(), end.date())
        each = replace(job, window=window)
        previous = latest.get((job.seller.seller_id, job.scope, job.spec.name, report_id))
        if previous is not None and previous.state == "done":
            continue
        requested = _entry(each, "requested", report_id=report_id, requested_at=_now())
        ledger.record(requested)
        try:
            outcome = reports.finish(client, key, report)
        except Exception as error:  # noqa: BLE001
            outcome = reports.Outcome("failed", report_id, reason=_safe(error))
        entries.append(_land_outcome(each, requested, outcome, ledger, settings))
    return entries


def _land_outcome(
    job: _Job, requested: Entry, outcome: reports.Outcome, ledger: Ledger, settings: Settings
) -> Entry:
    entry = replace(
        requested,
        state=outcome.state,
        report_id=outcome.report_id or requested.report_id,
        document_id=outcome.document_id,
        reason=outcome.reason,
    )
    if outcome.state == "done" and outcome.data is not None:
        covers = None if job.spec.coverage != "window" else (job.window.start, job.window.end)
        result = _land(outcome.data, job, settings, outcome, covers)
        if result.status == "quarantined":
            entry = replace(
                entry, state="failed", reason=f"quarantined: {(result.error or '').splitlines()[0]}"
            )
        else:
            entry = replace(
                entry, landed_document_id=result.document_id, landing=result.status, rows=result.rows
            )
    elif outcome.state == "done":
        entry = replace(entry, rows=0)
    if entry.state != "requested":
        entry = replace(entry, finished_at=_now())
    ledger.record(entry)
    return entry


def _land(
    data: bytes, job: _Job, settings: Settings, outcome: reports.Outcome, covers: tuple[date, date] | None
) -> LandingResult:
    name = f"{job.spec.name}_{job.scope}_{job.window.start:%Y%m%d}_{job.window.end:%Y%m%d}.txt"
    with _LANDING, tempfile.TemporaryDirectory(dir=_scratch(settings)) as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return land_file(
            path,
            seller_id=job.seller.seller_id,
            marketplace_code=job.marketplace_code,
            settings=settings,
            created_at=outcome.created_at or datetime.now(UTC),
            load_source="sp_api",
            source_name=outcome.report_id or job.spec.source,
            covers=covers,
        )


def _scratch(settings: Settings) -> Path:
    folder = settings.data_dir / "ledger" / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_QUERY = re.compile(r"\?\S*")


def _safe(error: BaseException) -> str:
    """An exception as text for the ledger and the summary, with any URL query string (a presigned
    signature) cut off."""
    text = str(error) if isinstance(error, http.CallFailed) else f"{type(error).__name__}: {error}"
    return _QUERY.sub("?…", text)[:500]
