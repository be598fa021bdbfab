"""The Reports API flow: createReport → poll getReport → getReportDocument → download the raw bytes.
A report still processing past our timeout is polled again by its id on the next pull, never re-created.
Settlements cannot be requested: they are listed with getReports."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sp_api.api import Reports

from . import http

TERMINAL = {"DONE", "CANCELLED", "FATAL"}


@dataclass(frozen=True)
class Outcome:
    """What one report request ended as. `state` is a ledger state: done, cancelled_no_data, fatal, failed,
    or requested (still processing)."""

    state: str
    report_id: str | None = None
    document_id: str | None = None  # Amazon's reportDocumentId
    data: bytes | None = None  # the document, decompressed, not decoded (done only)
    created_at: datetime | None = None
    reason: str | None = None


class StillProcessing(Exception):
    """A report not DONE, CANCELLED or FATAL within the policy's report timeout: poll it again later."""


def create_report(
    client: Reports,
    key: tuple[str, str],
    report_type: str,
    marketplace_id: str,
    window: tuple[date, date] | None,
    options: dict[str, str],
) -> str:
    """Request one report for `window` (inclusive days, UTC; None for a snapshot); its report id.
    `key` is (seller, region) for the rate limiter."""
    body: dict[str, object] = {"reportType": report_type, "marketplaceIds": [marketplace_id]}
    if window:
        body["dataStartTime"] = _instant(window[0])
        body["dataEndTime"] = _instant(window[1] + timedelta(days=1))  # windows are half-open in UTC
    if options:
        body["reportOptions"] = dict(options)
    created = http.call((*key, "createReport"), lambda: client.create_report(**body), expect="reportId")
    return str(created.payload["reportId"])


def outcome_of(client: Reports, key: tuple[str, str], report_id: str) -> Outcome:
    """Wait for a requested report and fetch what it ended as. Still processing after the policy's report
    timeout: the ledger state `requested`, with the report id, for the next pull to poll again."""
    try:
        report = wait(client, key, report_id)
    except StillProcessing as error:
        return Outcome("requested", report_id, reason=f"{error}; the next pull polls report {report_id} again")
    except http.CallFailed as error:
        return Outcome("failed", report_id, reason=str(error))
    return finish(client, key, report)


def wait(client: Reports, key: tuple[str, str], report_id: str) -> dict:
    """Poll getReport until DONE, CANCELLED or FATAL; past the policy's report timeout, StillProcessing."""
    policy = http.POLICY
    deadline = time.monotonic() + policy.wait(policy.report_timeout)
    pause = policy.poll_first
    while True:
        report = http.call(
            (*key, "getReport"), lambda: client.get_report(report_id), expect="processingStatus"
        ).payload
        status = report["processingStatus"]
        if status in TERMINAL:
            return report
        if time.monotonic() + policy.wait(pause) > deadline:
            raise StillProcessing(f"still {status} after {policy.wait(policy.report_timeout):.0f} s")
        time.sleep(policy.wait(pause))
        pause = min(policy.poll_cap, pause * 1.5)


def finish(client: Reports, key: tuple[str, str], report: dict) -> Outcome:
    """Turn a terminal report into an outcome: download a DONE document, read a FATAL's error document."""
    report_id, status = str(report["reportId"]), report["processingStatus"]
    document_id = report.get("reportDocumentId")
    if status == "CANCELLED":
        return Outcome("cancelled_no_data", report_id, reason="CANCELLED: no data for this window")
    try:
        data = fetch_document(client, key, document_id) if document_id else None
    except http.CallFailed as error:
        return Outcome("failed", report_id, document_id, reason=str(error))
    if status == "FATAL":
        return Outcome("fatal", report_id, document_id, reason=_fatal_reason(data))
    if data is None:
        return Outcome("failed", report_id, reason="DONE without a reportDocumentId")
    return Outcome("done", report_id, document_id, data, parse_instant(report.get("createdTime")))


def fetch_document(client: Reports, key: tuple[str, str], document_id: str) -> bytes:
    """The document's bytes as served, decompressed but not decoded (landing decodes them).
    A truncated or corrupt download raises CallFailed: nothing of it is landed."""
    meta = http.call(
        (*key, "getReportDocument"),
        lambda: client.get_report_document(document_id, download=False),
        expect="url",
    ).payload
    response = http.download((*key, "download"), meta["url"])
    raw = response.content
    if meta.get("compressionAlgorithm") == "GZIP" or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error):
            raise http.CallFailed(
                f"document {document_id} download is truncated or corrupt "
                f"({len(response.content):,} bytes received)"
            ) from None
    return raw


def list_reports(
    client: Reports, key: tuple[str, str], report_type: str, marketplace_id: str, created_since: datetime
) -> Iterator[dict]:
    """Every DONE report of `report_type` created since `created_since`, across pages (getReports)."""
    params: dict[str, object] = {
        "reportTypes": [report_type],
        "processingStatuses": ["DONE"],
        "marketplaceIds": [marketplace_id],
        "pageSize": 100,
        "createdSince": created_since.isoformat().replace("+00:00", "Z"),
    }
    while True:
        page = http.call((*key, "getReports"), lambda p=params: client.get_reports(**p), expect="reports")
        yield from page.payload["reports"]
        if not page.next_token:
            return
        params = {"nextToken": page.next_token}


def _fatal_reason(data: bytes | None) -> str:
    if not data:
        return "no error document"
    text = data.decode("utf-8", errors="replace").strip()
    try:
        details = json.loads(text)
    except ValueError:
        return text[:500]
    if isinstance(details, dict):
        return str(details.get("errorDetails") or details)[:500]
    return str(details)[:500]


def _instant(day: date) -> str:
    return datetime.combine(day, clock(), UTC).isoformat().replace("+00:00", "Z")


def parse_instant(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
