"""Inbound shipments from the Fulfillment Inbound API v0, landed as documents of our own declared shape.

The headers are the API's JSON field names, so a row reads like the API object it came from."""

from .spec import Column, ReportSpec

INBOUND_SHIPMENTS = ReportSpec(
    name="inbound_shipments",
    report_type="FBAUDIT_INBOUND_SHIPMENTS",
    description="Inbound shipments (getShipments): status and destination FC per shipment.",
    columns=(
        Column("ShipmentId", "shipment_id"),
        Column("ShipmentName", "shipment_name"),
        Column("DestinationFulfillmentCenterId", "destination_fulfillment_center_id"),
        Column("ShipmentStatus", "shipment_status"),
        Column("LabelPrepType", "label_prep_type"),
        Column("AreCasesRequired", "are_cases_required"),
        Column("BoxContentsSource", "box_contents_source"),
    ),
    coverage="key",
    coverage_column="shipment_id",
    natural_key=("shipment_id",),
    source="inbound_api",
    max_window_days=90,
    lookback_days=540,
    availability_lag_days=0,
    documentation="amazon.md §2.17",
)

INBOUND_SHIPMENT_ITEMS = ReportSpec(
    name="inbound_shipment_items",
    report_type="FBAUDIT_INBOUND_SHIPMENT_ITEMS",
    description="Inbound shipment lines (getShipmentItemsByShipmentId): units shipped, received per FNSKU.",
    columns=(
        Column("ShipmentId", "shipment_id"),
        Column("SellerSKU", "sku"),
        Column("FulfillmentNetworkSKU", "fnsku"),
        Column("QuantityShipped", "quantity_shipped", "int"),
        Column("QuantityReceived", "quantity_received", "int"),
        Column("QuantityInCase", "quantity_in_case", "int"),
    ),
    coverage="key",
    coverage_column="shipment_id",
    natural_key=("shipment_id", "fnsku"),
    source="inbound_api",
    max_window_days=90,
    lookback_days=540,
    availability_lag_days=0,
    documentation="amazon.md §2.17",
)
