with

lake_rows as (
    {{ latest_document_rows('fee_preview') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows._document_created_at as snapshot_at,
        {{ to_local_date('lake_rows._document_created_at', 'marketplaces.timezone') }} as snapshot_date,
        lake_rows.sku,
        lake_rows.fnsku,
        lake_rows.asin,
        lake_rows.amazon_store,
        lake_rows.product_name,
        lake_rows.product_group,
        lake_rows.brand,
        lake_rows.fulfilled_by,
        lake_rows.has_local_inventory,
        lake_rows.your_price as your_price_amount,
        lake_rows.sales_price as sales_price_amount,
        lake_rows.longest_side,
        lake_rows.median_side,
        lake_rows.shortest_side,
        lake_rows.length_and_girth,
        lake_rows.unit_of_dimension,
        lake_rows.item_package_weight,
        lake_rows.unit_of_weight,
        lake_rows.product_size_tier,
        lake_rows.currency_code,
        lake_rows.estimated_fee_total,
        lake_rows.estimated_referral_fee_per_unit,
        lake_rows.estimated_variable_closing_fee,
        lake_rows.estimated_order_handling_fee_per_order,
        lake_rows.estimated_pick_pack_fee_per_unit,
        lake_rows.estimated_weight_handling_fee_per_unit,
        lake_rows.expected_fulfillment_fee_per_unit,
        lake_rows.estimated_future_fee,
        lake_rows.estimated_future_order_handling_fee_per_order,
        lake_rows.estimated_future_pick_pack_fee_per_unit,
        lake_rows.estimated_future_weight_handling_fee_per_unit,
        lake_rows.expected_future_fulfillment_fee_per_unit,
        lake_rows.expected_efn_fulfilment_fee_per_unit_uk,
        lake_rows.expected_efn_fulfilment_fee_per_unit_de,
        lake_rows.expected_efn_fulfilment_fee_per_unit_fr,
        lake_rows.expected_efn_fulfilment_fee_per_unit_it,
        lake_rows.expected_efn_fulfilment_fee_per_unit_es,
        lake_rows.expected_efn_fulfilment_fee_per_unit_se,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
