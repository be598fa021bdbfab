"""Files only the seller has."""

from .spec import Column, ReportSpec

PRODUCT_COSTS = ReportSpec(
    name="product_costs",
    report_type="FBAUDIT_PRODUCT_COSTS",
    description=(
        "The seller's unit cost per SKU (what it cost to source or make, excluding shipping and duties), "
        "with the date it applies from: Amazon's basis for before-order losses since March 2025."
    ),
    columns=(
        Column("sku", "sku"),
        Column("unit_cost", "unit_cost_amount", "money"),
        Column("currency", "currency_code"),
        Column("effective_date", "effective_date", "date", formats={"*": "%Y-%m-%d"}),
    ),
    coverage="key",
    coverage_column="sku",
    natural_key=("sku", "effective_date"),
    source="seller_file",
    lookback_days=0,
    availability_lag_days=0,
    documentation="amazon.md §1.0 (valuation change 2025-03-10)",
)
