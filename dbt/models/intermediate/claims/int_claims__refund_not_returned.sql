{#- C6: Amazon refunded the customer for an FBA order and the unit never came back (no customer return for
    the order and sku, at any date) and was not reimbursed for that order. Valued at the refunded price. -#}
{%- set t = dbt.type_string() %}
with

matched as (
    select * from {{ ref('int_refunds__returns_matched') }}
),

unreturned as (
    select
        *,
        cast(refund_unit_amount * unreturned_refund_quantity as decimal(18, 2)) as owed_amount
    from matched
    where unreturned_refund_quantity > 0
),

final as (
    select
        seller_id,
        marketplace_id,
        'refund_not_returned' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        first_refunded_date as occurred_date,
        cast(unreturned_refund_quantity as bigint) as quantity,
        refund_unit_amount as unit_value_amount,
        owed_amount as claim_amount,
        currency_code,
        'refund_amount' as valuation_basis,
        'high' as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': refunded '", 'cast(refunded_quantity as ' ~ t ~ ')',
            "' unit(s), '", 'cast(refunded_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "', first refund posted '", 'cast(first_refunded_date as ' ~ t ~ ')',
            "'; units returned by the customer: '", 'cast(returned_quantity as ' ~ t ~ ')',
            "'; units reimbursed for the order: '", 'cast(reimbursed_quantity as ' ~ t ~ ')',
            "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Amazon refunded the customer for order '", 'order_id', "' on '",
            'cast(first_refunded_date as ' ~ t ~ ')', "' (SKU '", 'sku', "', FNSKU '", 'fnsku',
            "'). '", 'cast(unreturned_refund_quantity as ' ~ t ~ ')',
            "' unit(s) were never returned to my inventory and have not been reimbursed. Please reimburse '",
            'cast(owed_amount as ' ~ t ~ ')', "' '", 'currency_code',
            "', the refunded amount.'",
        ]) }} as case_text
    from unreturned
)

select * from final
