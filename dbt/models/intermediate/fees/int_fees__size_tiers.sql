{#- The true size tier of every SKU under every fulfillment rate card of its marketplace, from the latest fee
    preview's dimensions (Amazon's current measurement; the demo's truth). Tier = the lowest tier_rank whose
    three side limits (sides sorted longest first, as the fee preview names them) and weight limit all hold.
    Units are converted to cm and g. Grain: seller, marketplace, sku, card (effective_from_date). -#}
with

fee_preview as (
    select * from {{ ref('stg_lake__fee_preview') }}
),

rates as (
    select * from {{ ref('fba_fulfillment_fee_rates') }}
),

measured as (
    select
        seller_id,
        marketplace_id,
        sku,
        fnsku,
        asin,
        product_group as category,
        product_size_tier as amazon_size_tier,
        snapshot_date,
        case lower(unit_of_dimension)
            when 'centimeters' then cast(1 as decimal(18, 4))
            when 'cm' then cast(1 as decimal(18, 4))
            when 'inches' then cast(2.54 as decimal(18, 4))
            when 'in' then cast(2.54 as decimal(18, 4))
        end as cm_per_dimension_unit,
        case lower(unit_of_weight)
            when 'grams' then cast(1 as decimal(18, 6))
            when 'g' then cast(1 as decimal(18, 6))
            when 'kilograms' then cast(1000 as decimal(18, 6))
            when 'kg' then cast(1000 as decimal(18, 6))
            when 'pounds' then cast(453.59237 as decimal(18, 6))
            when 'lb' then cast(453.59237 as decimal(18, 6))
            when 'ounces' then cast(28.349523 as decimal(18, 6))
            when 'oz' then cast(28.349523 as decimal(18, 6))
        end as g_per_weight_unit,
        longest_side,
        median_side,
        shortest_side,
        item_package_weight
    from fee_preview
),

dimensions as (
    select
        seller_id,
        marketplace_id,
        sku,
        fnsku,
        asin,
        category,
        amazon_size_tier,
        snapshot_date,
        cast(longest_side * cm_per_dimension_unit as decimal(18, 4)) as longest_side_cm,
        cast(median_side * cm_per_dimension_unit as decimal(18, 4)) as median_side_cm,
        cast(shortest_side * cm_per_dimension_unit as decimal(18, 4)) as shortest_side_cm,
        cast(item_package_weight * g_per_weight_unit as decimal(18, 4)) as weight_g
    from measured
),

fitting_tiers as (
    select
        dimensions.seller_id,
        dimensions.marketplace_id,
        dimensions.sku,
        rates.effective_from_date,
        min(rates.tier_rank) as tier_rank
    from dimensions
    inner join rates
        on dimensions.marketplace_id = rates.marketplace_id
        and dimensions.longest_side_cm <= rates.max_longest_side_cm
        and dimensions.median_side_cm <= rates.max_median_side_cm
        and dimensions.shortest_side_cm <= rates.max_shortest_side_cm
        and dimensions.weight_g <= rates.max_weight_g
    group by
        dimensions.seller_id,
        dimensions.marketplace_id,
        dimensions.sku,
        rates.effective_from_date
),

final as (
    select
        dimensions.seller_id,
        dimensions.marketplace_id,
        dimensions.sku,
        dimensions.fnsku,
        dimensions.asin,
        dimensions.category,
        dimensions.snapshot_date,
        dimensions.longest_side_cm,
        dimensions.median_side_cm,
        dimensions.shortest_side_cm,
        dimensions.weight_g,
        dimensions.amazon_size_tier,
        rates.size_tier,
        rates.tier_rank,
        rates.storage_size_class,
        rates.fee_per_unit_amount,
        rates.currency_code,
        rates.effective_from_date,
        rates.effective_to_date
    from dimensions
    inner join fitting_tiers
        on dimensions.seller_id = fitting_tiers.seller_id
        and dimensions.marketplace_id = fitting_tiers.marketplace_id
        and dimensions.sku = fitting_tiers.sku
    inner join rates
        on fitting_tiers.marketplace_id = rates.marketplace_id
        and fitting_tiers.effective_from_date = rates.effective_from_date
        and fitting_tiers.tier_rank = rates.tier_rank
)

select * from final
