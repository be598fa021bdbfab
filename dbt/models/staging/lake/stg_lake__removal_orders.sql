with

lake_rows as (
    {{ latest_document_rows('removal_orders') }}
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
        lake_rows.order_source,
        lake_rows.order_type,
        lake_rows.service_speed,
        lake_rows.order_status,
        lake_rows.last_updated_at,
        {{ to_local_date('lake_rows.last_updated_at', 'marketplaces.timezone') }} as last_updated_date,
        lake_rows.sku,
        lake_rows.fnsku,
        lower(trim(lake_rows.disposition)) as disposition,
        lake_rows.requested_quantity,
        lake_rows.cancelled_quantity,
        lake_rows.disposed_quantity,
        lake_rows.shipped_quantity,
        lake_rows.in_process_quantity,
        lake_rows.removal_fee_amount,
        lake_rows.currency_code,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
