with

lake_rows as (
    {{ latest_document_rows('ledger_summary') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.summary_date,
        lake_rows.fnsku,
        lake_rows.asin,
        lake_rows.msku as sku,
        lake_rows.title,
        upper(trim(lake_rows.disposition)) as disposition,
        lake_rows.starting_warehouse_balance,
        lake_rows.in_transit_between_warehouses,
        lake_rows.receipts,
        lake_rows.customer_shipments,
        lake_rows.customer_returns,
        lake_rows.vendor_returns,
        lake_rows.warehouse_transfer_in_out,
        lake_rows.found,
        lake_rows.lost,
        lake_rows.damaged,
        lake_rows.disposed,
        lake_rows.other_events,
        lake_rows.ending_warehouse_balance,
        lake_rows.unknown_events,
        lake_rows.location,
        lake_rows.store,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
