{#- One row per claim in register.jsonl (the first time fbaudit showed it); a torn last line is dropped. -#}
with

register as (
    select * from {{ source('claims', 'register') }}
),

final as (
    select
        claim_id,
        cast(first_seen_on as date) as first_seen_on,
        {{ claim_snapshot_columns() }}
    from register
    where claim_id is not null
)

select * from final
