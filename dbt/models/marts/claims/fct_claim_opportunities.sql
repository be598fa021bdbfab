{#- One row per thing Amazon may owe (CONTRACT.md): every claim fbaudit knows (int_claims__known: detected
    now, registered, or actioned) with what Amazon paid against it (int_reimbursements__claim_settlements) and
    its status, plus a reimbursement_short follow-up per case paid short. Statuses (docs/claims.md):
      - the latest decisive action denied / dismissed decides;
      - filed (a filed action, not undone): nothing paid -> filed, paid in full -> reimbursed, else
        partially_reimbursed (and the follow-up);
      - not filed: paid in full, or no longer detected -> resolved_by_amazon; paid in part ->
        partially_reimbursed; else waiting / claimable / expired by the filing window on the as_of date.
    A follow-up (claim_type reimbursement_short, reference case_id) is derived on every build while its case is
    paid short; once registered or actioned it is a known claim like any other. -#}
{%- set closed_statuses = ['reimbursed', 'resolved_by_amazon', 'denied', 'dismissed'] -%}
with

known as (
    select * from {{ ref('int_claims__known') }}
),

settlements as (
    select * from {{ ref('int_reimbursements__claim_settlements') }}
),

paid_by_claim as (
    select
        claim_id,
        sum(reimbursed_value_amount) as paid_amount,
        max(approved_date) as last_paid_date
    from settlements
    group by claim_id
),

claims_paid as (
    select
        known.*,
        coalesce(paid_by_claim.paid_amount, 0) as paid_amount,
        paid_by_claim.last_paid_date,
        coalesce(known.decision in ('filed', 'reopened') and known.case_id is not null, false) as is_filed
    from known
    left join paid_by_claim
        on known.claim_id = paid_by_claim.claim_id
),

short_paid_cases as (
    select
        seller_id,
        marketplace_id,
        'reimbursement_short' as claim_type,
        case_id as reference_id,
        fnsku,
        min(sku) as sku,
        min(asin) as asin,
        max(last_paid_date) as occurred_date,
        sum(claim_amount - paid_amount) as claim_amount,
        min(currency_code) as currency_code,
        min(valuation_basis) as valuation_basis,
        min(confidence) as confidence,
        {#- in claim_id order: each text starts with its claim_id, of one length -#}
        {{ sorted_listagg(
            dbt.concat(["claim_id", "' (' ", "claim_type", "' ' ", "reference_id", "': paid '",
                        dbt.cast("paid_amount", dbt.type_string()), "' of '",
                        dbt.cast("claim_amount", dbt.type_string()), "')'"]),
            "'; '") }} as paid_claims
    from claims_paid
    where is_filed
        and paid_amount > 0
        and paid_amount < claim_amount
    group by seller_id, marketplace_id, case_id, fnsku
),

short_paid_windows as (
    {{ filing_window('short_paid_cases') }}
),

follow_ups as (
    select
        {{ claim_id() }} as claim_id,
        seller_id,
        marketplace_id,
        claim_type,
        'case_id' as reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        occurred_date,
        eligible_from_date,
        deadline_date,
        cast(null as bigint) as quantity,
        cast(null as decimal(18, 2)) as unit_value_amount,
        cast(claim_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        confidence,
        {{ dbt.concat(["'Case '", "reference_id", "' paid short, last payment '",
                       dbt.cast("occurred_date", dbt.type_string()), "': '", "paid_claims", "'; '",
                       dbt.cast("claim_amount", dbt.type_string()), "' '", "currency_code", "' remains.'"]) }}
            as evidence,
        {{ dbt.concat(["'Case '", "reference_id", "' was reimbursed below what is owed. Please reimburse the remaining '",
                       dbt.cast("claim_amount", dbt.type_string()), "' '", "currency_code", "' ('",
                       "paid_claims", "').'"]) }} as case_text
    from short_paid_windows
),

{#- a registered or actioned follow-up is current while its case is still paid short -#}
claims_current as (
    select
        claims_paid.*,
        claims_paid.is_detected or claims_paid.claim_id in (select claim_id from follow_ups) as is_current
    from claims_paid
),

claims_with_status as (
    select
        claims_current.*,
        case
            when decision = 'denied' then 'denied'
            when decision = 'dismissed' then 'dismissed'
            when is_filed and paid_amount <= 0 then 'filed'
            when is_filed and paid_amount >= claim_amount then 'reimbursed'
            when is_filed then 'partially_reimbursed'
            when paid_amount > 0 and paid_amount >= claim_amount then 'resolved_by_amazon'
            when not is_current then 'resolved_by_amazon'
            when paid_amount > 0 then 'partially_reimbursed'
            else {{ date_status() }}
        end as status
    from claims_current
),

new_follow_ups as (
    select
        follow_ups.*,
        cast(null as {{ dbt.type_string() }}) as case_id,
        {{ date_status() }} as status,
        cast(0 as decimal(18, 2)) as paid_amount
    from follow_ups
    where follow_ups.claim_id not in (select claim_id from known)
),

all_claims as (
    select
        claim_id, seller_id, marketplace_id, claim_type, reference_type, reference_id, sku, fnsku, asin,
        occurred_date, eligible_from_date, deadline_date, quantity, unit_value_amount, claim_amount,
        currency_code, valuation_basis, confidence, status, paid_amount, case_id, evidence, case_text
    from claims_with_status
    union all
    select
        claim_id, seller_id, marketplace_id, claim_type, reference_type, reference_id, sku, fnsku, asin,
        occurred_date, eligible_from_date, deadline_date, quantity, unit_value_amount, claim_amount,
        currency_code, valuation_basis, confidence, status, paid_amount, case_id, evidence, case_text
    from new_follow_ups
),

final as (
    select
        claim_id,
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
        status,
        cast(paid_amount as decimal(18, 2)) as reimbursed_amount,
        cast(
            case
                when status in ('{{ closed_statuses | join("', '") }}') then 0
                when claim_amount > paid_amount then claim_amount - paid_amount
                else 0
            end as decimal(18, 2)
        ) as remaining_amount,
        case_id,
        evidence,
        case_text
    from all_claims
)

select * from final
