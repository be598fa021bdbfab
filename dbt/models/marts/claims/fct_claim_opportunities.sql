{#- One rule model per line; each returns exactly the rule model columns of docs/claims.md. -#}
{%- set rule_models = [
    'int_claims__inbound_shortage',
    'int_claims__inbound_damaged',
    'int_claims__warehouse_lost',
    'int_claims__warehouse_damaged',
    'int_claims__disposed_without_order',
    'int_claims__refund_not_returned',
    'int_claims__replacement_not_returned',
    'int_claims__return_not_restocked',
    'int_claims__return_amazon_damaged',
    'int_claims__reimbursement_short',
    'int_claims__reimbursement_reversal',
    'int_claims__removal_lost',
    'int_claims__fulfillment_fee_overcharge',
    'int_claims__storage_fee_overcharge',
    'int_claims__referral_fee_overcharge',
    'int_claims__refund_fee_error',
] -%}

with

{% for rule_model in rule_models %}
{{ rule_model }} as (
    select * from {{ ref(rule_model) }}
),
{% endfor %}

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

policies as (
    select * from {{ ref('claim_policies') }}
),

claims as (
    {% for rule_model in rule_models %}
    select * from {{ rule_model }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

claims_with_scope as (
    select
        claims.*,
        marketplaces.code as marketplace_code,
        marketplaces.region
    from claims
    left join marketplaces
        on claims.marketplace_id = marketplaces.marketplace_id
),

{#- the policy in force on occurred_date: a marketplace code row wins over its region's row -#}
claims_with_policy as (
    select
        claims_with_scope.*,
        coalesce(marketplace_policies.waiting_days, region_policies.waiting_days) as waiting_days,
        coalesce(marketplace_policies.window_days, region_policies.window_days) as window_days
    from claims_with_scope
    left join policies as marketplace_policies
        on claims_with_scope.claim_type = marketplace_policies.claim_type
        and claims_with_scope.marketplace_code = marketplace_policies.policy_scope
        and (
            marketplace_policies.effective_from_date is null
            or claims_with_scope.occurred_date >= marketplace_policies.effective_from_date
        )
        and (
            marketplace_policies.effective_to_date is null
            or claims_with_scope.occurred_date < marketplace_policies.effective_to_date
        )
    left join policies as region_policies
        on claims_with_scope.claim_type = region_policies.claim_type
        and claims_with_scope.region = region_policies.policy_scope
        and (
            region_policies.effective_from_date is null
            or claims_with_scope.occurred_date >= region_policies.effective_from_date
        )
        and (
            region_policies.effective_to_date is null
            or claims_with_scope.occurred_date < region_policies.effective_to_date
        )
),

windows as (
    select
        claims_with_policy.*,
        {{ dbt.dateadd('day', 'waiting_days', 'occurred_date') }} as eligible_from_datetime,
        {{ dbt.dateadd('day', 'window_days', 'occurred_date') }} as deadline_datetime
    from claims_with_policy
),

final as (
    select
        {{ dbt.concat(["'CLM-'", dbt.hash(dbt.concat([
            'seller_id', "'|'", 'marketplace_id', "'|'", 'claim_type', "'|'",
            "coalesce(reference_id, '')", "'|'", "coalesce(fnsku, '')",
        ]))]) }} as claim_id,
        seller_id,
        marketplace_id,
        claim_type,
        reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        occurred_date,
        cast(eligible_from_datetime as date) as eligible_from_date,
        cast(deadline_datetime as date) as deadline_date,
        cast(quantity as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(claim_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        confidence,
        case
            when deadline_datetime is null then 'claimable'
            when {{ as_of_date() }} < cast(eligible_from_datetime as date) then 'waiting'
            when {{ as_of_date() }} <= cast(deadline_datetime as date) then 'claimable'
            else 'expired'
        end as status,
        cast(0 as decimal(18, 2)) as reimbursed_amount,
        evidence,
        case_text
    from windows
)

select * from final
