{#- Per calendar month of the claims' occurred_date, seller, marketplace, claim type and currency: what was
    found, counts and amounts per status on the as_of date (fct_claim_opportunities.status), what Amazon paid
    against those claims (recovered: fct_claim_opportunities.reimbursed_amount, net of reversals), what is
    still owed on claims pursued (filed, partially_reimbursed under a case, denied) and the recovery rate. -#}
{%- set statuses = claim_statuses() -%}
with

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
),

claims_by_month as (
    select
        claims.*,
        cast({{ dbt.date_trunc('month', 'claims.occurred_date') }} as date) as month_start_date,
        case
            when status = 'denied' and claim_amount > reimbursed_amount then claim_amount - reimbursed_amount
            when status in ('filed', 'partially_reimbursed') and case_id is not null then remaining_amount
            else 0
        end as still_owed_amount
    from claims
),

totals as (
    select
        month_start_date,
        seller_id,
        marketplace_id,
        claim_type,
        currency_code,
        count(*) as found_count,
        sum(claim_amount) as found_amount,
        {%- for status in statuses %}
        sum(case when status = '{{ status }}' then 1 else 0 end) as {{ status }}_count,
        sum(case when status = '{{ status }}' then claim_amount else 0 end) as {{ status }}_amount,
        {%- endfor %}
        sum(case when reimbursed_amount > 0 then 1 else 0 end) as recovered_count,
        sum(reimbursed_amount) as recovered_amount,
        sum(remaining_amount) as remaining_amount,
        sum(still_owed_amount) as still_owed_amount
    from claims_by_month
    group by month_start_date, seller_id, marketplace_id, claim_type, currency_code
),

final as (
    select
        month_start_date,
        seller_id,
        marketplace_id,
        claim_type,
        currency_code,
        cast(found_count as bigint) as found_count,
        cast(found_amount as decimal(18, 2)) as found_amount,
        {%- for status in statuses %}
        cast({{ status }}_count as bigint) as {{ status }}_count,
        cast({{ status }}_amount as decimal(18, 2)) as {{ status }}_amount,
        {%- endfor %}
        cast(recovered_count as bigint) as recovered_count,
        cast(recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(remaining_amount as decimal(18, 2)) as remaining_amount,
        cast(still_owed_amount as decimal(18, 2)) as still_owed_amount,
        {{ recovery_rate('recovered_amount', 'still_owed_amount') }} as recovery_rate
    from totals
)

select * from final
