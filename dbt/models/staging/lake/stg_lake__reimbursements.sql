with

lake_rows as (
    {{ latest_document_rows('reimbursements') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.approved_at,
        {{ to_local_date('lake_rows.approved_at', 'marketplaces.timezone') }} as approved_date,
        lake_rows.reimbursement_id,
        lake_rows.case_id,
        lake_rows.amazon_order_id,
        lower(trim(lake_rows.reason)) as reason_code,
        lake_rows.sku,
        lake_rows.fnsku,
        lake_rows.asin,
        lake_rows.product_name,
        lake_rows.condition,
        lake_rows.currency_code,
        lake_rows.amount_per_unit as unit_amount,
        lake_rows.amount_total as total_amount,
        lake_rows.quantity_reimbursed_cash,
        lake_rows.quantity_reimbursed_inventory,
        lake_rows.quantity_reimbursed_total,
        lake_rows.original_reimbursement_id,
        lake_rows.original_reimbursement_type,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
