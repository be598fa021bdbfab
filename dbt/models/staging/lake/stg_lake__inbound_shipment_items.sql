with

lake_rows as (
    {{ latest_document_rows('inbound_shipment_items') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.shipment_id,
        lake_rows.sku,
        lake_rows.fnsku,
        lake_rows.quantity_shipped,
        lake_rows.quantity_received,
        lake_rows.quantity_in_case,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
