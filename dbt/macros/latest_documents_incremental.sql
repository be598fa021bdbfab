{#-
    The lake staging models are incremental on DuckDB, keyed on landed documents (latest_document_rows).

    The lake is append-only, and a landed document can change only the rows of its own scope:
      window    the days its covers_from..covers_to covers, for its seller and scope, and its own rows
      key       the coverage keys its rows hold, for its seller and scope
      snapshot  its seller and scope
    So a build over an existing table reads the lake only in the scope of the documents landed since the
    newest document the table holds rows of (per seller, by landed_at: the landing order, not Amazon's
    created_at, so a late download of an old report counts as new), works out the latest rows there from
    every document as a full build would, and the strategy `latest_documents` swaps that scope's rows: it deletes
    every row of the scope from the table and inserts the new ones. Both statements read the table before either
    changes it, so they see the same scope. A document whose rows are all superseded is not held, so its scope is
    read again by later builds: more work, the same rows.

    Spark builds these models as tables (parquet tables cannot delete rows).
-#}

{#- The report's documents, and on an incremental build the ones that are new to the table (CTEs, each
    followed by a comma). -#}
{% macro lake_documents(report) -%}
    {%- set spec = fbaudit.lake_coverage().get(report, {}) -%}
documents as (
    select
        document_id,
        seller_id,
        scope,
        covers_from,
        covers_to,
        created_at
        {%- if is_incremental() %},
        landed_at
        {%- endif %}
    from {{ source('lake', '_documents') }}
    where report = '{{ report }}'
),
{%- if is_incremental() %}

held_documents as (
    select distinct
        seller_id,
        _document_id
    from {{ this }}
),

seller_watermarks as (
    select
        documents.seller_id,
        max(documents.landed_at) as landed_at
    from documents
    inner join held_documents
        on documents.document_id = held_documents._document_id
        and documents.seller_id = held_documents.seller_id
    group by documents.seller_id
),

new_documents as (
    select documents.*
    from documents
    left join seller_watermarks
        on documents.seller_id = seller_watermarks.seller_id
    where seller_watermarks.landed_at is null
        or documents.landed_at > seller_watermarks.landed_at
),
{%- if spec.get('coverage') == 'key' %}

changed_keys as (
    select distinct
        lake_rows.seller_id,
        lake_rows._scope,
        {{ fbaudit.lake_coverage_key(report, 'lake_rows') }} as coverage_key
    from {{ source('lake', report) }} as lake_rows
    inner join new_documents
        on lake_rows._document_id = new_documents.document_id
        and lake_rows.seller_id = new_documents.seller_id
),
{%- endif %}
{%- endif %}
{%- endmacro %}


{#- seller/document/line: unique across the lake -#}
{% macro lake_source_row_id(alias) -%}
    {{ dbt.concat([
        alias ~ '.seller_id', "'/'", alias ~ '._document_id', "'/'",
        'cast(' ~ alias ~ '._line_number as ' ~ dbt.type_string() ~ ')',
    ]) }}
{%- endmacro %}


{#- the value a `key` report's documents supersede each other by; a missing key is a key of its own -#}
{% macro lake_coverage_key(report, alias) -%}
    {%- set column = fbaudit.lake_coverage()[report]['coverage_column'] -%}
    coalesce(cast({{ alias }}.{{ column }} as {{ dbt.type_string() }}), '')
{%- endmacro %}


{#- whether the lake row `alias` is in the scope of a new document (needs lake_documents' CTEs) -#}
{% macro in_changed_scope(report, alias) -%}
    {%- set spec = fbaudit.lake_coverage()[report] -%}
    {%- if spec['coverage'] == 'window' -%}
    (
        exists (
            select 1
            from new_documents
            where new_documents.seller_id = {{ alias }}.seller_id
                and new_documents.scope = {{ alias }}._scope
                and cast({{ alias }}.{{ spec['coverage_column'] }} as date)
                    between new_documents.covers_from and new_documents.covers_to
        )
        or exists (
            select 1
            from new_documents
            where new_documents.document_id = {{ alias }}._document_id
                and new_documents.seller_id = {{ alias }}.seller_id
        )
    )
    {%- elif spec['coverage'] == 'key' -%}
    exists (
        select 1
        from changed_keys
        where changed_keys.seller_id = {{ alias }}.seller_id
            and changed_keys._scope = {{ alias }}._scope
            and changed_keys.coverage_key = {{ fbaudit.lake_coverage_key(report, alias) }}
    )
    {%- else -%}
    exists (
        select 1
        from new_documents
        where new_documents.seller_id = {{ alias }}.seller_id
            and new_documents.scope = {{ alias }}._scope
    )
    {%- endif -%}
{%- endmacro %}


{#- The incremental strategy `latest_documents`: replace the rows of the new documents' scope. -#}
{% macro get_incremental_latest_documents_sql(arg_dict) -%}
    {%- set report = config.get('meta')['lake_report'] -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target_relation }}
    where source_row_id in (
        with

        {{ fbaudit.lake_documents(report) }}

        changed_rows as (
            select {{ fbaudit.lake_source_row_id('lake_rows') }} as source_row_id
            from {{ source('lake', report) }} as lake_rows
            where {{ fbaudit.in_changed_scope(report, 'lake_rows') }}
        )

        select source_row_id from changed_rows
    );

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
