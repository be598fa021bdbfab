{#- C8a: a return arrived SELLABLE with status "Unit returned to inventory", but the ledger holds no sellable
    CustomerReturns row for the order (the ledger's Reference ID of a customer return is the order id: the
    demo's convention, unconfirmed by Amazon, amazon.md §2.1) and Amazon did not reimburse the order.
    Valued at the refunded price, or the order's item price when no refund is settled. -#}
{%- set t = dbt.type_string() %}
with

matched as (
    select * from {{ ref('int_refunds__returns_matched') }}
),

unrestocked as (
    select
        *,
        coalesce(refund_unit_amount, sale_unit_amount) as unit_amount,
        case when refund_unit_amount is null then 'sale_price' else 'refund_amount' end as basis
    from matched
    where unrestocked_quantity > 0
),

final as (
    select
        seller_id,
        marketplace_id,
        'return_not_restocked' as claim_type,
        'order_id' as reference_type,
        order_id as reference_id,
        sku,
        fnsku,
        asin,
        first_restocked_returned_date as occurred_date,
        cast(unrestocked_quantity as bigint) as quantity,
        unit_amount as unit_value_amount,
        cast(unit_amount * unrestocked_quantity as decimal(18, 2)) as claim_amount,
        currency_code,
        basis as valuation_basis,
        case when unit_amount is null then 'review' else 'high' end as confidence,
        {{ dbt.concat([
            "'Order '", 'order_id', "', SKU '", 'sku', "', FNSKU '", 'fnsku',
            "': customer return report shows '", 'cast(restocked_returned_quantity as ' ~ t ~ ')',
            "' unit(s) SELLABLE, status Unit returned to inventory, first on '",
            'cast(first_restocked_returned_date as ' ~ t ~ ')',
            "'; inventory ledger CustomerReturns sellable units for the order: '",
            'cast(ledger_restocked_quantity as ' ~ t ~ ')',
            "'; units reimbursed for the order: '", 'cast(reimbursed_quantity as ' ~ t ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'The customer return of order '", 'order_id', "' (SKU '", 'sku', "', FNSKU '", 'fnsku',
            "') was received as sellable on '", 'cast(first_restocked_returned_date as ' ~ t ~ ')',
            "' with status Unit returned to inventory, but '", 'cast(unrestocked_quantity as ' ~ t ~ ')',
            "' unit(s) were never added back to my inventory (no CustomerReturns entry in the inventory '",
            "'ledger). Please reimburse them.'",
        ]) }} as case_text
    from unrestocked
)

select * from final
