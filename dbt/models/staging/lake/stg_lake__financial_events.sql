with

lake_rows as (
    {{ latest_document_rows('financial_events') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.event_type,
        lake_rows.posted_at,
        {{ to_local_date('lake_rows.posted_at', 'marketplaces.timezone') }} as posted_date,
        lake_rows.amazon_order_id,
        lake_rows.seller_order_id,
        lake_rows.marketplace_name,
        lake_rows.sku,
        lake_rows.fnsku,
        lake_rows.asin,
        lake_rows.order_item_id,
        lake_rows.order_adjustment_item_id,
        lake_rows.quantity,
        lake_rows.amount_category,
        lake_rows.amount_type,
        lake_rows.amount,
        lake_rows.currency_code,
        lake_rows.description,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
