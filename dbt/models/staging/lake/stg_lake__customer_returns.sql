with

lake_rows as (
    {{ latest_document_rows('customer_returns') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.returned_at,
        {{ to_local_date('lake_rows.returned_at', 'marketplaces.timezone') }} as returned_date,
        lake_rows.order_id,
        lake_rows.sku,
        lake_rows.asin,
        lake_rows.fnsku,
        lake_rows.product_name,
        lake_rows.quantity,
        lake_rows.fulfillment_center_id,
        upper(trim(lake_rows.detailed_disposition)) as detailed_disposition,
        replace(upper(trim(lake_rows.reason)), 'CR-', '') as return_reason_code,
        lake_rows.status,
        lake_rows.license_plate_number,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
