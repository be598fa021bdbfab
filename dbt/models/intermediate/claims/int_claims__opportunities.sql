{#- The claims the rules detect now: the union of the rule models (one per line; each returns exactly the rule
    model columns of docs/claims.md) with the stable claim_id and the filing window of the policy in force on
    occurred_date. fct_claim_opportunities adds what is remembered (register, actions) and paid. -#}
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

claims as (
    {% for rule_model in rule_models %}
    select * from {{ rule_model }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

windows as (
    {{ filing_window('claims') }}
),

final as (
    select
        {{ claim_id() }} as claim_id,
        seller_id,
        marketplace_id,
        claim_type,
        reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        occurred_date,
        eligible_from_date,
        deadline_date,
        cast(quantity as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(claim_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        confidence,
        evidence,
        case_text
    from windows
)

select * from final
