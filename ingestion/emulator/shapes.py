"""Amazon's JSON shapes for the non-report APIs, built from our declared documents' rows.

Fulfillment Inbound v0: an `InboundShipmentInfo` / `InboundShipmentItem` holds the catalog columns under their
headers (the headers are the API's field names); `AreCasesRequired` is a JSON boolean.

Finances v0 `FinancialEvents`, one `financial_events` row per amount component:
- ShipmentEvent rows, grouped by (AmazonOrderId, PostedDate), go to `ShipmentEventList`: {AmazonOrderId,
  SellerOrderId?, MarketplaceName, PostedDate, ShipmentItemList: [{SellerSKU, ASIN, OrderItemId,
  QuantityShipped, ItemChargeList: [{ChargeType, ChargeAmount}], ItemFeeList: [{FeeType, FeeAmount}]}]}
  (amount_category "charge" -> ItemChargeList, "fee" -> ItemFeeList; amount_type is the Charge/FeeType).
- RefundEvent rows go to `RefundEventList` in the same shape with ShipmentItemAdjustmentList,
  OrderAdjustmentItemId, ItemChargeAdjustmentList and ItemFeeAdjustmentList.
- AdjustmentEvent rows, one event each, go to `AdjustmentEventList`: {AdjustmentType, PostedDate,
  MarketplaceName, AdjustmentAmount, AdjustmentItemList: [{Quantity (a string, as Amazon sends it),
  SellerSKU, FnSKU, ASIN, ProductDescription (our `description`), TotalAmount}]}.
Money is a Currency object {CurrencyCode, CurrencyAmount}. `ASIN` on shipment items and `MarketplaceName` on
adjustment events are not in Amazon's model: they carry what the demo's rows hold, so flattening gives back
exactly those rows. A key whose value would be null is left out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .. import catalog

Row = dict[str, Any]
Event = tuple[str, dict[str, Any]]  # (list name, event)

LISTS = ("ShipmentEventList", "RefundEventList", "AdjustmentEventList", "ServiceFeeEventList")
_ITEM_LISTS = {  # event type -> (event list, item list, charge list, fee list)
    "ShipmentEvent": ("ShipmentEventList", "ShipmentItemList", "ItemChargeList", "ItemFeeList"),
    "RefundEvent": ("RefundEventList", "ShipmentItemAdjustmentList", "ItemChargeAdjustmentList",
                    "ItemFeeAdjustmentList"),
}


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def currency(amount: Decimal, code: str) -> dict[str, Any]:
    # A JSON number, as Amazon sends it; a 2-place Decimal survives float's shortest repr exactly.
    return {"CurrencyCode": code, "CurrencyAmount": float(amount)}


def posted(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _api_object(report: str, row: Row) -> dict[str, Any]:
    return {column.header: row.get(column.name) for column in catalog.get(report).columns}


def shipment_info(row: Row) -> dict[str, Any]:
    shape = _api_object("inbound_shipments", row)
    shape["AreCasesRequired"] = shape["AreCasesRequired"] == "true"
    return _compact(shape)


def shipment_item(row: Row) -> dict[str, Any]:
    return _compact(_api_object("inbound_shipment_items", row))


def financial_events(rows: Iterable[Row]) -> list[Event]:
    """The events holding `rows`, ordered by PostedDate."""
    events: dict[tuple[Any, ...], Event] = {}
    for number, row in enumerate(rows):
        kind, at = row["event_type"], row["posted_at"]
        if kind == "AdjustmentEvent":
            events[(kind, number)] = ("AdjustmentEventList", _compact({
                "AdjustmentType": row["amount_type"], "PostedDate": posted(at),
                "MarketplaceName": row["marketplace_name"],
                "AdjustmentAmount": currency(row["amount"], row["currency_code"]),
                "AdjustmentItemList": [_compact({
                    "Quantity": None if row["quantity"] is None else str(row["quantity"]),
                    "SellerSKU": row["sku"], "FnSKU": row["fnsku"], "ASIN": row["asin"],
                    "ProductDescription": row["description"],
                    "TotalAmount": currency(row["amount"], row["currency_code"]),
                })],
            }))
            continue
        if kind not in _ITEM_LISTS:
            raise ValueError(f"financial_events: no Finances API shape for event_type {kind!r}")
        list_name, item_list, charge_list, fee_list = _ITEM_LISTS[kind]
        key = (kind, row["amazon_order_id"], at)
        if key not in events:
            events[key] = (list_name, _compact({
                "AmazonOrderId": row["amazon_order_id"], "SellerOrderId": row["seller_order_id"],
                "MarketplaceName": row["marketplace_name"], "PostedDate": posted(at), item_list: []}))
        items = events[key][1][item_list]
        item = next((i for i in items if i.get("OrderItemId") == row["order_item_id"]
                     and i.get("SellerSKU") == row["sku"]), None)
        if item is None:
            item = _compact({"SellerSKU": row["sku"], "ASIN": row["asin"],
                             "OrderItemId": row["order_item_id"],
                             "OrderAdjustmentItemId": row["order_adjustment_item_id"],
                             "QuantityShipped": row["quantity"], charge_list: [], fee_list: []})
            items.append(item)
        money = currency(row["amount"], row["currency_code"])
        if row["amount_category"] == "charge":
            item[charge_list].append({"ChargeType": row["amount_type"], "ChargeAmount": money})
        elif row["amount_category"] == "fee":
            item[fee_list].append({"FeeType": row["amount_type"], "FeeAmount": money})
        else:
            raise ValueError(f"financial_events: no Finances API shape for amount_category "
                             f"{row['amount_category']!r} of a {kind}")
    return sorted(events.values(), key=lambda event: event[1]["PostedDate"])


def financial_events_page(events: Iterable[Event]) -> dict[str, list[dict[str, Any]]]:
    page: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS}
    for list_name, event in events:
        page[list_name].append(event)
    return page
