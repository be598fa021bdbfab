with

lake_rows as (
    {{ latest_document_rows('removal_shipments') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.requested_at,
        {{ to_local_date('lake_rows.requested_at', 'marketplaces.timezone') }} as requested_date,
        lake_rows.removal_order_id,
        lake_rows.shipped_at,
        {{ to_local_date('lake_rows.shipped_at', 'marketplaces.timezone') }} as shipped_date,
        lake_rows.sku,
        lake_rows.fnsku,
        lower(trim(lake_rows.disposition)) as disposition,
        lake_rows.shipped_quantity,
        lake_rows.carrier,
        lake_rows.tracking_number,
        lake_rows.removal_order_type,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
