"""The report catalog: every report fbaudit reads, declared once.

Parsing, landing, the dbt sources file, the demo seller and the tests all follow from `REPORTS`."""

from .customers import CUSTOMER_RETURNS, REPLACEMENTS
from .finance import FEE_PREVIEW, FINANCIAL_EVENTS, REIMBURSEMENTS, SETTLEMENTS, STORAGE_FEES
from .inbound import INBOUND_SHIPMENT_ITEMS, INBOUND_SHIPMENTS
from .inventory import INVENTORY, LEDGER_DETAIL, LEDGER_SUMMARY
from .marketplaces import MARKETPLACES, Marketplace, marketplace, region_marketplaces
from .removals import REMOVAL_ORDERS, REMOVAL_SHIPMENTS
from .seller import PRODUCT_COSTS
from .spec import DUCKDB_TYPES, ISO, Column, ReportSpec

REPORTS: tuple[ReportSpec, ...] = (
    LEDGER_DETAIL,
    LEDGER_SUMMARY,
    INVENTORY,
    REIMBURSEMENTS,
    CUSTOMER_RETURNS,
    REPLACEMENTS,
    REMOVAL_ORDERS,
    REMOVAL_SHIPMENTS,
    SETTLEMENTS,
    FINANCIAL_EVENTS,
    FEE_PREVIEW,
    STORAGE_FEES,
    INBOUND_SHIPMENTS,
    INBOUND_SHIPMENT_ITEMS,
    PRODUCT_COSTS,
)

_BY_NAME = {r.name: r for r in REPORTS}
_BY_TYPE = {r.report_type: r for r in REPORTS}


def get(name_or_type: str) -> ReportSpec:
    """A report by our table name (`reimbursements`) or Amazon's type (`GET_FBA_REIMBURSEMENTS_DATA`)."""
    found = _BY_NAME.get(name_or_type) or _BY_TYPE.get(name_or_type)
    if found is None:
        raise KeyError(f"unknown report {name_or_type!r}")
    return found


__all__ = [
    "DUCKDB_TYPES", "ISO", "MARKETPLACES", "REPORTS", "Column", "Marketplace", "ReportSpec",
    "get", "marketplace", "region_marketplaces",
]
