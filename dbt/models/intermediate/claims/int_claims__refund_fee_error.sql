{#- C15: on a refund Amazon credits back the commission charged on the order (in proportion to the principal
    refunded) and keeps a refund administration fee of min(cap, round_half_up(rate x credited commission, 2))
    (referral_fee_rates on the refund's posted date; rate 20 %). Owed = (expected credit - expected fee) -
    (actual Commission credit - actual RefundCommission charged). A full refund credits the whole commission;
    a partial refund's share is a division, cast to DECIMAL(38,10) before round() so DuckDB and Spark agree.
    Differences up to the fee tolerance (var fee_tolerance_amount in dbt_project.yml) are rounding, not claims. -#}
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

orders as (
    select * from charged where transaction_type = 'Order'
),

refunds as (
    select * from charged where transaction_type = 'Refund'
),

refunded_orders as (
    select
        refunds.seller_id,
        refunds.marketplace_id,
        refunds.order_id,
        refunds.sku,
        refunds.posted_date,
        refunds.settlement_id,
        refunds.currency_code,
        orders.posted_date as order_posted_date,
        orders.principal_amount as order_principal_amount,
        -orders.commission_amount as order_commission_amount,
        -refunds.principal_amount as refunded_principal_amount,
        coalesce(refunds.commission_amount, 0) as credited_commission_amount,
        -coalesce(refunds.refund_commission_amount, 0) as administration_fee_amount
    from refunds
    inner join orders
        on refunds.seller_id = orders.seller_id
        and refunds.marketplace_id = orders.marketplace_id
        and refunds.order_id = orders.order_id
        and refunds.sku = orders.sku
    where orders.commission_amount is not null
        and orders.principal_amount > 0
),

products as (
    select
        refunded_orders.*,
        size_tiers.fnsku,
        size_tiers.asin,
        size_tiers.category
    from refunded_orders
    inner join size_tiers
        on refunded_orders.seller_id = size_tiers.seller_id
        and refunded_orders.marketplace_id = size_tiers.marketplace_id
        and refunded_orders.sku = size_tiers.sku
        and refunded_orders.posted_date >= size_tiers.effective_from_date
        and (size_tiers.effective_to_date is null or refunded_orders.posted_date <= size_tiers.effective_to_date)
),

expected_credit as (
    select
        products.*,
        referral_rates.refund_administration_rate,
        referral_rates.refund_administration_fee_cap_amount,
        case
            when products.refunded_principal_amount >= products.order_principal_amount
                then products.order_commission_amount
            else round(cast(products.order_commission_amount * products.refunded_principal_amount
                            / products.order_principal_amount as decimal(38, 10)), 2)
        end as expected_credit_amount
    from products
    inner join referral_rates
        on products.marketplace_id = referral_rates.marketplace_id
        and products.category = referral_rates.category
        and products.posted_date >= referral_rates.effective_from_date
        and (referral_rates.effective_to_date is null or products.posted_date <= referral_rates.effective_to_date)
),

expected as (
    select
        *,
        cast(least(refund_administration_fee_cap_amount,
                   round(refund_administration_rate * expected_credit_amount, 2)) as decimal(18, 2))
            as expected_administration_fee_amount
    from expected_credit
),

owed as (
    select
        *,
        cast((expected_credit_amount - expected_administration_fee_amount)
             - (credited_commission_amount - administration_fee_amount) as decimal(18, 2)) as owed_amount
    from expected
),

errors as (
    select * from owed where owed_amount > {{ var('fee_tolerance_amount') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'refund_fee_error' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        posted_date as occurred_date,
        cast(null as bigint) as quantity,
        cast(null as decimal(18, 2)) as unit_value_amount,
        owed_amount as claim_amount,
        currency_code,
        'fee_difference' as valuation_basis,
        'high' as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': Commission '", 'cast(order_commission_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "' charged '", 'cast(order_posted_date as ' ~ t ~ ')', "' on '",
            'cast(order_principal_amount as ' ~ t ~ ')', "' principal; refund of '",
            'cast(refunded_principal_amount as ' ~ t ~ ')', "' posted '", 'cast(posted_date as ' ~ t ~ ')',
            "' (settlement '", 'settlement_id', "'): Commission credit '",
            'cast(credited_commission_amount as ' ~ t ~ ')', "' (expected '",
            'cast(expected_credit_amount as ' ~ t ~ ')', "'), RefundCommission '",
            'cast(administration_fee_amount as ' ~ t ~ ')', "' (expected '",
            'cast(expected_administration_fee_amount as ' ~ t ~ ')', "' = min('",
            'cast(refund_administration_fee_cap_amount as ' ~ t ~ ')', "', '",
            'cast(refund_administration_rate as ' ~ t ~ ')', "' x credit)); owed '",
            'cast(owed_amount as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'The refund of order '", 'order_id', "' (SKU '", 'sku', "') posted on '",
            'cast(posted_date as ' ~ t ~ ')', "' credited '", 'cast(credited_commission_amount as ' ~ t ~ ')',
            "' '", 'currency_code', "' of the '", 'cast(order_commission_amount as ' ~ t ~ ')',
            "' referral fee and charged a refund administration fee of '",
            'cast(administration_fee_amount as ' ~ t ~ ')', "'. The administration fee should be '",
            'cast(expected_administration_fee_amount as ' ~ t ~ ')', "' with the referral fee credited back ('",
            'cast(expected_credit_amount as ' ~ t ~ ')', "'). Please refund the difference of '",
            'cast(owed_amount as ' ~ t ~ ')', "' '", 'currency_code', "'.'",
        ]) }} as case_text
    from errors
)

select * from final
