{#- One row per line of the FBA reimbursements report (cash and inventory), reversals beside the original
    they claw back, and the claim each line settles where one matches. The matching rule (docs/analysts.md):
      - order-based claims (refund_not_returned, replacement_not_returned, return_not_restocked,
        return_amazon_damaged): a line carrying the claim's order id (reference_id), same fnsku;
      - warehouse claims (warehouse_lost, warehouse_damaged): a lost (resp. damaged) line with no order id,
        same fnsku, approved no later than the claim's deadline_date;
      - every candidate: same seller and marketplace, not a reversal, approved once the claim's filing
        window is open (eligible_from_date, else occurred_date): what Amazon pays before that is its own
        reconciliation, which the rules already netted from the claim.
    A line with several candidates settles the oldest claim (occurred_date, then claim_id), so one line
    settles at most one claim; a reversal settles (negatively) the claim its original settled. -#}
{%- set order_claim_types = ['refund_not_returned', 'replacement_not_returned', 'return_not_restocked',
                             'return_amazon_damaged'] -%}
with

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
),

candidates as (
    select
        reimbursements.source_row_id,
        claims.claim_id,
        claims.claim_type,
        row_number() over (
            partition by reimbursements.source_row_id
            order by claims.occurred_date, claims.claim_id
        ) as rank_oldest
    from reimbursements
    inner join claims
        on reimbursements.seller_id = claims.seller_id
        and reimbursements.marketplace_id = claims.marketplace_id
        and reimbursements.fnsku = claims.fnsku
        and reimbursements.approved_date >= coalesce(claims.eligible_from_date, claims.occurred_date)
    where not reimbursements.is_reversal
        and (
            (
                claims.claim_type in ('{{ order_claim_types | join("', '") }}')
                and reimbursements.amazon_order_id = claims.reference_id
            )
            or (
                reimbursements.amazon_order_id is null
                and reimbursements.approved_date <= claims.deadline_date
                and (
                    (claims.claim_type = 'warehouse_lost' and reimbursements.claim_category = 'lost')
                    or (claims.claim_type = 'warehouse_damaged' and reimbursements.claim_category = 'damaged')
                )
            )
        )
),

settlements as (
    select
        source_row_id,
        claim_id,
        claim_type
    from candidates
    where rank_oldest = 1
),

originals as (
    select
        reimbursements.seller_id,
        reimbursements.marketplace_id,
        reimbursements.reimbursement_id,
        reimbursements.fnsku,
        min(reimbursements.source_row_id) as source_row_id,
        min(reimbursements.approved_date) as approved_date,
        sum(reimbursements.reimbursed_value_amount) as reimbursed_value_amount,
        min(settlements.claim_id) as claim_id,
        min(settlements.claim_type) as claim_type
    from reimbursements
    left join settlements
        on reimbursements.source_row_id = settlements.source_row_id
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
        coalesce(settlements.claim_id, originals.claim_id) as claim_id,
        coalesce(settlements.claim_type, originals.claim_type) as claim_type
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
