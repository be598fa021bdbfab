{#- The one home of payment matching: which claim (int_claims__known) each reimbursement line settles.
      - case_id: a line whose case_id is a case filed for a claim (actions.jsonl) settles that claim, whatever
        its reason (same seller and marketplace);
      - otherwise, for lines without a case id (Amazon's own reimbursements; a line answering a case fbaudit
        does not know settles nothing), the rule (same seller, marketplace and fnsku, not a reversal, approved
        once the claim's filing window is open: eligible_from_date, else occurred_date):
          order_id: order-based claims, the line carries the claim's order id (reference_id);
          warehouse: warehouse_lost / warehouse_damaged, a lost / damaged line with no order id approved by the
          claim's deadline_date;
        and approved after the claim was first seen (first_seen_on): a rule nets what Amazon pays, so what was
        paid until then is already out of the amount the claim was first seen with (a claim first seen by
        this build has no rule-matched payment yet).
    A line with several candidates settles one claim: its case first, the claim of the same fnsku, then the
    oldest (occurred_date, claim_id). A reversal settles, negatively, the claim its original settled. -#}
{%- set order_claim_types = ['refund_not_returned', 'replacement_not_returned', 'return_not_restocked',
                             'return_amazon_damaged'] -%}
with

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

claims as (
    select * from {{ ref('int_claims__known') }}
),

actions as (
    select * from {{ ref('stg_claims__actions') }}
),

filed_cases as (
    select distinct
        claim_id,
        case_id
    from actions
    where action = 'filed'
),

case_candidates as (
    select
        reimbursements.source_row_id,
        claims.claim_id,
        claims.claim_type,
        claims.fnsku,
        claims.occurred_date,
        'case_id' as matched_by
    from reimbursements
    inner join filed_cases
        on reimbursements.case_id = filed_cases.case_id
    inner join claims
        on filed_cases.claim_id = claims.claim_id
        and reimbursements.seller_id = claims.seller_id
        and reimbursements.marketplace_id = claims.marketplace_id
    where not reimbursements.is_reversal
),

rule_candidates as (
    select
        reimbursements.source_row_id,
        claims.claim_id,
        claims.claim_type,
        claims.fnsku,
        claims.occurred_date,
        case when reimbursements.amazon_order_id is null then 'warehouse' else 'order_id' end as matched_by
    from reimbursements
    inner join claims
        on reimbursements.seller_id = claims.seller_id
        and reimbursements.marketplace_id = claims.marketplace_id
        and reimbursements.fnsku = claims.fnsku
        and reimbursements.approved_date >= coalesce(claims.eligible_from_date, claims.occurred_date)
        and reimbursements.approved_date > claims.first_seen_on
    where not reimbursements.is_reversal
        and reimbursements.case_id is null
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

candidates as (
    select * from case_candidates
    union all
    select * from rule_candidates
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.source_row_id
            order by
                case when candidates.matched_by = 'case_id' then 0 else 1 end,
                case when candidates.fnsku = reimbursements.fnsku then 0 else 1 end,
                candidates.occurred_date,
                candidates.claim_id
        ) as rank_best
    from candidates
    inner join reimbursements
        on candidates.source_row_id = reimbursements.source_row_id
),

settled as (
    select
        source_row_id,
        claim_id,
        claim_type,
        matched_by
    from ranked
    where rank_best = 1
),

reversals_settled as (
    select
        reversals.source_row_id,
        min(settled.claim_id) as claim_id,
        min(settled.claim_type) as claim_type,
        'reversal' as matched_by
    from reimbursements as reversals
    inner join reimbursements as originals
        on reversals.seller_id = originals.seller_id
        and reversals.marketplace_id = originals.marketplace_id
        and reversals.original_reimbursement_id = originals.reimbursement_id
        and reversals.fnsku = originals.fnsku
        and not originals.is_reversal
    inner join settled
        on originals.source_row_id = settled.source_row_id
    where reversals.is_reversal
    group by reversals.source_row_id
),

settlements as (
    select * from settled
    union all
    select * from reversals_settled
),

final as (
    select
        settlements.source_row_id,
        settlements.claim_id,
        settlements.claim_type,
        settlements.matched_by,
        reimbursements.reimbursement_id,
        reimbursements.approved_date,
        reimbursements.reimbursed_value_amount
    from settlements
    inner join reimbursements
        on settlements.source_row_id = reimbursements.source_row_id
)

select * from final
