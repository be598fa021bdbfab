{#- C12: an order's FBAPerUnitFulfillmentFee is above the rate-card fee (card in force on the posted date) for
    the size tier of the product's true dimensions (the fee preview), times the units. One claim per fee
    charge. Charges made while Amazon used smaller dimensions are below the true-tier fee, so never claim.
    Differences up to the fee tolerance (var fee_tolerance_amount in dbt_project.yml) are rounding, not claims.
    Confidence medium: the fee preview is today's measurement, a person checks it held on the charge date. -#}
{%- set t = dbt.type_string() %}
with

charged as (
    select * from {{ ref('int_fees__charged') }}
),

size_tiers as (
    select * from {{ ref('int_fees__size_tiers') }}
),

fee_charges as (
    select
        *,
        -fulfillment_fee_amount as charged_fee_amount
    from charged
    where transaction_type = 'Order'
        and fulfillment_fee_amount is not null
),

compared as (
    select
        fee_charges.seller_id,
        fee_charges.marketplace_id,
        fee_charges.order_id,
        fee_charges.sku,
        size_tiers.fnsku,
        size_tiers.asin,
        fee_charges.posted_date,
        fee_charges.settlement_id,
        fee_charges.quantity,
        fee_charges.currency_code,
        fee_charges.charged_fee_amount,
        size_tiers.longest_side_cm,
        size_tiers.median_side_cm,
        size_tiers.shortest_side_cm,
        size_tiers.weight_g,
        size_tiers.amazon_size_tier,
        size_tiers.size_tier,
        size_tiers.snapshot_date,
        size_tiers.effective_from_date,
        size_tiers.fee_per_unit_amount,
        cast(size_tiers.fee_per_unit_amount * fee_charges.quantity as decimal(18, 2)) as expected_fee_amount
    from fee_charges
    inner join size_tiers
        on fee_charges.seller_id = size_tiers.seller_id
        and fee_charges.marketplace_id = size_tiers.marketplace_id
        and fee_charges.sku = size_tiers.sku
        and fee_charges.posted_date >= size_tiers.effective_from_date
        and (size_tiers.effective_to_date is null or fee_charges.posted_date <= size_tiers.effective_to_date)
),

overcharged as (
    select
        *,
        cast(charged_fee_amount - expected_fee_amount as decimal(18, 2)) as overcharge_amount
    from compared
    where charged_fee_amount - expected_fee_amount > {{ var('fee_tolerance_amount') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'fulfillment_fee_overcharge' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        posted_date as occurred_date,
        cast(null as bigint) as quantity,
        cast(null as decimal(18, 2)) as unit_value_amount,
        overcharge_amount as claim_amount,
        currency_code,
        'fee_difference' as valuation_basis,
        'medium' as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': FBAPerUnitFulfillmentFee charged '", 'cast(charged_fee_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "' for '", 'cast(quantity as ' ~ t ~ ')', "' unit(s), posted '", 'cast(posted_date as ' ~ t ~ ')',
            "' (settlement '", 'settlement_id', "'). Fee preview of '", 'cast(snapshot_date as ' ~ t ~ ')',
            "': '", 'cast(cast(longest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(median_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(shortest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' cm, '", 'cast(cast(weight_g as decimal(18, 2)) as ' ~ t ~ ')',
            "' g, tier '", 'size_tier', "' (Amazon shows '", "coalesce(amazon_size_tier, 'none')",
            "'); rate card from '", 'cast(effective_from_date as ' ~ t ~ ')',
            "': '", 'cast(fee_per_unit_amount as ' ~ t ~ ')', "' per unit, expected '",
            'cast(expected_fee_amount as ' ~ t ~ ')', "'; overcharge '", 'cast(overcharge_amount as ' ~ t ~ ')',
            "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "' (SKU '", 'sku', "', FNSKU '", 'fnsku',
            "') was charged an FBA fulfillment fee of '", 'cast(charged_fee_amount as ' ~ t ~ ')', "' '",
            'currency_code', "' on '", 'cast(posted_date as ' ~ t ~ ')', "'. The item measures '",
            'cast(cast(longest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(median_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(shortest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' cm and '", 'cast(cast(weight_g as decimal(18, 2)) as ' ~ t ~ ')',
            "' g, size tier '", 'size_tier', "', whose fee on that date was '",
            'cast(expected_fee_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "'. Please refund the difference of '", 'cast(overcharge_amount as ' ~ t ~ ')', "' '",
            'currency_code', "'.'",
        ]) }} as case_text
    from overcharged
)

select * from final
