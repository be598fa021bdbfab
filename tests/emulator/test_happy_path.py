"""One report of each source kind, pulled through the real client, equals what the file drop holds."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import httpx
from sp_api.api import Finances, FulfillmentInbound, Reports

from ingestion import catalog
from ingestion.demo import Simulation
from ingestion.demo.documents import Document
from ingestion.parse import parse_document
from ingestion.render import render_document
from ingestion.sp_api.adapters import flatten_financial_events

from .conftest import AS_OF, MakeClient

US = catalog.marketplace("US").marketplace_id


def utc(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def run_report(reports: Reports, report_type: str, first: date,
               end: date) -> tuple[list[str], dict[str, Any]]:
    """createReport, then poll until a final state; the states seen and the final report."""
    report_id = reports.create_report(reportType=report_type, dataStartTime=utc(first), dataEndTime=utc(end),
                                      marketplaceIds=[US]).payload["reportId"]
    seen: list[str] = []
    while not seen or seen[-1] in ("IN_QUEUE", "IN_PROGRESS"):
        report = reports.get_report(report_id).payload
        seen.append(report["processingStatus"])
        assert len(seen) < 10, seen
    return seen, report


def file_drop(simulation: Simulation, report: str, code: str = "US", seller: str = "DEMO1") -> list[Document]:
    return [d for d in simulation.documents
            if d.report == report and d.seller_id == seller and d.marketplace_code == code]


def parsed_rows(data: bytes, report: str, con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[Any, ...]]:
    parsed = parse_document(data, file_name=name, seller_id="DEMO1", marketplace_code="US", document_id=name,
                            con=con)
    columns = ", ".join(c.name for c in catalog.get(report).stored_columns)
    return sorted(parsed.rows.project(f"{columns}, seller_id, marketplace_id").fetchall(), key=repr)


def test_a_ledger_window_equals_the_demo_rows_of_that_window(client: MakeClient,
                                                            simulation: Simulation) -> None:
    reports = client(Reports)
    may = next(d for d in file_drop(simulation, "ledger_detail") if d.first == date(2026, 5, 1))
    seen, report = run_report(reports, "GET_LEDGER_DETAIL_VIEW_DATA", may.first, may.last + timedelta(days=1))
    assert seen == ["IN_QUEUE", "IN_PROGRESS", "DONE"]
    assert report["dataStartTime"] == "2026-05-01T00:00:00+00:00"
    document = reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")

    con = duckdb.connect()
    pulled = parsed_rows(document.payload["document"].encode("utf-8"), "ledger_detail", con, "pulled")
    dropped = parsed_rows(render_document(catalog.get("ledger_detail"), may.rows, "US"), "ledger_detail", con,
                          "dropped")
    assert len(pulled) > 100
    assert pulled == dropped


def test_a_reissued_window_serves_the_newest_rows(client: MakeClient, simulation: Simulation) -> None:
    """Amazon edited April from the 11th on: a pull of April holds the edit (staging reads the file drop
    the same way)."""
    reports = client(Reports)
    april, reissue = (d for d in file_drop(simulation, "ledger_detail") if d.last == date(2026, 4, 30))
    expected = [r for r in april.rows if r["event_date"] < reissue.first] + reissue.rows
    assert expected != april.rows  # one Shipments row moved to another FC
    _, report = run_report(reports, "GET_LEDGER_DETAIL_VIEW_DATA", april.first, date(2026, 5, 1))
    document = reports.get_report_document(report["reportDocumentId"], download=True, character_code="utf-8")

    con = duckdb.connect()
    pulled = parsed_rows(document.payload["document"].encode("utf-8"), "ledger_detail", con, "pulled")
    rendered = render_document(catalog.get("ledger_detail"), expected, "US")
    assert pulled == parsed_rows(rendered, "ledger_detail", con, "expected")


def test_a_snapshot_report_serves_the_snapshot_of_as_of(client: MakeClient, simulation: Simulation) -> None:
    reports = client(Reports)
    _, report = run_report(reports, "GET_FBA_MYI_ALL_INVENTORY_DATA", AS_OF - timedelta(days=1), AS_OF)
    url = reports.get_report_document(report["reportDocumentId"]).payload["url"]
    latest = file_drop(simulation, "inventory")[-1]
    assert latest.first == AS_OF
    expected = render_document(catalog.get("inventory"), latest.rows, "US")
    assert gzip.decompress(httpx.get(url).content) == expected


def test_settlements_are_listed_page_by_page_and_served_as_dropped(client: MakeClient,
                                                                   simulation: Simulation) -> None:
    reports = client(Reports)
    settlement = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
    page = reports.get_reports(reportTypes=[settlement], pageSize=2,
                               createdSince=utc(AS_OF - timedelta(days=90)))
    listed = page.payload["reports"]
    while page.next_token:  # the library moves the top-level nextToken there
        page = reports.get_reports(nextToken=page.next_token)
        listed += page.payload["reports"]
    since = datetime.combine(AS_OF - timedelta(days=90), time(), tzinfo=UTC)
    in_reach = [d for d in file_drop(simulation, "settlements") if d.created_at >= since]
    assert len(listed) == len(in_reach) >= 3
    assert {r["processingStatus"] for r in listed} == {"DONE"}
    assert {r["marketplaceIds"][0] for r in listed} == {US}

    newest = max(listed, key=lambda r: r["createdTime"])
    url = reports.get_report_document(newest["reportDocumentId"]).payload["url"]
    expected = render_document(catalog.get("settlements"), in_reach[-1].rows, "US")
    assert gzip.decompress(httpx.get(url).content) == expected
    assert newest["createdTime"] == in_reach[-1].created_at.isoformat()


def test_inbound_shipments_and_items_are_the_latest_file_drop_state(client: MakeClient,
                                                                   simulation: Simulation) -> None:
    inbound = client(FulfillmentInbound)
    page = inbound.get_shipments(QueryType="DATE_RANGE", LastUpdatedAfter=utc(date(2026, 1, 1)),
                                 LastUpdatedBefore=utc(AS_OF), MarketplaceId=US).payload
    shipments = page["ShipmentData"]
    pages = 1
    while "NextToken" in page:
        page = inbound.get_shipments(QueryType="NEXT_TOKEN", NextToken=page["NextToken"],
                                     MarketplaceId=US).payload
        shipments += page["ShipmentData"]
        pages += 1

    latest: dict[str, dict[str, Any]] = {}
    items: dict[str, list[dict[str, Any]]] = {}
    item_documents = {(d.first, d.last): d.rows for d in file_drop(simulation, "inbound_shipment_items")}
    for document in file_drop(simulation, "inbound_shipments"):
        for row in document.rows:
            latest[row["shipment_id"]] = row
            items[row["shipment_id"]] = [i for i in item_documents[(document.first, document.last)]
                                         if i["shipment_id"] == row["shipment_id"]]
    assert pages >= 2
    assert sorted(s["ShipmentId"] for s in shipments) == sorted(latest)
    for shipment in shipments:
        row = latest[shipment["ShipmentId"]]
        assert shipment["ShipmentStatus"] == row["shipment_status"]
        assert shipment["DestinationFulfillmentCenterId"] == row["destination_fulfillment_center_id"]
        assert shipment["AreCasesRequired"] is False
    closed = next(s["ShipmentId"] for s in shipments if s["ShipmentStatus"] == "CLOSED")
    lines = inbound.shipment_items_by_shipment(closed, MarketplaceId=US).payload["ItemData"]
    assert [(i["FulfillmentNetworkSKU"], i["QuantityShipped"], i["QuantityReceived"]) for i in lines] == [
        (i["fnsku"], i["quantity_shipped"], i["quantity_received"]) for i in items[closed]]


def test_financial_events_come_in_pages_and_flatten_to_the_demo_rows(client: MakeClient,
                                                                     simulation: Simulation) -> None:
    finances = client(Finances)
    after, before = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 16, tzinfo=UTC)
    response = finances.list_financial_events(PostedAfter=utc(after.date()), PostedBefore=utc(before.date()),
                                              MaxResultsPerPage=100)
    assert response.rate_limit == "0.5"
    page = response.payload
    rows, sizes = [], []
    while True:
        events = page["FinancialEvents"]
        sizes.append(sum(len(v) for v in events.values()))
        rows += flatten_financial_events(events)
        if "NextToken" not in page:
            break
        page = finances.list_financial_events(NextToken=page["NextToken"]).payload

    expected = [r for d in file_drop(simulation, "financial_events") for r in d.rows
                if after <= r["posted_at"] < before]
    assert len(sizes) >= 3 and set(sizes[:-1]) == {100}
    assert {r["event_type"] for r in rows} == {"ShipmentEvent", "RefundEvent", "AdjustmentEvent"}

    def key(row: dict[str, Any]) -> str:
        return repr(sorted({**row, "amount": row["amount"].quantize(Decimal("0.01"))}.items()))

    assert sorted(map(key, rows)) == sorted(map(key, expected))
