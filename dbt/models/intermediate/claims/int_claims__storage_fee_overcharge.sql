{#- C13: an FNSKU-month's storage fee is above the fee from the true inputs (int_fees__storage_expected: fee
    preview dimensions, ledger summary average, rate card). Months when Amazon used smaller dimensions give a
    lower fee, so never claim. One claim per FNSKU and month (reference_id YYYY-MM, occurred on the month's
    last day). Confidence high when only the quantity differs (the ledger proves it), medium when Amazon's
    dimensions differ from today's fee preview (a person checks the measurement then). Differences up to the
    fee tolerance (var fee_tolerance_amount in dbt_project.yml) are rounding, not claims. -#}
{%- set t = dbt.type_string() %}
with

storage as (
    select * from {{ ref('int_fees__storage_expected') }}
),

overcharged as (
    select
        *,
        cast(charged_fee_amount - expected_fee_amount as decimal(18, 2)) as overcharge_amount
    from storage
    where charged_fee_amount - expected_fee_amount > {{ var('fee_tolerance_amount') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'storage_fee_overcharge' as claim_type,
        'storage_month' as reference_type,
        month_of_charge as reference_id,
        sku,
        fnsku,
        asin,
        month_end_date as occurred_date,
        cast(null as bigint) as quantity,
        cast(null as decimal(18, 2)) as unit_value_amount,
        overcharge_amount as claim_amount,
        currency_code,
        'fee_difference' as valuation_basis,
        case when amazon_item_volume <= true_item_volume then 'high' else 'medium' end as confidence,
        {{ dbt.concat([
            "'Storage '", 'month_of_charge', "', FNSKU '", 'fnsku', "', FC '", 'fulfillment_center',
            "': charged '", 'cast(charged_fee_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "' from sides '", 'cast(cast(amazon_longest_side as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(amazon_median_side as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(amazon_shortest_side as decimal(18, 2)) as ' ~ t ~ ')', "' '",
            'amazon_measurement_units', "', item_volume '", 'cast(amazon_item_volume as ' ~ t ~ ')',
            "', average on hand '", 'cast(amazon_average_quantity as ' ~ t ~ ')',
            "', rate '", 'cast(amazon_storage_rate as ' ~ t ~ ')', "', tier '", "coalesce(amazon_size_tier, 'none')",
            "'. True: '", 'cast(cast(true_longest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(true_median_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' x '", 'cast(cast(true_shortest_side_cm as decimal(18, 2)) as ' ~ t ~ ')',
            "' cm (fee preview), item_volume '", 'cast(true_item_volume as ' ~ t ~ ')', "' '", 'volume_unit',
            "', average on hand '", 'cast(true_average_quantity as ' ~ t ~ ')',
            "' (ledger summary), rate '", 'cast(true_storage_rate as ' ~ t ~ ')', "', tier '", 'true_size_tier',
            "': expected '", 'cast(expected_fee_amount as ' ~ t ~ ')', "'; overcharge '",
            'cast(overcharge_amount as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'The monthly storage fee for FNSKU '", 'fnsku', "' for '", 'month_of_charge', "' was '",
            'cast(charged_fee_amount as ' ~ t ~ ')', "' '", 'currency_code', "', computed from an item volume of '",
            'cast(amazon_item_volume as ' ~ t ~ ')', "' and an average of '",
            'cast(amazon_average_quantity as ' ~ t ~ ')', "' units on hand. The item measures '",
            'cast(true_item_volume as ' ~ t ~ ')', "' '", 'volume_unit', "' and the inventory ledger shows an average of '",
            'cast(true_average_quantity as ' ~ t ~ ')', "' units, so the fee should be '",
            'cast(expected_fee_amount as ' ~ t ~ ')', "' '", 'currency_code', "'. Please refund the difference of '",
            'cast(overcharge_amount as ' ~ t ~ ')', "' '", 'currency_code', "'.'",
        ]) }} as case_text
    from overcharged
)

select * from final
