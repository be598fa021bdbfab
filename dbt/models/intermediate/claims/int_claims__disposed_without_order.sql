{#- C5: units destroyed or donated (ledger Adjustments D/G) with no Disposal removal order of the seller
    for the FNSKU open on that day (request date … last update). Amazon may dispose on its own rights
    (expiry, recalls, hazmat, automatic unfulfillable removal), so a person reviews every one. -#}
with

adjustments as (
    select * from {{ ref('int_ledger__adjustments') }}
),

removal_orders as (
    select * from {{ ref('stg_lake__removal_orders') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

disposals as (
    select
        adjustments.*,
        adjustments.event_date as occurred_date,
        marketplaces.currency_code
    from adjustments
    inner join marketplaces
        on adjustments.marketplace_id = marketplaces.marketplace_id
    where adjustments.claim_relevance = 'disposed_review'
        and adjustments.quantity < 0
),

disposal_orders as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        requested_date,
        last_updated_date
    from removal_orders
    where lower(order_type) = 'disposal'
),

unordered_disposals as (
    select disposals.*
    from disposals
    left join disposal_orders
        on disposals.seller_id = disposal_orders.seller_id
        and disposals.marketplace_id = disposal_orders.marketplace_id
        and disposals.fnsku = disposal_orders.fnsku
        and disposals.occurred_date >= disposal_orders.requested_date
        and disposals.occurred_date <= coalesce(disposal_orders.last_updated_date, disposals.occurred_date)
    where disposal_orders.fnsku is null
),

valued as (
    {{ value_before_order('unordered_disposals', 'occurred_date') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'disposed_without_order' as claim_type,
        'ledger_reference_id' as reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        occurred_date,
        cast(units as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(coalesce(units * unit_value_amount, 0) as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        'review' as confidence,
        {{ dbt.concat([
            "'Inventory Ledger Adjustments reason '", 'reason_code',
            "', Reference ID '", 'reference_id', "', FNSKU '", 'fnsku',
            "', '", 'cast(occurred_date as ' ~ dbt.type_string() ~ ')',
            "', FC '", "coalesce(fulfillment_center, 'unknown')",
            "': '", 'cast(units as ' ~ dbt.type_string() ~ ')', "' '", "coalesce(disposition, '')",
            "' unit(s) disposed; no Disposal removal order for this FNSKU was open that day'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'On '", 'cast(occurred_date as ' ~ dbt.type_string() ~ ')', "' '",
            'cast(units as ' ~ dbt.type_string() ~ ')', "' unit(s) of FNSKU '", 'fnsku', "' (SKU '", 'sku',
            "') were disposed of (Inventory Ledger Reference ID '", 'reference_id',
            "') without a removal order from us. Please explain the disposal or reimburse the units.'",
        ]) }} as case_text
    from valued
)

select * from final
