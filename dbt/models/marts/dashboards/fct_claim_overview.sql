{#- The overview's headline per seller, marketplace and currency: money found, claimable now, at risk this
    week, recovered and expired, and what a recovery service charging 25 % of recoveries would have taken. -#}
{%- set recovery_service_fee_rate = 0.25 -%}

with

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
),

deadlines as (
    select * from {{ ref('fct_claim_deadlines') }}
),

recovery_monthly as (
    select * from {{ ref('fct_recovery_monthly') }}
),

claims_with_deadlines as (
    select
        claims.*,
        deadlines.is_at_risk_this_week
    from claims
    inner join deadlines
        on claims.claim_id = deadlines.claim_id
),

totals as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        count(*) as claims_found,
        {#- a follow-up (reimbursement_short on a case paid short) is the remainder of a claim already counted -#}
        sum(case when reference_type = 'case_id' then 0 else claim_amount end) as found_amount,
        sum(case when status = 'claimable' then claim_amount else 0 end) as claimable_amount,
        sum(case when is_at_risk_this_week then claim_amount else 0 end) as at_risk_this_week_amount,
        sum(case when is_at_risk_this_week then 1 else 0 end) as claims_at_risk_this_week,
        sum(case when status = 'expired' then claim_amount else 0 end) as expired_amount
    from claims_with_deadlines
    group by seller_id, marketplace_id, currency_code
),

{#- recovered is defined once, in fct_recovery_monthly (reimbursements settling the claims, net of reversals) -#}
recovered as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        sum(recovered_amount) as recovered_amount
    from recovery_monthly
    group by seller_id, marketplace_id, currency_code
),

totals_recovered as (
    select
        totals.*,
        coalesce(recovered.recovered_amount, 0) as recovered_amount
    from totals
    left join recovered
        on totals.seller_id = recovered.seller_id
        and totals.marketplace_id = recovered.marketplace_id
        and totals.currency_code = recovered.currency_code
),

final as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        cast(claims_found as bigint) as claims_found,
        cast(found_amount as decimal(18, 2)) as found_amount,
        cast(claimable_amount as decimal(18, 2)) as claimable_amount,
        cast(claims_at_risk_this_week as bigint) as claims_at_risk_this_week,
        cast(at_risk_this_week_amount as decimal(18, 2)) as at_risk_this_week_amount,
        cast(recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(expired_amount as decimal(18, 2)) as expired_amount,
        cast(recovered_amount * {{ recovery_service_fee_rate }} as decimal(18, 2)) as recovery_service_fee_amount
    from totals_recovered
)

select * from final
