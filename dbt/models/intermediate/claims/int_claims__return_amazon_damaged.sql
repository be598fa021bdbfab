{#- C8b: a return came back in a disposition Amazon is responsible for (DAMAGED, CARRIER_DAMAGED: the
    customer_return_dispositions seed) and Amazon did not reimburse the order. C8c: the return's reason
    blames Amazon or its carrier but the disposition left the unit the seller's (CUSTOMER_DAMAGED,
    DEFECTIVE): a heuristic, so a person reviews it. Valued at the refunded price, or the order's item price
    when no refund is settled. -#}
{%- set t = dbt.type_string() %}
with

matched as (
    select * from {{ ref('int_refunds__returns_matched') }}
),

unreimbursed as (
    select
        *,
        coalesce(refund_unit_amount, sale_unit_amount) as unit_amount,
        case when refund_unit_amount is null then 'sale_price' else 'refund_amount' end as basis
    from matched
    where amazon_fault_unreimbursed_quantity > 0
),

final as (
    select
        seller_id,
        marketplace_id,
        'return_amazon_damaged' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        first_amazon_fault_returned_date as occurred_date,
        cast(amazon_fault_unreimbursed_quantity as bigint) as quantity,
        unit_amount as unit_value_amount,
        cast(unit_amount * amazon_fault_unreimbursed_quantity as decimal(18, 2)) as claim_amount,
        currency_code,
        basis as valuation_basis,
        case
            when fault_conflict_returned_quantity > 0 or unit_amount is null then 'review'
            else 'high'
        end as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': customer return on '", 'cast(first_amazon_fault_returned_date as ' ~ t ~ ')',
            "', disposition '", 'amazon_fault_disposition', "', reason '", 'amazon_fault_reason_code',
            "'; units returned in an Amazon-fault disposition: '",
            'cast(amazon_damaged_returned_quantity as ' ~ t ~ ')',
            "'; units whose reason blames Amazon but disposition does not: '",
            'cast(fault_conflict_returned_quantity as ' ~ t ~ ')',
            "'; units reimbursed for the order: '", 'cast(reimbursed_quantity as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'The customer return of order '", 'order_id', "' (SKU '", 'sku', "', FNSKU '", 'fnsku',
            "') was received on '", 'cast(first_amazon_fault_returned_date as ' ~ t ~ ')',
            "' with disposition '", 'amazon_fault_disposition', "' (reason '", 'amazon_fault_reason_code',
            "'): damaged while in Amazon''s or its carrier''s care. '",
            'cast(amazon_fault_unreimbursed_quantity as ' ~ t ~ ')',
            "' unit(s) have not been reimbursed. Please reimburse them.'",
        ]) }} as case_text
    from unreimbursed
)

select * from final
