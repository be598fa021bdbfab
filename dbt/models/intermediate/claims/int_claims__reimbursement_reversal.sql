{#- C11: a reimbursement clawed back (Reimbursement_Reversal) although no unit of the FNSKU was found
    (ledger F/N, +qty) after the original reimbursement was approved. The units reversed beyond the units
    found are owed back at the amount per unit that was clawed back. -#}
with

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

ledger as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

ledger_reason_codes as (
    select * from {{ ref('ledger_reason_codes') }}
),

reversals as (
    select
        seller_id,
        marketplace_id,
        reimbursement_id,
        fnsku,
        max(sku) as sku,
        max(asin) as asin,
        max(approved_date) as approved_date,
        max(original_reimbursement_id) as original_reimbursement_id,
        max(currency_code) as currency_code,
        max(unit_amount) as unit_amount,
        -sum(quantity_reimbursed) as reversed_quantity,
        -sum(reimbursed_value_amount) as reversed_amount
    from reimbursements
    where is_reversal
    group by seller_id, marketplace_id, reimbursement_id, fnsku
),

originals as (
    select
        seller_id,
        marketplace_id,
        reimbursement_id,
        fnsku,
        min(approved_date) as approved_date,
        max(reason_code) as reason_code,
        max(amazon_order_id) as amazon_order_id
    from reimbursements
    where not is_reversal
    group by seller_id, marketplace_id, reimbursement_id, fnsku
),

found_events as (
    select
        ledger.seller_id,
        ledger.marketplace_id,
        ledger.fnsku,
        ledger.event_date,
        ledger.reference_id,
        ledger.quantity
    from ledger
    inner join ledger_reason_codes
        on ledger.reason_code = ledger_reason_codes.reason_code
    where ledger_reason_codes.claim_relevance = 'offsets_lost'
        and ledger.quantity > 0
),

reversals_with_original as (
    select
        reversals.*,
        originals.approved_date as original_approved_date,
        originals.reason_code as original_reason_code,
        originals.amazon_order_id as original_amazon_order_id
    from reversals
    left join originals
        on reversals.seller_id = originals.seller_id
        and reversals.marketplace_id = originals.marketplace_id
        and reversals.original_reimbursement_id = originals.reimbursement_id
        and reversals.fnsku = originals.fnsku
),

{#- units found after the original approval justify the reversal; with no original in the data, any unit
    found before the reversal counts (conservative) -#}
found_after_original as (
    select
        reversals_with_original.seller_id,
        reversals_with_original.marketplace_id,
        reversals_with_original.reimbursement_id,
        reversals_with_original.fnsku,
        sum(found_events.quantity) as found_quantity
    from reversals_with_original
    inner join found_events
        on reversals_with_original.seller_id = found_events.seller_id
        and reversals_with_original.marketplace_id = found_events.marketplace_id
        and reversals_with_original.fnsku = found_events.fnsku
        and (
            found_events.event_date > reversals_with_original.original_approved_date
            or (
                reversals_with_original.original_approved_date is null
                and found_events.event_date <= reversals_with_original.approved_date
            )
        )
    group by
        reversals_with_original.seller_id,
        reversals_with_original.marketplace_id,
        reversals_with_original.reimbursement_id,
        reversals_with_original.fnsku
),

unjustified as (
    select
        reversals_with_original.*,
        coalesce(found_after_original.found_quantity, 0) as found_quantity,
        reversals_with_original.reversed_quantity
            - coalesce(found_after_original.found_quantity, 0) as unfound_quantity
    from reversals_with_original
    left join found_after_original
        on reversals_with_original.seller_id = found_after_original.seller_id
        and reversals_with_original.marketplace_id = found_after_original.marketplace_id
        and reversals_with_original.reimbursement_id = found_after_original.reimbursement_id
        and reversals_with_original.fnsku = found_after_original.fnsku
    where reversals_with_original.reversed_quantity
        > coalesce(found_after_original.found_quantity, 0)
),

{%- set text = dbt.type_string() %}

described as (
    select
        *,
        cast(cast(unfound_quantity * unit_amount as decimal(18, 2)) as {{ text }}) as claim_amount_text,
        case
            when original_approved_date is null then 'not in the reports'
            else {{ dbt.concat([
                'original_reason_code', "' approved '", 'cast(original_approved_date as ' ~ text ~ ')',
            ]) }}
        end as original_text
    from unjustified
),

final as (
    select
        seller_id,
        marketplace_id,
        'reimbursement_reversal' as claim_type,
        'reimbursement_id' as reference_type,
        reimbursement_id as reference_id,
        sku,
        fnsku,
        asin,
        approved_date as occurred_date,
        cast(unfound_quantity as bigint) as quantity,
        cast(unit_amount as decimal(18, 2)) as unit_value_amount,
        cast(unfound_quantity * unit_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        case
            when original_amazon_order_id is not null then 'refund_amount'
            else 'manufacturing_cost'
        end as valuation_basis,
        case when original_approved_date is null then 'review' else 'high' end as confidence,
        {{ dbt.concat([
            "'Reversal '", 'reimbursement_id',
            "' approved '", 'cast(approved_date as ' ~ text ~ ')',
            "' clawed back '", 'cast(reversed_quantity as ' ~ text ~ ')',
            "' unit(s), '", 'cast(reversed_amount as ' ~ text ~ ')', "' '", 'currency_code',
            "', of reimbursement '", "coalesce(original_reimbursement_id, '?')",
            "' ('", 'original_text', "'); FNSKU '", 'fnsku', "': '", 'cast(found_quantity as ' ~ text ~ ')',
            "' unit(s) found (ledger F/N) after the original approval.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Reimbursement '", "coalesce(original_reimbursement_id, '?')", "' for FNSKU '", 'fnsku',
            "' was reversed by '", 'reimbursement_id', "' on '", 'cast(approved_date as ' ~ text ~ ')',
            "', but the inventory ledger shows no unit of this FNSKU found after that reimbursement. '",
            "'Please reinstate '", 'cast(unfound_quantity as ' ~ text ~ ')', "' unit(s): '",
            'claim_amount_text', "' '", 'currency_code', "'.'",
        ]) }} as case_text
    from described
)

select * from final
