{#- C2: units of a closed inbound shipment received damaged (ledger Receipts in CARRIER_DAMAGED), less
    Damaged_Inbound reimbursements for the FNSKU. -#}
with

shipment_lines as (
    select * from {{ ref('int_inbound__shipment_reconciliation') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

damaged_lines as (
    select
        shipment_lines.*,
        shipment_lines.last_receipt_date as occurred_date,
        marketplaces.currency_code
    from shipment_lines
    inner join marketplaces
        on shipment_lines.marketplace_id = marketplaces.marketplace_id
    where shipment_lines.problem_kind = 'damaged'
        and shipment_lines.open_units > 0
),

valued as (
    {{ value_before_order('damaged_lines', 'occurred_date') }}
),

final as (
    select
        seller_id,
        marketplace_id,
        'inbound_damaged' as claim_type,
        'shipment_id' as reference_type,
        shipment_id as reference_id,
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
            "'Shipment '", 'shipment_id', "' ('", 'shipment_status', "') FNSKU '", 'fnsku',
            "': '", 'cast(problem_units as ' ~ dbt.type_string() ~ ')',
            "' unit(s) received as CARRIER_DAMAGED (ledger Receipts, last '",
            'cast(last_receipt_date as ' ~ dbt.type_string() ~ ')',
            "', FC '", "coalesce(fulfillment_center, 'unknown')", "'); '",
            'cast(reimbursed_units as ' ~ dbt.type_string() ~ ')',
            "' reimbursed as Damaged_Inbound; '", 'cast(open_units as ' ~ dbt.type_string() ~ ')', "' open'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Inbound shipment '", 'shipment_id', "' (Amazon-partnered carrier): '",
            'cast(open_units as ' ~ dbt.type_string() ~ ')', "' unit(s) of FNSKU '", 'fnsku',
            "' (SKU '", 'sku', "') were received damaged on '",
            'cast(last_receipt_date as ' ~ dbt.type_string() ~ ')',
            "' and have not been reimbursed. Please reimburse the damaged units.'",
        ]) }} as case_text
    from valued
)

select * from final
