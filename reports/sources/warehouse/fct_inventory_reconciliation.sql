select
    seller_id, marketplace_id, fnsku, sku, month_start_date, opening_balance_units, receipts_units,
    customer_shipments_units, customer_returns_units, vendor_returns_units, warehouse_transfers_units,
    found_units, lost_units, damaged_units, disposed_units, other_adjustments_units, closing_balance_units,
    unexplained_units
from marts.fct_inventory_reconciliation
