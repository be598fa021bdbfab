{#- One row per action recorded in actions.jsonl; a torn last line (read as all nulls) is dropped. -#}
with

actions as (
    select * from {{ source('claims', 'actions') }}
),

final as (
    select
        action_id,
        cast(recorded_at as timestamp) as recorded_at,
        action,
        claim_id,
        case_id,
        reason,
        note,
        {{ claim_snapshot_columns() }}
    from actions
    where action_id is not null
)

select * from final
