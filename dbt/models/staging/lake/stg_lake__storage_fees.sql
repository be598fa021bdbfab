with

lake_rows as (
    {{ latest_document_rows('storage_fees') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.asin,
        lake_rows.fnsku,
        lake_rows.product_name,
        lake_rows.fulfillment_center,
        lake_rows.country_code,
        lake_rows.longest_side,
        lake_rows.median_side,
        lake_rows.shortest_side,
        lake_rows.measurement_units,
        lake_rows.weight,
        lake_rows.weight_units,
        lake_rows.item_volume,
        lake_rows.volume_units,
        lake_rows.product_size_tier,
        lake_rows.average_quantity_on_hand,
        lake_rows.average_quantity_pending_removal,
        lake_rows.estimated_total_item_volume,
        lake_rows.month_of_charge,
        lake_rows.storage_rate,
        lake_rows.currency_code,
        lake_rows.estimated_monthly_storage_fee,
        lake_rows.dangerous_goods_storage_type,
        lake_rows.eligible_for_inventory_discount,
        lake_rows.qualifies_for_inventory_discount,
        lake_rows.total_incentive_fee_amount,
        lake_rows.breakdown_incentive_fee_amount,
        lake_rows.average_quantity_customer_orders,
        lake_rows.storage_utilization_ratio,
        lake_rows.storage_utilization_ratio_units,
        lake_rows.base_rate,
        lake_rows.utilization_surcharge_rate,
        lake_rows.sku,
        lake_rows.avg_qty_for_sus,
        lake_rows.est_vol_for_sus,
        lake_rows.est_base_msf,
        lake_rows.est_sus,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
