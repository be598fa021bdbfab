"""The HTTP handler: LWA, Reports 2021-06-30, Fulfillment Inbound v0, Finances v0, presigned-style document
downloads and the /_emulator control endpoints.

Query strings are never logged: download URLs carry their signature there."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .. import catalog
from ..catalog import ReportSpec
from ..render import render_document
from . import shapes
from .documents import World, instant
from .state import TOKEN_SECONDS, Report, State, StoredDocument

log = logging.getLogger(__name__)

# Amazon's documented default rates (requests per second) per operation, sent as x-amzn-RateLimit-Limit.
RATE_LIMITS = {
    "createReport": "0.0167", "getReport": "2.0", "getReports": "0.0222", "getReportDocument": "0.0167",
    "getShipments": "2.0", "getShipmentItems": "2.0", "listFinancialEvents": "0.5",
}
URL_SECONDS = 300  # presigned document URLs expire after 5 minutes
INBOUND_PAGE = 10  # shipments per getShipments page
FINANCES_MAX_DAYS = 180  # a wider PostedAfter..PostedBefore gives an empty answer, as Amazon's does
SETTLEMENT_LISTING_DAYS = 90  # getReports' default createdSince, and how long Amazon keeps settlements
REPORTS = "/reports/2021-06-30"


class Reply(Exception):
    """A complete response, raised from anywhere in a request's handling."""

    def __init__(self, status: int, body: bytes = b"", content_type: str = "application/json",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.content_type, self.headers = status, body, content_type, headers or {}


def json_reply(status: int, payload: Any) -> Reply:
    return Reply(status, json.dumps(payload).encode())


def error(status: int, code: str, message: str) -> Reply:
    return json_reply(status, {"errors": [{"code": code, "message": message, "details": ""}]})


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_time(text: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise error(400, "InvalidInput", f"{name} is not an ISO-8601 date-time: {text!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: State, world: World) -> None:
        super().__init__(address, Handler)
        self.state, self.world = state, world
        host, port = self.server_address[:2]
        self.url = f"http://{host}:{port}"  # from the bound address, never from a Host header
        self.settlements: dict[str, list[Report]] = {}


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.command, urlsplit(getattr(self, "path", "")).path)

    # --- dispatch --------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _routes(self) -> list[tuple[str, str, str, Callable[..., Any]]]:
        return [
            ("POST", r"/auth/o2/token", "token", self.token),
            ("POST", rf"{REPORTS}/reports", "createReport", self.create_report),
            ("GET", rf"{REPORTS}/reports", "getReports", self.get_reports),
            ("GET", rf"{REPORTS}/reports/([\w.-]+)", "getReport", self.get_report),
            ("GET", rf"{REPORTS}/documents/([\w.-]+)", "getReportDocument", self.get_report_document),
            ("GET", r"/_documents/([\w.-]+)", "download", self.download),
            ("GET", r"/fba/inbound/v0/shipments", "getShipments", self.get_shipments),
            ("GET", r"/fba/inbound/v0/shipments/([\w-]+)/items", "getShipmentItems", self.get_shipment_items),
            ("GET", r"/finances/v0/financialEvents", "listFinancialEvents", self.list_financial_events),
        ]

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        self.query = {k: [x for v in vs for x in v.split(",")] for k, vs in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        operation = "unknown"
        try:
            if parts.path.startswith("/_emulator/"):
                self.control(parts.path)
            for method, pattern, operation, handle in self._routes():
                match = re.fullmatch(pattern, parts.path)
                if match and method == self.command:
                    self.server.state.log(self.command, parts.path, operation)
                    if operation not in ("token", "download"):
                        self.seller_id = self.authenticate()
                    handle(*match.groups())
            operation = "unknown"
            raise error(404, "NotFound", f"no operation {self.command} {parts.path}")
        except Reply as reply:
            self._send(reply, operation)
        except Exception:
            log.exception("emulator: %s %s failed", self.command, parts.path)
            self._send(error(500, "InternalFailure", "the emulator failed; see its log"), operation)

    def _send(self, reply: Reply, operation: str) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if operation in RATE_LIMITS:
            self.send_header("x-amzn-RateLimit-Limit", RATE_LIMITS[operation])
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def authenticate(self) -> str:
        seller_id = self.server.state.seller_for(self.headers.get("x-amz-access-token", ""))
        if seller_id is None:
            raise error(403, "Unauthorized", "Access to requested resource is denied.")
        return seller_id

    def faults(self, operation: str, report_type: str | None) -> None:
        """Answer with a throttle or server error if an active fault says so."""
        kinds = ("throttle", "throttle_empty", "server_error")
        fault = self.server.state.take_fault(kinds, operation, report_type)
        if fault is None:
            return
        if fault.kind == "throttle":
            raise error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
        if fault.kind == "throttle_empty":
            raise Reply(429)
        raise error(fault.status, "InternalFailure" if fault.status == 500 else "ServiceUnavailable",
                    "We encountered an internal error. Please try again.")

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def time_param(self, name: str, default: datetime) -> datetime:
        value = self.param(name)
        return default if value is None else parse_time(value, name)

    def required(self, name: str) -> str:
        value = self.param(name)
        if value is None:
            raise error(400, "InvalidInput", f"{name} is required")
        return value

    def seller_marketplace(self, marketplace_id: str) -> str:
        """The code of one of the calling seller's marketplaces."""
        try:
            code = catalog.marketplace(marketplace_id).code
        except ValueError:
            code = None
        if code not in self.server.world.marketplaces:
            raise error(400, "InvalidInput", f"marketplace {marketplace_id!r} is not one of this seller's")
        return code

    # --- control ---------------------------------------------------------------------------------------
    def control(self, path: str) -> None:
        state = self.server.state
        if path == "/_emulator/faults" and self.command == "POST":
            try:
                state.set_faults(json.loads(self.body or b"[]"))
            except ValueError as problem:
                raise json_reply(400, {"error": str(problem)}) from None
            raise json_reply(200, {"faults": len(state.faults)})
        if path == "/_emulator/requests" and self.command == "GET":
            raise json_reply(200, [list(r) for r in state.requests])
        raise json_reply(404, {"error": f"no control endpoint {self.command} {path}"})

    # --- LWA -------------------------------------------------------------------------------------------
    def token(self) -> None:
        self.faults("token", None)
        form = {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "refresh_token":
            raise json_reply(400, {"error": "unsupported_grant_type",
                                   "error_description": "grant_type must be refresh_token"})
        if not form.get("client_id") or not form.get("client_secret"):
            raise json_reply(401, {"error": "invalid_client",
                                   "error_description": "Client authentication failed"})
        refresh_token = form.get("refresh_token", "")
        seller_id = refresh_token.removeprefix("demo-refresh-")
        if not refresh_token.startswith("demo-refresh-") or seller_id not in self.server.world.sellers:
            raise json_reply(400, {"error": "invalid_grant", "error_description":
                                   "The request has an invalid grant parameter : refresh_token"})
        raise json_reply(200, {"access_token": self.server.state.issue_token(seller_id),
                               "token_type": "bearer", "expires_in": TOKEN_SECONDS})

    # --- Reports ---------------------------------------------------------------------------------------
    def create_report(self) -> None:
        state, world = self.server.state, self.server.world
        try:
            body = json.loads(self.body or b"{}")
        except ValueError:
            raise error(400, "InvalidInput", "the body is not JSON") from None
        report_type = body.get("reportType")
        self.faults("createReport", report_type)
        try:
            spec = catalog.get(str(report_type))
        except KeyError:
            spec = None
        if spec is None or spec.source != "report":
            raise error(400, "InvalidInput", f"Request for report type {report_type} is not allowed.")
        ids = body.get("marketplaceIds") or []
        if not ids:
            raise error(400, "InvalidInput", "marketplaceIds is required")
        codes = [self.seller_marketplace(i) for i in ids]
        now = state.now()
        start = parse_time(body["dataStartTime"], "dataStartTime") if body.get("dataStartTime") else now
        end = parse_time(body["dataEndTime"], "dataEndTime") if body.get("dataEndTime") else now
        if start > now or end > now:
            raise error(400, "InvalidInput", "dataStartTime and dataEndTime must not be in the future")
        if start > end:
            raise error(400, "InvalidInput", "dataStartTime must not be after dataEndTime")
        report_id = state.new_id("")
        fault = state.take_fault(("fatal", "cancelled", "in_progress"), "createReport", spec.report_type)
        rows = world.window_rows(self.seller_id, spec, codes[0], start, end)
        outcome = {"fatal": "FATAL", "cancelled": "CANCELLED"}.get(
            fault.kind if fault else "", "DONE" if rows else "CANCELLED")
        created = now
        snapshots = world.documents(self.seller_id, spec, codes[0]) if spec.coverage == "snapshot" else []
        if snapshots and snapshots[-1].created_at <= now:
            created = snapshots[-1].created_at  # a snapshot is as of when Amazon took it, as the file drop says
        document_id = None
        if outcome == "DONE":
            document_id = self.store(spec, codes[0], render_document(spec, rows, codes[0]))
        elif outcome == "FATAL":
            details = (f"Report {report_id} ({spec.report_type}, {iso(start)} to {iso(end)}) could not be "
                       f"generated: an internal error occurred (emulated FATAL).")
            document_id = self.store(spec, codes[0], json.dumps({"errorDetails": details}).encode())
        with state.lock:
            state.reports[report_id] = Report(report_id, self.seller_id, spec.report_type, list(ids), start,
                                              end, created, outcome, document_id, polls=0,
                                              stuck=fault is not None and fault.kind == "in_progress")
        raise json_reply(202, {"reportId": report_id})

    def store(self, spec: ReportSpec, code: str, body: bytes) -> str:
        state = self.server.state
        document_id = state.new_id(f"amzn1.spdoc.1.4.{code.lower()}.")
        with state.lock:
            state.documents[document_id] = StoredDocument(document_id, self.seller_id, spec.report_type, code,
                                                          body)
        return document_id

    def report_json(self, report: Report) -> dict[str, Any]:
        status = report.status()
        shown: dict[str, Any] = {
            "reportId": report.report_id, "reportType": report.report_type,
            "marketplaceIds": report.marketplace_ids, "dataStartTime": iso(report.data_start),
            "dataEndTime": iso(report.data_end), "createdTime": iso(report.created),
            "processingStatus": status,
        }
        if status != "IN_QUEUE":
            shown["processingStartTime"] = iso(report.created + timedelta(seconds=1))
        if status in ("DONE", "CANCELLED", "FATAL"):
            shown["processingEndTime"] = iso(report.created + timedelta(seconds=2))
        if status in ("DONE", "FATAL"):
            shown["reportDocumentId"] = report.document_id
        return shown

    def owned_report(self, report_id: str) -> Report:
        report = self.server.state.reports.get(report_id)
        if report is None or report.seller_id != self.seller_id:
            raise error(404, "NotFound", f"report {report_id} not found")
        return report

    def get_report(self, report_id: str) -> None:
        state = self.server.state
        with state.lock:
            report = self.owned_report(report_id)
            self.faults("getReport", report.report_type)
            if report.polls >= 0:
                report.polls += 1
            raise json_reply(200, self.report_json(report))

    def get_reports(self) -> None:
        state = self.server.state
        token = self.param("nextToken")
        if token is not None:
            self.faults("getReports", None)
            found = state.next_page(self.seller_id, "getReports", token)
            if found is None:
                raise error(400, "InvalidInput", "nextToken is not valid")
            page, following = found
        else:
            types = self.query.get("reportTypes") or []
            if not types:
                raise error(400, "InvalidInput", "reportTypes is required")
            self.faults("getReports", types[0])
            now = state.now()
            since = self.time_param("createdSince", now - timedelta(days=SETTLEMENT_LISTING_DAYS))
            until = self.time_param("createdUntil", now)
            size = self.param("pageSize", "10")
            if not size.isdigit() or not 1 <= int(size) <= 100:
                raise error(400, "InvalidInput", "pageSize must be 1 to 100")
            places = set(self.query.get("marketplaceIds", []))
            statuses = set(self.query.get("processingStatuses", []))
            with state.lock:
                candidates = [*state.reports.values(), *self.listed_settlements()]
                chosen = [r for r in candidates if r.seller_id == self.seller_id and r.report_type in types
                          and since <= r.created <= until and (not places or places & set(r.marketplace_ids))
                          and (not statuses or r.status() in statuses)]
            chosen.sort(key=lambda r: r.created, reverse=True)
            page, following = state.page(self.seller_id, "getReports", chosen, int(size))
        answer: dict[str, Any] = {"reports": [self.report_json(r) for r in page]}
        if following:
            answer["nextToken"] = following
        raise json_reply(200, answer)

    def listed_settlements(self) -> list[Report]:
        """The calling seller's settlement reports: one finished report per settlement period document."""
        server, spec = self.server, catalog.get("settlements")
        with server.state.lock:
            if self.seller_id not in server.settlements:
                server.settlements[self.seller_id] = self.settlement_reports(spec)
            return server.settlements[self.seller_id]

    def settlement_reports(self, spec: ReportSpec) -> list[Report]:
        server = self.server
        reports = []
        for code in server.world.marketplaces:
            for document in server.world.documents(self.seller_id, spec, code):
                document_id = self.store(spec, code, render_document(spec, document.rows, code))
                reports.append(Report(
                    server.state.new_id(""), self.seller_id, spec.report_type,
                    [catalog.marketplace(code).marketplace_id], instant(document.first),
                    instant(document.last + timedelta(days=1)) - timedelta(seconds=1),
                    document.created_at, "DONE", document_id))
        server.state.reports.update((r.report_id, r) for r in reports)
        return reports

    def get_report_document(self, document_id: str) -> None:
        state = self.server.state
        document = state.documents.get(document_id)
        if document is None or document.seller_id != self.seller_id:
            raise error(404, "NotFound", f"report document {document_id} not found")
        self.faults("getReportDocument", document.report_type)
        stamp = state.now().strftime("%Y%m%dT%H%M%SZ")
        query = urlencode({"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Date": stamp,
                           "X-Amz-Expires": str(URL_SECONDS),
                           "X-Amz-Signature": self.signature(document_id, stamp)})
        raise json_reply(200, {"reportDocumentId": document_id,
                               "url": f"{self.server.url}/_documents/{document_id}?{query}",
                               "compressionAlgorithm": "GZIP"})

    def signature(self, document_id: str, stamp: str) -> str:
        message = f"{document_id}|{stamp}".encode()
        return hmac.new(self.server.state.signing_key, message, hashlib.sha256).hexdigest()

    def download(self, document_id: str) -> None:
        state = self.server.state
        stamp, signature = self.param("X-Amz-Date", ""), self.param("X-Amz-Signature", "")
        document = state.documents.get(document_id)
        if document is None or not hmac.compare_digest(signature, self.signature(document_id, stamp)):
            raise Reply(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>", "application/xml")
        signed = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if state.now() > signed + timedelta(seconds=URL_SECONDS):
            expired = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
            raise Reply(403, expired, "application/xml")
        self.faults("download", document.report_type)
        body, content_type = document.body, "application/octet-stream"
        if state.take_fault(("cp1252",), "download", document.report_type):
            encoding = catalog.marketplace(document.marketplace_code).encoding
            body, content_type = body.decode(encoding).encode("cp1252"), "text/plain; charset=windows-1252"
        data = gzip.compress(body, mtime=0)
        if state.take_fault(("truncate",), "download", document.report_type):
            data = data[: len(data) // 2]
        raise Reply(200, data, content_type)

    # --- Fulfillment Inbound v0 ------------------------------------------------------------------------
    def get_shipments(self) -> None:
        state, world = self.server.state, self.server.world
        self.faults("getShipments", None)
        query_type = self.required("QueryType")
        if query_type == "NEXT_TOKEN":
            found = state.next_page(self.seller_id, "getShipments", self.required("NextToken"))
            if found is None:
                raise error(400, "InvalidInput", "NextToken is not valid")
            page, following = found
        elif query_type in ("DATE_RANGE", "SHIPMENT"):
            code = self.seller_marketplace(self.required("MarketplaceId"))
            shipments = world.shipments(self.seller_id, code).values()
            statuses = set(self.query.get("ShipmentStatusList", []))
            ids = set(self.query.get("ShipmentIdList", []))
            if query_type == "DATE_RANGE":
                after = parse_time(self.required("LastUpdatedAfter"), "LastUpdatedAfter")
                before = parse_time(self.required("LastUpdatedBefore"), "LastUpdatedBefore")
                shipments = [s for s in shipments if after <= s.updated < before]
            elif not ids:
                raise error(400, "InvalidInput", "ShipmentIdList is required for QueryType SHIPMENT")
            chosen = [shapes.shipment_info(s.row) for s in shipments
                      if (not statuses or s.row["shipment_status"] in statuses)
                      and (not ids or s.row["shipment_id"] in ids)]
            page, following = state.page(self.seller_id, "getShipments", chosen, INBOUND_PAGE)
        else:
            raise error(400, "InvalidInput",
                        f"QueryType must be SHIPMENT, DATE_RANGE or NEXT_TOKEN, not {query_type}")
        payload: dict[str, Any] = {"ShipmentData": page}
        if following:
            payload["NextToken"] = following
        raise json_reply(200, {"payload": payload})

    def get_shipment_items(self, shipment_id: str) -> None:
        self.faults("getShipmentItems", None)
        code = self.seller_marketplace(self.required("MarketplaceId"))
        shipment = self.server.world.shipments(self.seller_id, code).get(shipment_id)
        if shipment is None:
            raise error(400, "InvalidInput", f"shipment {shipment_id} not found in {code}")
        raise json_reply(200, {"payload": {"ItemData": [shapes.shipment_item(i) for i in shipment.items]}})

    # --- Finances v0 -----------------------------------------------------------------------------------
    def list_financial_events(self) -> None:
        state, world = self.server.state, self.server.world
        self.faults("listFinancialEvents", None)
        token = self.param("NextToken")
        if token is not None:
            found = state.next_page(self.seller_id, "listFinancialEvents", token)
            if found is None:
                raise error(400, "InvalidInput", "NextToken is not valid")
            page, following = found
        else:
            size = self.param("MaxResultsPerPage", "100")
            if not size.isdigit() or not 1 <= int(size) <= 100:
                raise error(400, "InvalidInput", "MaxResultsPerPage must be 1 to 100")
            now = state.now()
            after = parse_time(self.required("PostedAfter"), "PostedAfter")
            latest = now - timedelta(minutes=2)
            before = self.time_param("PostedBefore", latest)
            if after > latest or before > latest:
                raise error(400, "InvalidInput",
                            "PostedAfter and PostedBefore must be more than 2 minutes ago")
            if before < after:
                raise error(400, "InvalidInput", "PostedBefore must not be before PostedAfter")
            events: list[shapes.Event] = []
            if before - after <= timedelta(days=FINANCES_MAX_DAYS):
                place = self.param("MarketplaceId")
                codes = [self.seller_marketplace(place)] if place else world.marketplaces
                spec = catalog.get("financial_events")
                rows = [row for code in codes
                        for row in world.window_rows(self.seller_id, spec, code, after, before)]
                events = shapes.financial_events(rows)
            page, following = state.page(self.seller_id, "listFinancialEvents", events, int(size))
        payload: dict[str, Any] = {"FinancialEvents": shapes.financial_events_page(page)}
        if following:
            payload["NextToken"] = following
        raise json_reply(200, {"payload": payload})
