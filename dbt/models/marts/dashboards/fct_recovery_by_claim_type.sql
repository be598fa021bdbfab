{#- The recovery page's table: per claim type and currency, over every month, seller and marketplace, what
    was found, recovered, is still owed on pursued claims and expired, and the recovery rate (a ratio, so it is
    computed here from the sums, never averaged from the monthly rates). -#}
with

recovery_monthly as (
    select * from {{ ref('fct_recovery_monthly') }}
),

totals as (
    select
        claim_type,
        currency_code,
        sum(found_count) as found_count,
        sum(found_amount) as found_amount,
        sum(recovered_amount) as recovered_amount,
        sum(still_owed_amount) as still_owed_amount,
        sum(expired_amount) as expired_amount
    from recovery_monthly
    group by claim_type, currency_code
),

final as (
    select
        claim_type,
        currency_code,
        cast(found_count as bigint) as found_count,
        cast(found_amount as decimal(18, 2)) as found_amount,
        cast(recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(still_owed_amount as decimal(18, 2)) as still_owed_amount,
        cast(expired_amount as decimal(18, 2)) as expired_amount,
        {{ recovery_rate('recovered_amount', 'still_owed_amount') }} as recovery_rate
    from totals
)

select * from final
