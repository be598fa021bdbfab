"""Removal orders (return to seller, disposal) and their shipments."""

from .spec import ISO, Column, ReportSpec

TS = {"*": ISO}

REMOVAL_ORDERS = ReportSpec(
    name="removal_orders",
    report_type="GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA",
    description="Removal orders with requested, cancelled, disposed, shipped and in-process quantities.",
    columns=(
        Column("request-date", "requested_at", "timestamp", formats=TS),
        Column("order-id", "removal_order_id"),
        Column("order-source", "order_source", required=False),
        Column("order-type", "order_type"),
        Column("service-speed", "service_speed", required=False),
        Column("order-status", "order_status"),
        Column("last-updated-date", "last_updated_at", "timestamp", formats=TS),
        Column("sku", "sku"),
        Column("fnsku", "fnsku"),
        Column("disposition", "disposition"),
        Column("requested-quantity", "requested_quantity", "int"),
        Column("cancelled-quantity", "cancelled_quantity", "int"),
        Column("disposed-quantity", "disposed_quantity", "int"),
        Column("shipped-quantity", "shipped_quantity", "int"),
        Column("in-process-quantity", "in_process_quantity", "int"),
        Column("removal-fee", "removal_fee_amount", "money"),
        Column("currency", "currency_code"),
    ),
    coverage="window",
    coverage_column="requested_at",
    natural_key=("removal_order_id", "fnsku", "disposition"),
    max_window_days=31,
    lookback_days=540,
    documentation="amazon.md §2.6",
)

REMOVAL_SHIPMENTS = ReportSpec(
    name="removal_shipments",
    report_type="GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
    description="Carrier shipments of removal orders (cancelled and disposed units are not in it).",
    columns=(
        Column("request-date", "requested_at", "timestamp", formats=TS),
        Column("order-id", "removal_order_id"),
        Column("shipment-date", "shipped_at", "timestamp", formats=TS),
        Column("sku", "sku"),
        Column("fnsku", "fnsku"),
        Column("disposition", "disposition"),
        Column("shipped-quantity", "shipped_quantity", "int"),
        Column("carrier", "carrier"),
        Column("tracking-number", "tracking_number"),
        Column("removal-order-type", "removal_order_type"),
    ),
    coverage="window",
    coverage_column="requested_at",
    natural_key=("removal_order_id", "fnsku", "tracking_number"),
    max_window_days=31,
    lookback_days=540,
    documentation="amazon.md §2.7",
)
