"""Customer concessions: returns processed at an FC and free replacements."""

from .spec import ISO, Column, ReportSpec

CUSTOMER_RETURNS = ReportSpec(
    name="customer_returns",
    report_type="GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    description="FBA customer returns: one row per returned unit with its disposition and customer reason.",
    columns=(
        Column("return-date", "returned_at", "timestamp", formats={"*": ISO}),
        Column("order-id", "order_id", aliases=("amazon-order-id",)),
        Column("sku", "sku"),
        Column("asin", "asin"),
        Column("fnsku", "fnsku"),
        Column("product-name", "product_name"),
        Column("quantity", "quantity", "int"),
        Column("fulfillment-center-id", "fulfillment_center_id"),
        Column("detailed-disposition", "detailed_disposition"),
        Column("reason", "reason"),
        Column("status", "status"),
        Column("license-plate-number", "license_plate_number"),
        Column("customer-comments", "customer_comments", required=False, pii=True),
    ),
    coverage="window",
    coverage_column="returned_at",
    natural_key=("order_id", "fnsku", "license_plate_number"),
    max_window_days=60,
    lookback_days=540,
    documentation="amazon.md §2.4",
)

REPLACEMENTS = ReportSpec(
    name="replacements",
    report_type="GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA",
    description="Replacement shipments Amazon sent customers, with the original order they replace.",
    columns=(
        Column("shipment-date", "shipped_at", "timestamp", formats={"*": ISO}),
        Column("sku", "sku"),
        Column("asin", "asin"),
        Column("fulfillment-center-id", "fulfillment_center_id"),
        Column("original-fulfillment-center-id", "original_fulfillment_center_id"),
        Column("quantity", "quantity", "int"),
        Column("replacement-reason-code", "replacement_reason_code"),
        Column(
            "replacement-amazon-order-id", "replacement_amazon_order_id",
            aliases=("replacement-customer-order-id",),
        ),
        Column("original-amazon-order-id", "original_amazon_order_id"),
    ),
    coverage="window",
    coverage_column="shipped_at",
    natural_key=("replacement_amazon_order_id", "sku"),
    max_window_days=31,
    lookback_days=540,
    documentation="amazon.md §2.5",
)
