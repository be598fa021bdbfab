{#- Per calendar month of the claims' occurred_date, seller, marketplace, claim type and currency: what was
    found, what is claimable, waiting, filed or expired on the as_of date (fct_claim_opportunities.status),
    and what Amazon has paid against those claims (fct_reimbursements lines settling them, net of
    reversals). filed stays 0 until claim actions set the filed status. -#}
{%- set statuses = ['waiting', 'claimable', 'filed', 'expired'] -%}
with

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
),

reimbursements as (
    select * from {{ ref('fct_reimbursements') }}
),

recovered_by_claim as (
    select
        claim_id,
        sum(reimbursed_value_amount) as recovered_amount
    from reimbursements
    where claim_id is not null
    group by claim_id
),

claims_recovered as (
    select
        claims.*,
        cast({{ dbt.date_trunc('month', 'claims.occurred_date') }} as date) as month_start_date,
        recovered_by_claim.recovered_amount
    from claims
    left join recovered_by_claim
        on claims.claim_id = recovered_by_claim.claim_id
),

final as (
    select
        month_start_date,
        seller_id,
        marketplace_id,
        claim_type,
        currency_code,
        cast(count(*) as bigint) as found_count,
        cast(sum(claim_amount) as decimal(18, 2)) as found_amount,
        {%- for status in statuses %}
        cast(sum(case when status = '{{ status }}' then 1 else 0 end) as bigint) as {{ status }}_count,
        cast(
            sum(case when status = '{{ status }}' then claim_amount else 0 end) as decimal(18, 2)
        ) as {{ status }}_amount,
        {%- endfor %}
        cast(sum(case when recovered_amount is not null then 1 else 0 end) as bigint) as recovered_count,
        cast(coalesce(sum(recovered_amount), 0) as decimal(18, 2)) as recovered_amount
    from claims_recovered
    group by month_start_date, seller_id, marketplace_id, claim_type, currency_code
)

select * from final
