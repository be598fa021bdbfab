{#-
    The lake staging models are incremental on DuckDB, keyed on landed documents (latest_document_rows).

    The lake is append-only, one Parquet file per document and marketplace. A landed document can change only
    the rows of the documents that share its scope:
      window    documents of its seller and scope with rows on a day it covers (from each file's min and max
                of the coverage column, in the Parquet footers: no row is read to find them)
      key       documents of its seller and scope holding one of its keys (from the key column alone)
      snapshot  documents of its seller and scope
    An incremental build takes as new the documents landed after the newest document the table holds rows of
    (per seller, by landed_at: the landing order, not Amazon's created_at, so a late download of an old report
    counts as new). It reads the files of the new documents and of the documents they can change, works out
    their latest rows as a full build would (who owns a day, key or snapshot is decided over every document),
    and the strategy `latest_documents` swaps them in: it deletes those documents' rows from the table and
    inserts the new ones. A document whose rows are all superseded is not held, so later builds read it, and
    the documents sharing its scope, again: more work, the same rows.

    Spark builds these models as tables (its parquet tables cannot delete rows).
-#}

{#- The documents an incremental build of `report` works out again, and their lake files (a run_query result:
    seller_id, document_id, file_name; file_name is null for a document without rows). -#}
{% macro changed_documents(report) -%}
    {%- set spec = fbaudit.lake_coverage()[report] -%}
    {%- set coverage, column = spec['coverage'], spec['coverage_column'] -%}
    {%- set lake = graph.sources['source.fbaudit.lake.' ~ report]['meta']['location'] -%}
    {%- set query -%}
with

{{ fbaudit.report_documents(report) }}

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

{#- every row file (not the report's _empty.parquet), with its seller and document from its path -#}
files as (
    select
        file_name,
        regexp_extract(file_name, '/seller_id=([^/]+)/', 1) as seller_id,
        regexp_extract(file_name, '([^/]+)[.]parquet$', 1) as document_id
        {%- if coverage == 'window' %},
        cast(cast(min(stats_min_value) as timestamp) as date) as first_day,
        cast(cast(max(stats_max_value) as timestamp) as date) as last_day
    {# `**`, not seller_id=*/*/*: a pattern that matches no file is an error, and a report may have no rows yet
       (its documents all empty); `**` matches the report's _empty.parquet, which has no row group to list #}
    from parquet_metadata('{{ lake }}/**/*.parquet')
    where path_in_schema = '{{ column }}'
    group by file_name
        {%- else %}
    from (select file as file_name from glob('{{ lake }}/seller_id=*/*/*.parquet'))
        {%- endif %}
),

changed as (
    select
        seller_id,
        document_id
    from new_documents

    union

    {% if coverage == 'window' -%}
    select
        documents.seller_id,
        documents.document_id
    from files
    inner join documents
        on files.document_id = documents.document_id
        and files.seller_id = documents.seller_id
    inner join new_documents
        on documents.seller_id = new_documents.seller_id
        and documents.scope = new_documents.scope
        and files.first_day <= new_documents.covers_to
        and files.last_day >= new_documents.covers_from
    {%- elif coverage == 'key' -%}
    select
        lake_rows.seller_id,
        lake_rows._document_id as document_id
    from {{ source('lake', report) }} as lake_rows
    inner join (
        select distinct
            new_rows.seller_id,
            new_rows._scope,
            {{ fbaudit.lake_coverage_key(report, 'new_rows') }} as coverage_key
        from {{ source('lake', report) }} as new_rows
        inner join new_documents
            on new_rows._document_id = new_documents.document_id
            and new_rows.seller_id = new_documents.seller_id
    ) as changed_keys
        on lake_rows.seller_id = changed_keys.seller_id
        and lake_rows._scope = changed_keys._scope
        and {{ fbaudit.lake_coverage_key(report, 'lake_rows') }} = changed_keys.coverage_key
    {%- else -%}
    select
        documents.seller_id,
        documents.document_id
    from documents
    inner join new_documents
        on documents.seller_id = new_documents.seller_id
        and documents.scope = new_documents.scope
    {%- endif %}
)

select
    changed.seller_id,
    changed.document_id,
    files.file_name
from changed
left join files
    on changed.document_id = files.document_id
    and changed.seller_id = files.seller_id
order by files.file_name
    {%- endset -%}
    {{ return(run_query(query)) }}
{%- endmacro %}


{#- The CTE `documents`: the report's documents (landed_at only on an incremental build, which needs it). -#}
{% macro report_documents(report) -%}
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
    from {{ ref('stg_lake__documents') }}
    where report = '{{ report }}'
),
{%- endmacro %}


{#- The lake rows a build of `report` reads: all of them, or on an incremental build only the files of the
    documents it works out again (changed_documents). -#}
{% macro lake_rows_to_build(report) -%}
    {%- set lake = source('lake', report) -%}
    {%- if execute and is_incremental() -%}
        {%- set files = fbaudit.changed_documents(report).columns['file_name'].values() | reject('none') | list -%}
        {%- set empty = graph.sources['source.fbaudit.lake.' ~ report]['meta']['location'] ~ '/_empty.parquet' -%}
        read_parquet([
            {%- for file in files %}'{{ file }}', {% endfor -%}
            '{{ empty }}'], hive_partitioning = false, union_by_name = true)
    {%- else -%}
        {{ lake }}
    {%- endif -%}
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


{#- The incremental strategy `latest_documents`: replace the rows of the documents worked out again. -#}
{% macro get_incremental_latest_documents_sql(arg_dict) -%}
    {%- set report = config.get('meta')['lake_report'] -%}
    {%- set changed = fbaudit.changed_documents(report) -%}
    {%- set keys = [] -%}
    {%- for row in changed.rows -%}
        {%- do keys.append(row['seller_id'] ~ '/' ~ row['document_id']) -%}
    {%- endfor -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- if keys %}
    delete from {{ target_relation }}
    where {{ dbt.concat(['seller_id', "'/'", '_document_id']) }} in (
        {%- for key in keys | unique %}'{{ key }}'{{ ', ' if not loop.last }}{% endfor -%}
    );
    {%- endif %}

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
