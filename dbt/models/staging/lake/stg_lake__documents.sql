with

documents as (
    select * from {{ source('lake', '_documents') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

final as (
    select
        {{ dbt.concat(['documents.seller_id', "'/'", 'documents.document_id']) }} as source_row_id,
        documents.document_id,
        documents.seller_id,
        documents.marketplace_id,
        documents.report,
        documents.report_type,
        documents.scope,
        documents.covers_from,
        documents.covers_to,
        documents.created_at,
        {{ to_local_date('documents.created_at', 'marketplaces.timezone') }} as created_date,
        documents.landed_at,
        documents.load_source,
        documents.source_name,
        documents.encoding,
        documents.row_count
    from documents
    left join marketplaces
        on documents.marketplace_id = marketplaces.marketplace_id
)

select * from final
