{#- C7: Amazon shipped a free replacement and the original unit never came back (no customer return of the
    original order and sku, at any date) and was not reimbursed for that order. Valued at the original
    order's item price. Reasons where Amazon lost the original (1, 6, 10, 11: no return is expected) are
    unconfirmed as claimable (amazon.md C7), so a person reviews them. -#}
{%- set t = dbt.type_string() %}
with

matched as (
    select * from {{ ref('int_refunds__returns_matched') }}
),

unreturned as (
    select
        *,
        cast(sale_unit_amount * unreturned_replacement_quantity as decimal(18, 2)) as owed_amount
    from matched
    where unreturned_replacement_quantity > 0
),

final as (
    select
        seller_id,
        marketplace_id,
        'replacement_not_returned' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        first_replaced_date as occurred_date,
        cast(unreturned_replacement_quantity as bigint) as quantity,
        sale_unit_amount as unit_value_amount,
        owed_amount as claim_amount,
        currency_code,
        'sale_price' as valuation_basis,
        case
            when sale_unit_amount is null or replacement_reason_code in ('1', '6', '10', '11') then 'review'
            else 'high'
        end as confidence,
        {{ dbt.concat([
            "'Original order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': replacement order '", 'replacement_order_id', "' shipped '",
            'cast(first_replaced_date as ' ~ t ~ ')', "' (reason code '", 'replacement_reason_code',
            "', '", 'cast(replaced_quantity as ' ~ t ~ ')', "' unit(s)); item price '",
            "coalesce(cast(sale_unit_amount as " ~ t ~ "), 'unknown')", "' '", 'currency_code',
            "' per unit; units of the original returned: '", 'cast(returned_quantity as ' ~ t ~ ')',
            "'; units reimbursed for the order: '", 'cast(reimbursed_quantity as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Amazon shipped replacement order '", 'replacement_order_id', "' on '",
            'cast(first_replaced_date as ' ~ t ~ ')', "' for order '", 'order_id', "' (SKU '", 'sku',
            "', FNSKU '", 'fnsku', "'). '", 'cast(unreturned_replacement_quantity as ' ~ t ~ ')',
            "' original unit(s) were never returned to my inventory and have not been reimbursed. '",
            "'Please reimburse them at the original order price.'",
        ]) }} as case_text
    from unreturned
)

select * from final
