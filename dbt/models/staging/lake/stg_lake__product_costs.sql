with

lake_rows as (
    {{ latest_document_rows('product_costs') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.sku,
        lake_rows.unit_cost_amount,
        lake_rows.currency_code,
        lake_rows.effective_date,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
