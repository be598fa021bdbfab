"""Credentials, isolation between sellers, presigned-style URLs, headers, the request log, the bound
address."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sp_api.api import Finances, FulfillmentInbound, Reports
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base import (
    SellingApiBadRequestException,
    SellingApiForbiddenException,
    SellingApiNotFoundException,
)

from ingestion.emulator import Emulator, start

from .conftest import AS_OF, MakeClient
from .test_faults import create
from .test_happy_path import US, run_report, utc


def test_a_bad_refresh_token_is_refused_by_lwa(client: MakeClient) -> None:
    with pytest.raises(AuthorizationError) as raised:
        create(client(Reports, refresh_token="demo-refresh-NOBODY"))
    assert raised.value.status_code == 400 and raised.value.error_code == "invalid_grant"


def test_lwa_needs_client_credentials(emulator: Emulator) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": "demo-refresh-DEMO1", "client_id": "",
            "client_secret": ""}
    answer = httpx.post(f"{emulator.url}/auth/o2/token", data=form)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_tokens_name_their_seller_and_expire(client: MakeClient, emulator: Emulator) -> None:
    reports = client(Reports)
    assert create(reports)
    assert emulator.state.requests[0] == ("POST", "/auth/o2/token", "token")
    emulator.state.advance_clock(3601)  # the library still holds the token in its cache
    with pytest.raises(SellingApiForbiddenException):
        create(reports)
    answer = httpx.get(f"{emulator.url}/reports/2021-06-30/reports/1",
                       headers={"x-amz-access-token": "forged"})
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "Unauthorized"


def test_sellers_see_only_their_own_reports(client: MakeClient) -> None:
    report_id = create(client(Reports, seller="DEMO1"))
    with pytest.raises(SellingApiNotFoundException):
        client(Reports, seller="DEMO2").get_report(report_id)


def test_download_urls_are_signed_and_expire_after_five_minutes(client: MakeClient,
                                                                emulator: Emulator) -> None:
    reports = client(Reports)
    _, report = run_report(reports, "GET_LEDGER_DETAIL_VIEW_DATA", date(2026, 5, 1), date(2026, 6, 1))
    url = reports.get_report_document(report["reportDocumentId"]).payload["url"]
    assert "X-Amz-Signature=" in url
    served = httpx.get(url)
    assert served.status_code == 200 and served.content[:2] == b"\x1f\x8b"
    assert served.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in served.headers
    assert httpx.get(url.replace("X-Amz-Signature=", "X-Amz-Signature=0")).status_code == 403
    emulator.state.advance_clock(290)
    assert httpx.get(url).status_code == 200
    emulator.state.advance_clock(11)
    expired = httpx.get(url)
    assert expired.status_code == 403 and b"expired" in expired.content
    fresh = reports.get_report_document(report["reportDocumentId"]).payload["url"]
    assert httpx.get(fresh).status_code == 200
    assert all("?" not in path and "Signature" not in path for _, path, _ in emulator.state.requests)


def test_responses_carry_amazons_rate_limits_and_a_request_id(client: MakeClient) -> None:
    reports, inbound, finances = client(Reports), client(FulfillmentInbound), client(Finances)
    created = reports.create_report(reportType="GET_FBA_REIMBURSEMENTS_DATA",
                                    dataStartTime=utc(date(2026, 5, 1)), marketplaceIds=[US])
    polled = reports.get_report(created.payload["reportId"])
    listed = reports.get_reports(reportTypes=["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"])
    shipments = inbound.get_shipments(QueryType="DATE_RANGE", LastUpdatedAfter=utc(date(2026, 5, 1)),
                                      LastUpdatedBefore=utc(date(2026, 6, 1)), MarketplaceId=US)
    events = finances.list_financial_events(PostedAfter=utc(date(2026, 5, 1)),
                                            PostedBefore=utc(date(2026, 5, 2)))
    assert [r.rate_limit for r in (created, polled, listed, shipments, events)] == [
        "0.0167", "2.0", "0.0222", "2.0", "0.5"]
    assert all(r.headers["x-amzn-RequestId"] for r in (created, polled, listed, shipments, events))


def test_the_request_log_names_each_operation(client: MakeClient, emulator: Emulator) -> None:
    reports = client(Reports)
    run_report(reports, "GET_FBA_REIMBURSEMENTS_DATA", date(2026, 5, 1), date(2026, 6, 1))
    operations = [operation for _, _, operation in emulator.state.requests]
    assert operations == ["token", "createReport", "getReport", "getReport", "getReport"]
    assert httpx.get(f"{emulator.url}/_emulator/requests").json()[1] == [
        "POST", "/reports/2021-06-30/reports", "createReport"]


def test_requests_outside_the_contract_are_refused(client: MakeClient) -> None:
    reports = client(Reports)
    with pytest.raises(SellingApiBadRequestException, match="not allowed"):
        create(reports, "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2")
    with pytest.raises(SellingApiBadRequestException, match="in the future"):
        create(reports, first=AS_OF, end=date(2026, 7, 2))


def test_the_server_binds_loopback_only(emulator: Emulator) -> None:
    assert emulator.url.startswith("http://127.0.0.1:")
    assert emulator._server.server_address[0] == "127.0.0.1"
    with pytest.raises(ValueError, match="loopback"):
        start(as_of=AS_OF, host="0.0.0.0")
