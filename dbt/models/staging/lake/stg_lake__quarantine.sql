with

quarantine as (
    select * from {{ source('lake', '_quarantine') }}
),

final as (
    select
        {{ dbt.concat(['seller_id', "'/'", 'quarantine_id']) }} as source_row_id,
        quarantine_id,
        seller_id,
        marketplace_id,
        file_name,
        quarantined_path,
        error_path,
        error,
        quarantined_at
    from quarantine
)

select * from final
