{#- Per claim, how long is left to file on the as_of date (FBAUDIT_AS_OF): the dashboards' queue and
    "at risk this week" read these instead of doing date arithmetic in the page. -#}
with

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
),

days_left as (
    select
        claim_id,
        status,
        {{ as_of_date() }} as as_of_date,
        cast({{ dbt.datediff(as_of_date(), "deadline_date", "day") }} as bigint) as days_left
    from claims
),

final as (
    select
        claim_id,
        as_of_date,
        days_left,
        coalesce(status = 'claimable' and days_left between 0 and 7, false) as is_at_risk_this_week
    from days_left
)

select * from final
