with

lake_rows as (
    {{ latest_document_rows('ledger_detail') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.event_date,
        lake_rows.fnsku,
        lake_rows.asin,
        lake_rows.msku as sku,
        lake_rows.title,
        lake_rows.event_type,
        lake_rows.reference_id,
        lake_rows.quantity,
        lake_rows.fulfillment_center,
        upper(trim(lake_rows.disposition)) as disposition,
        upper(trim(lake_rows.reason)) as reason_code,
        lake_rows.country,
        lake_rows.reconciled_quantity,
        lake_rows.unreconciled_quantity,
        lake_rows.event_at,
        lake_rows.store,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
