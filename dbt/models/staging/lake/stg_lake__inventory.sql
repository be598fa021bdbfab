with

lake_rows as (
    {{ latest_document_rows('inventory') }}
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
        lake_rows.product_name,
        lake_rows.condition,
        lake_rows.your_price as your_price_amount,
        lower(trim(lake_rows.mfn_listing_exists)) = 'yes' as has_mfn_listing,
        lake_rows.mfn_fulfillable_quantity,
        lower(trim(lake_rows.afn_listing_exists)) = 'yes' as has_afn_listing,
        lake_rows.afn_warehouse_quantity,
        lake_rows.afn_fulfillable_quantity,
        lake_rows.afn_unsellable_quantity,
        lake_rows.afn_reserved_quantity,
        lake_rows.afn_total_quantity,
        lake_rows.per_unit_volume,
        lake_rows.afn_inbound_working_quantity,
        lake_rows.afn_inbound_shipped_quantity,
        lake_rows.afn_inbound_receiving_quantity,
        lake_rows.afn_researching_quantity,
        lake_rows.afn_reserved_future_supply,
        lake_rows.afn_future_supply_buyable,
        lake_rows.afn_fc_transfer_quantity,
        lake_rows.afn_onhand_buyable_quantity,
        lake_rows.store,
        lake_rows.afn_fulfillable_quantity_local,
        lake_rows.afn_fulfillable_quantity_remote,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
)

select * from final
