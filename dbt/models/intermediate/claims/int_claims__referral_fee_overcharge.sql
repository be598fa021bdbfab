{#- C14: an order's Commission is above the referral fee of the product's category (the fee preview's
    product-group) on the posted date: per unit max(round_half_up(unit price x rate, 2), minimum), times the
    units. The price is the settlement's Principal (shipping and gift wrap are not in the demo's settlements).
    round() on DECIMAL rounds half away from zero on DuckDB and Spark alike; the unit price (a division) is
    cast to DECIMAL(38,10) first so no float reaches round(). Differences up to the fee tolerance (var
    fee_tolerance_amount, default 0.01) are rounding, not claims. -#}
{%- set t = dbt.type_string() %}
with

charged as (
    select * from {{ ref('int_fees__charged') }}
),

size_tiers as (
    select * from {{ ref('int_fees__size_tiers') }}
),

referral_rates as (
    select * from {{ ref('referral_fee_rates') }}
),

commissions as (
    select
        *,
        -commission_amount as charged_commission_amount,
        cast(principal_amount / quantity as decimal(38, 10)) as unit_price_amount
    from charged
    where transaction_type = 'Order'
        and commission_amount is not null
        and principal_amount is not null
        and quantity > 0
),

products as (
    select
        commissions.*,
        size_tiers.fnsku,
        size_tiers.asin,
        size_tiers.category
    from commissions
    inner join size_tiers
        on commissions.seller_id = size_tiers.seller_id
        and commissions.marketplace_id = size_tiers.marketplace_id
        and commissions.sku = size_tiers.sku
        and commissions.posted_date >= size_tiers.effective_from_date
        and (size_tiers.effective_to_date is null or commissions.posted_date <= size_tiers.effective_to_date)
),

expected as (
    select
        products.*,
        referral_rates.referral_rate,
        referral_rates.minimum_fee_amount,
        cast(
            greatest(round(products.unit_price_amount * referral_rates.referral_rate, 2),
                     referral_rates.minimum_fee_amount) * products.quantity
            as decimal(18, 2)
        ) as expected_commission_amount
    from products
    inner join referral_rates
        on products.marketplace_id = referral_rates.marketplace_id
        and products.category = referral_rates.category
        and products.posted_date >= referral_rates.effective_from_date
        and (referral_rates.effective_to_date is null or products.posted_date <= referral_rates.effective_to_date)
),

overcharged as (
    select
        *,
        cast(charged_commission_amount - expected_commission_amount as decimal(18, 2)) as overcharge_amount
    from expected
    where charged_commission_amount - expected_commission_amount > {{ var('fee_tolerance_amount') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'referral_fee_overcharge' as claim_type,
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
        'high' as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': Commission charged '", 'cast(charged_commission_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "' on '", 'cast(principal_amount as ' ~ t ~ ')', "' principal for '", 'cast(quantity as ' ~ t ~ ')',
            "' unit(s), posted '", 'cast(posted_date as ' ~ t ~ ')', "' (settlement '", 'settlement_id',
            "'). Category '", 'category', "': rate '", 'cast(referral_rate as ' ~ t ~ ')',
            "', minimum '", 'cast(minimum_fee_amount as ' ~ t ~ ')', "' per unit, expected '",
            'cast(expected_commission_amount as ' ~ t ~ ')', "'; overcharge '",
            'cast(overcharge_amount as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "' (SKU '", 'sku', "', category '", 'category',
            "') was charged a referral fee of '", 'cast(charged_commission_amount as ' ~ t ~ ')', "' '",
            'currency_code', "' on '", 'cast(posted_date as ' ~ t ~ ')', "'. The '", 'category',
            "' referral fee for an item price of '", 'cast(principal_amount as ' ~ t ~ ')', "' is '",
            'cast(expected_commission_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "'. Please refund the difference of '", 'cast(overcharge_amount as ' ~ t ~ ')', "' '",
            'currency_code', "'.'",
        ]) }} as case_text
    from overcharged
)

select * from final
