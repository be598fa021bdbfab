"""Fulfillment Inbound v0 and Finances v0 JSON, turned into rows of our declared document shapes
(FBAUDIT_INBOUND_SHIPMENTS, FBAUDIT_INBOUND_SHIPMENT_ITEMS, FBAUDIT_FINANCIAL_EVENTS; ingestion/catalog)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sp_api.api import FinancesV0, FulfillmentInboundV0
from sp_api.base import ApiResponse

from . import http
from .reports import parse_instant

Row = dict[str, Any]
SHIPMENT_STATUSES = (
    "WORKING",
    "READY_TO_SHIP",
    "SHIPPED",
    "RECEIVING",
    "CANCELLED",
    "DELETED",
    "CLOSED",
    "ERROR",
    "IN_TRANSIT",
    "DELIVERED",
    "CHECKED_IN",
)


def pages(
    key: tuple[str, str, str], first: Callable[[], ApiResponse], following: Callable[[str], ApiResponse]
) -> Iterator[dict]:
    """Every page's payload; Amazon may send empty pages that still carry a NextToken."""
    page = http.call(key, first)
    while True:
        yield page.payload if isinstance(page.payload, dict) else {}
        if not page.next_token:
            return
        token = page.next_token
        page = http.call(key, lambda token=token: following(token))


def inbound_rows(
    client: FulfillmentInboundV0, key: tuple[str, str], marketplace_id: str, after: datetime, before: datetime
) -> tuple[list[Row], list[Row]]:
    """Shipments updated in [after, before) and all their lines."""
    common = {"MarketplaceId": marketplace_id}
    shipments: list[Row] = []
    for payload in pages(
        (*key, "getShipments"),
        lambda: client.get_shipments(
            QueryType="DATE_RANGE",
            LastUpdatedAfter=_iso(after),
            LastUpdatedBefore=_iso(before),
            ShipmentStatusList=",".join(SHIPMENT_STATUSES),
            **common,
        ),
        lambda token: client.get_shipments(QueryType="NEXT_TOKEN", NextToken=token, **common),
    ):
        for shipment in payload.get("ShipmentData") or []:
            shipments.append(
                {
                    "shipment_id": shipment["ShipmentId"],
                    "shipment_name": shipment.get("ShipmentName"),
                    "destination_fulfillment_center_id": shipment.get("DestinationFulfillmentCenterId"),
                    "shipment_status": shipment.get("ShipmentStatus"),
                    "label_prep_type": shipment.get("LabelPrepType"),
                    "are_cases_required": _text(shipment.get("AreCasesRequired")),
                    "box_contents_source": shipment.get("BoxContentsSource"),
                }
            )
    items: list[Row] = []
    for shipment in shipments:
        shipment_id = shipment["shipment_id"]
        for payload in pages(
            (*key, "getShipmentItems"),
            lambda s=shipment_id: client.shipment_items_by_shipment(s, **common),
            lambda token, s=shipment_id: client.shipment_items_by_shipment(s, NextToken=token, **common),
        ):
            for item in payload.get("ItemData") or []:
                items.append(
                    {
                        "shipment_id": item.get("ShipmentId") or shipment_id,
                        "sku": item.get("SellerSKU"),
                        "fnsku": item.get("FulfillmentNetworkSKU"),
                        "quantity_shipped": _int(item.get("QuantityShipped")),
                        "quantity_received": _int(item.get("QuantityReceived")),
                        "quantity_in_case": _int(item.get("QuantityInCase")),
                    }
                )
    return shipments, items


def financial_event_rows(
    client: FinancesV0, key: tuple[str, str], marketplace_id: str, after: datetime, before: datetime
) -> list[Row]:
    """Events posted in [after, before), one row per amount component."""
    rows: list[Row] = []
    for payload in pages(
        (*key, "listFinancialEvents"),
        lambda: client.list_financial_events(
            PostedAfter=_iso(after),
            PostedBefore=_iso(before),
            MaxResultsPerPage=100,
            MarketplaceId=marketplace_id,
        ),
        lambda token: client.list_financial_events(NextToken=token, MarketplaceId=marketplace_id),
    ):
        rows.extend(flatten_financial_events(payload.get("FinancialEvents") or {}))
    return rows


def flatten_financial_events(events: dict) -> Iterator[Row]:
    for event in events.get("ShipmentEventList") or []:
        yield from _order_event("ShipmentEvent", event, "ShipmentItemList", "ItemChargeList", "ItemFeeList")
    for event in events.get("RefundEventList") or []:
        yield from _order_event(
            "RefundEvent",
            event,
            "ShipmentItemAdjustmentList",
            "ItemChargeAdjustmentList",
            "ItemFeeAdjustmentList",
        )
    for event in events.get("AdjustmentEventList") or []:
        for item in event.get("AdjustmentItemList") or []:
            amount = item.get("TotalAmount") or event.get("AdjustmentAmount")
            yield _row(
                "AdjustmentEvent",
                event,
                "adjustment",
                event.get("AdjustmentType"),
                amount,
                sku=item.get("SellerSKU"),
                fnsku=item.get("FnSKU"),
                asin=item.get("ASIN"),
                quantity=_int(item.get("Quantity")),
                description=item.get("ProductDescription"),
            )
    for event in events.get("ServiceFeeEventList") or []:
        for fee in event.get("FeeList") or []:
            yield _row(
                "ServiceFeeEvent",
                event,
                "fee",
                fee.get("FeeType"),
                fee.get("FeeAmount"),
                sku=event.get("SellerSKU"),
                fnsku=event.get("FnSKU"),
                asin=event.get("ASIN"),
                description=event.get("FeeDescription") or event.get("FeeReason"),
            )


def _order_event(
    event_type: str, event: dict, items_key: str, charges_key: str, fees_key: str
) -> Iterator[Row]:
    for item in event.get(items_key) or []:
        line = dict(
            sku=item.get("SellerSKU"),
            asin=item.get("ASIN"),
            order_item_id=item.get("OrderItemId"),
            order_adjustment_item_id=item.get("OrderAdjustmentItemId"),
            quantity=_int(item.get("QuantityShipped")),
        )
        for charge in item.get(charges_key) or []:
            yield _row(
                event_type, event, "charge", charge.get("ChargeType"), charge.get("ChargeAmount"), **line
            )
        for fee in item.get(fees_key) or []:
            yield _row(event_type, event, "fee", fee.get("FeeType"), fee.get("FeeAmount"), **line)
        for promotion in item.get("PromotionList") or item.get("PromotionAdjustmentList") or []:
            yield _row(
                event_type,
                event,
                "promotion",
                promotion.get("PromotionType"),
                promotion.get("PromotionAmount"),
                **line,
            )
        for withheld in item.get("ItemTaxWithheldList") or []:
            for tax in withheld.get("TaxesWithheld") or []:
                yield _row(
                    event_type, event, "tax_withheld", tax.get("ChargeType"), tax.get("ChargeAmount"), **line
                )


def _row(
    event_type: str, event: dict, category: str, amount_type: str | None, amount: dict | None, **fields: Any
) -> Row:
    money = amount or {}
    value = money.get("CurrencyAmount")
    return {
        "event_type": event_type,
        "posted_at": parse_instant(event.get("PostedDate")),
        "amazon_order_id": event.get("AmazonOrderId"),
        "seller_order_id": event.get("SellerOrderId"),
        "marketplace_name": event.get("MarketplaceName"),
        "sku": None,
        "fnsku": None,
        "asin": None,
        "order_item_id": None,
        "order_adjustment_item_id": None,
        "quantity": None,
        "amount_category": category,
        "amount_type": amount_type,
        "amount": None if value is None else Decimal(str(value)),
        "currency_code": money.get("CurrencyCode"),
        "description": None,
        **fields,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)
