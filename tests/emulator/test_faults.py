"""Every fault kind, as the real client sees it."""

from __future__ import annotations

import json
import zlib
from datetime import date

import httpx
import pytest
from sp_api.api import FulfillmentInbound, Reports
from sp_api.base import (
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
)

from ingestion.emulator import Emulator

from .conftest import MakeClient
from .test_happy_path import US, run_report, utc

LEDGER = "GET_LEDGER_DETAIL_VIEW_DATA"
REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"
MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


def create(reports: Reports, report_type: str = LEDGER, first: date = MAY, end: date = JUNE) -> str:
    return reports.create_report(reportType=report_type, dataStartTime=utc(first), dataEndTime=utc(end),
                                 marketplaceIds=[US]).payload["reportId"]


def test_throttle_raises_then_the_retry_succeeds(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "throttle", "operation": "createReport", "count": 1}])
    reports = client(Reports)
    with pytest.raises(SellingApiRequestThrottledException) as raised:
        create(reports)
    assert raised.value.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    assert create(reports)
    assert emulator.state.faults == []


def test_throttle_hits_only_its_report_type(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "throttle", "report_type": LEDGER}])
    reports = client(Reports)
    assert create(reports, REIMBURSEMENTS)
    for _ in range(2):
        with pytest.raises(SellingApiRequestThrottledException):
            create(reports, LEDGER)


def test_an_empty_429_gives_an_empty_payload(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "throttle_empty", "operation": "getShipments", "count": 1}])
    response = client(FulfillmentInbound).get_shipments(
        QueryType="DATE_RANGE", LastUpdatedAfter=utc(MAY), LastUpdatedBefore=utc(JUNE), MarketplaceId=US)
    assert response.payload == {}


@pytest.mark.parametrize(("status", "exception"), [(500, SellingApiServerException),
                                                   (503, SellingApiTemporarilyUnavailableException)])
def test_server_errors(client: MakeClient, emulator: Emulator, status: int, exception: type) -> None:
    emulator.state.set_faults([{"kind": "server_error", "operation": "getReport", "status": status,
                                "count": 1}])
    reports = client(Reports)
    report_id = create(reports)
    with pytest.raises(exception):
        reports.get_report(report_id)
    assert reports.get_report(report_id).payload["processingStatus"] == "IN_QUEUE"


def test_fatal_report_has_an_error_document(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "fatal", "report_type": LEDGER, "count": 1}])
    reports = client(Reports)
    seen, report = run_report(reports, LEDGER, MAY, JUNE)
    assert seen[-1] == "FATAL"
    document = reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")
    details = json.loads(document.payload["document"])["errorDetails"]
    assert report["reportId"] in details and LEDGER in details


def test_cancelled_by_fault_has_no_document(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "cancelled", "count": 1}])
    seen, report = run_report(client(Reports), LEDGER, MAY, JUNE)
    assert seen[-1] == "CANCELLED" and "reportDocumentId" not in report


def test_a_window_without_data_is_cancelled(client: MakeClient) -> None:
    seen, report = run_report(client(Reports), REIMBURSEMENTS, date(2025, 1, 1), date(2025, 2, 1))
    assert seen == ["IN_QUEUE", "IN_PROGRESS", "CANCELLED"] and "reportDocumentId" not in report


def test_a_stuck_report_stays_in_progress(client: MakeClient, emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "in_progress", "count": 1}])
    reports = client(Reports)
    report_id = create(reports)
    seen = [reports.get_report(report_id).payload["processingStatus"] for _ in range(8)]
    assert seen == ["IN_QUEUE"] + ["IN_PROGRESS"] * 7


def test_a_truncated_download_raises_and_the_next_one_is_whole(client: MakeClient,
                                                               emulator: Emulator) -> None:
    emulator.state.set_faults([{"kind": "truncate", "operation": "download", "count": 1}])
    reports = client(Reports)
    _, report = run_report(reports, LEDGER, MAY, JUNE)
    with pytest.raises(zlib.error):
        reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")
    whole = reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")
    assert whole.payload["document"].startswith("Date\tFNSKU")


def test_a_cp1252_document_decodes_right_with_the_response_charset(client: MakeClient,
                                                                   emulator: Emulator) -> None:
    reports = client(Reports)
    _, report = run_report(reports, REIMBURSEMENTS, date(2026, 3, 1), date(2026, 6, 30))
    utf8 = reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")
    text = utf8.payload["document"]
    assert not text.isascii()  # product names like "Naïve Face Serum – Édition"

    emulator.state.set_faults([{"kind": "cp1252", "count": 1}])
    document_url = reports.get_report_document(report["reportDocumentId"]).payload["url"]
    assert httpx.get(document_url).headers["content-type"] == "text/plain; charset=windows-1252"
    emulator.state.set_faults([{"kind": "cp1252", "count": 1}])
    cp1252 = reports.get_report_document(report["reportDocumentId"], download=True)
    assert cp1252.payload["document"] == text
    assert cp1252.character_code == "windows-1252"


def test_faults_can_be_set_over_http(emulator: Emulator) -> None:
    answer = httpx.post(f"{emulator.url}/_emulator/faults", json=[{"kind": "throttle", "count": 2}])
    assert answer.status_code == 200 and emulator.state.faults[0].count == 2
    wrong = httpx.post(f"{emulator.url}/_emulator/faults", json=[{"kind": "slow"}])
    assert wrong.status_code == 400 and "fault 1: kind must be one of" in wrong.json()["error"]
    assert emulator.state.faults[0].kind == "throttle"  # a bad list changes nothing
    with pytest.raises(ValueError, match="a truncate fault's operation must be one of download"):
        emulator.state.set_faults([{"kind": "truncate", "operation": "createReport"}])
