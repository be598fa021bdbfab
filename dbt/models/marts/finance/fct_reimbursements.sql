{#- One row per line of the FBA reimbursements report (cash and inventory), reversals beside the original
    they claw back, and the claim each line settles where one matches (int_reimbursements__claim_settlements:
    the one home of the matching rule, docs/claims.md). -#}
with

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

settlements as (
    select * from {{ ref('int_reimbursements__claim_settlements') }}
),

originals as (
    select
        reimbursements.seller_id,
        reimbursements.marketplace_id,
        reimbursements.reimbursement_id,
        reimbursements.fnsku,
        min(reimbursements.source_row_id) as source_row_id,
        min(reimbursements.approved_date) as approved_date,
        sum(reimbursements.reimbursed_value_amount) as reimbursed_value_amount
    from reimbursements
    where not reimbursements.is_reversal
    group by
        reimbursements.seller_id,
        reimbursements.marketplace_id,
        reimbursements.reimbursement_id,
        reimbursements.fnsku
),

final as (
    select
        reimbursements.source_row_id,
        reimbursements.seller_id,
        reimbursements.marketplace_id,
        reimbursements.reimbursement_id,
        reimbursements.approved_at,
        reimbursements.approved_date,
        reimbursements.case_id,
        reimbursements.amazon_order_id,
        reimbursements.reason_code,
        reimbursements.claim_category,
        reimbursements.is_reversal,
        reimbursements.original_reimbursement_id,
        reimbursements.original_reimbursement_type,
        originals.source_row_id as original_source_row_id,
        originals.approved_date as original_approved_date,
        cast(originals.reimbursed_value_amount as decimal(18, 2)) as original_reimbursed_value_amount,
        reimbursements.sku,
        reimbursements.fnsku,
        reimbursements.asin,
        reimbursements.currency_code,
        cast(reimbursements.unit_amount as decimal(18, 2)) as unit_amount,
        cast(reimbursements.quantity_reimbursed_cash as bigint) as quantity_reimbursed_cash,
        cast(reimbursements.quantity_reimbursed_inventory as bigint) as quantity_reimbursed_inventory,
        cast(reimbursements.quantity_reimbursed as bigint) as quantity_reimbursed,
        reimbursements.cash_amount,
        reimbursements.inventory_value_amount,
        reimbursements.reimbursed_value_amount,
        settlements.claim_id,
        settlements.claim_type,
        settlements.matched_by
    from reimbursements
    left join settlements
        on reimbursements.source_row_id = settlements.source_row_id
    left join originals
        on reimbursements.is_reversal
        and reimbursements.seller_id = originals.seller_id
        and reimbursements.marketplace_id = originals.marketplace_id
        and reimbursements.original_reimbursement_id = originals.reimbursement_id
        and reimbursements.fnsku = originals.fnsku
)

select * from final
