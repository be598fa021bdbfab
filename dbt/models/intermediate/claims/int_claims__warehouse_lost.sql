{#- C3: units Amazon reported misplaced (ledger Adjustments M/5) that were neither found nor reimbursed,
    or reimbursed short in quantity. -#}
with

open_losses as (
    select * from {{ ref('int_inventory__open_losses') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

lost_units as (
    select
        open_losses.*,
        open_losses.event_date as occurred_date,
        marketplaces.currency_code
    from open_losses
    inner join marketplaces
        on open_losses.marketplace_id = marketplaces.marketplace_id
    where open_losses.claim_relevance = 'lost'
        and open_losses.open_units > 0
),

valued as (
    {{ value_before_order('lost_units', 'occurred_date') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'warehouse_lost' as claim_type,
        'ledger_reference_id' as reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        occurred_date,
        cast(open_units as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(coalesce(open_units * unit_value_amount, 0) as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        case when unit_value_amount is null then 'review' else 'high' end as confidence,
        {{ dbt.concat([
            "'Inventory Ledger Adjustments reason '", 'reason_code',
            "', Reference ID '", 'reference_id',
            "', FNSKU '", 'fnsku',
            "', '", 'cast(occurred_date as ' ~ dbt.type_string() ~ ')',
            "', FC '", "coalesce(fulfillment_center, 'unknown')",
            "': '", 'cast(units as ' ~ dbt.type_string() ~ ')', "' unit(s) misplaced; '",
            'cast(open_units as ' ~ dbt.type_string() ~ ')', "' neither found nor reimbursed ('",
            'netting_method', "')'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Please reimburse '", 'cast(open_units as ' ~ dbt.type_string() ~ ')',
            "' unit(s) of FNSKU '", 'fnsku', "' (SKU '", 'sku',
            "') that the fulfilment centre reported as misplaced on '",
            'cast(occurred_date as ' ~ dbt.type_string() ~ ')',
            "' (Inventory Ledger Reference ID '", 'reference_id',
            "'). The units have not been found and no reimbursement covers them.'",
        ]) }} as case_text
    from valued
)

select * from final
