{#- C10: removal order units lost: shipped per the order detail but missing from the removal shipment rows,
    or a Completed order whose shipped + disposed + cancelled units fall short of the requested units
    (int_removals__reconciliation.lost_quantity). Valued at the seller's cost on the shipment date. -#}
{%- set text = dbt.type_string() %}
with

reconciliation as (
    select * from {{ ref('int_removals__reconciliation') }}
),

losses as (
    select
        *,
        coalesce(last_shipped_date, last_updated_date) as occurred_date
    from reconciliation
    where lost_quantity > 0
),

valued as (
    {{ value_before_order('losses', 'occurred_date') }}
),

described as (
    select
        *,
        case
            when tracking_numbers is null then ''
            else {{ dbt.concat(["' (tracking '", 'tracking_numbers', "')'"]) }}
        end as tracking_text
    from valued
),

final as (
    select
        seller_id,
        marketplace_id,
        'removal_lost' as claim_type,
        'removal_order_id' as reference_type,
        removal_order_id as reference_id,
        sku,
        fnsku,
        cast(null as {{ text }}) as asin,
        occurred_date,
        cast(lost_quantity as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(lost_quantity * unit_value_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        coalesce(valuation_basis, 'estimate') as valuation_basis,
        case when valuation_basis = 'manufacturing_cost' then 'high' else 'review' end as confidence,
        {{ dbt.concat([
            "'Removal order '", 'removal_order_id', "' ('", 'order_type', "', '", 'order_status',
            "', requested '", 'cast(requested_date as ' ~ text ~ ')', "') FNSKU '", 'fnsku',
            "': requested '", 'cast(requested_quantity as ' ~ text ~ ')',
            "', cancelled '", 'cast(cancelled_quantity as ' ~ text ~ ')',
            "', disposed '", 'cast(disposed_quantity as ' ~ text ~ ')',
            "', shipped '", 'cast(shipped_quantity as ' ~ text ~ ')',
            "' per the order detail; '", 'cast(shipment_rows_quantity as ' ~ text ~ ')',
            "' unit(s) in '", 'cast(shipment_row_count as ' ~ text ~ ')', "' removal shipment row(s)'",
            'tracking_text',
            "'; '", 'cast(lost_quantity as ' ~ text ~ ')', "' unit(s) unaccounted for.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Removal order '", 'removal_order_id', "' for FNSKU '", 'fnsku', "' (SKU '", 'sku',
            "') requested '", 'cast(requested_quantity as ' ~ text ~ ')', "' unit(s); '",
            'cast(lost_quantity as ' ~ text ~ ')',
            "' unit(s) never reached us: they are not covered by the removal shipments (shipped '",
            'cast(shipment_rows_quantity as ' ~ text ~ ')', "'), cancellations or disposals. '",
            "'Please reimburse the missing unit(s).'",
        ]) }} as case_text
    from described
)

select * from final
