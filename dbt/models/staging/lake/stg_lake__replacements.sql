with

lake_rows as (
    {{ latest_document_rows('replacements') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.shipped_at,
        {{ to_local_date('lake_rows.shipped_at', 'marketplaces.timezone') }} as shipped_date,
        lake_rows.sku,
        lake_rows.asin,
        lake_rows.fulfillment_center_id,
        lake_rows.original_fulfillment_center_id,
        lake_rows.quantity,
        trim(lake_rows.replacement_reason_code) as replacement_reason_code,
        lake_rows.replacement_amazon_order_id,
        lake_rows.original_amazon_order_id,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
