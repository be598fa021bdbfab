{#- A quarantined file is resolved once a document of the same seller and file name was landed from a file drop
    after it was quarantined, in the same marketplace (or in any, when the quarantined file sat in an inbox
    folder that was not a marketplace code): the usual fix is to correct the file and drop it again. -#}
with

quarantine as (
    select * from {{ ref('stg_lake__quarantine') }}
),

documents as (
    select * from {{ ref('stg_lake__documents') }}
),

later_landings as (
    select
        quarantine.source_row_id,
        documents.document_id,
        documents.landed_at,
        row_number() over (
            partition by quarantine.source_row_id
            order by documents.landed_at, documents.document_id
        ) as landing_number
    from quarantine
    inner join documents
        on documents.seller_id = quarantine.seller_id
        and documents.source_name = quarantine.file_name
        and documents.load_source = 'file'
        and (documents.marketplace_id = quarantine.marketplace_id or quarantine.marketplace_id = '')
        and documents.landed_at > quarantine.quarantined_at
),

final as (
    select
        quarantine.source_row_id as quarantined_file_id,
        quarantine.quarantine_id,
        quarantine.seller_id,
        quarantine.marketplace_id,
        quarantine.file_name,
        quarantine.error,
        quarantine.quarantined_at,
        quarantine.quarantined_path,
        quarantine.error_path,
        later_landings.document_id is not null as is_resolved,
        later_landings.document_id as resolved_by_document_id,
        later_landings.landed_at as resolved_at
    from quarantine
    left join later_landings
        on quarantine.source_row_id = later_landings.source_row_id
        and later_landings.landing_number = 1
)

select * from final
