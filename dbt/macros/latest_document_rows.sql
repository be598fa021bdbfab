{#-
    Latest document wins: the rows of a lake report that no newer document supersedes, as one query.

    Amazon re-issues overlapping windows and edits history, so a row is never de-duplicated against
    another row (two identical ledger rows in one document are both real); a whole document's claim
    on a day, key or snapshot is superseded by a newer document of the same seller and scope.
    "Newer" means a later documents.created_at, then the greater document_id as a tie-break.

    How a report's documents supersede each other is its catalog coverage (ReportSpec.coverage, rendered
    into the macro lake_coverage by ingestion/dbt_sources.py):
      window    a row is kept iff no newer document covers the row's coverage date
                (covers_from..covers_to); a timestamp coverage column counts by its UTC date
      key       for each value of the coverage column, the rows of the newest document holding it win
      snapshot  the newest document per seller and scope wins, rows or none

    Returns every lake column, plus `source_row_id` (seller/document/line, unique) and
    `_document_created_at`.

    Incremental (macros/latest_documents_incremental.sql): the model is incremental on DuckDB, keyed on
    landed documents. A build over an existing table reads only the rows of the newly landed documents and
    of the documents they can change, and the strategy replaces those documents' rows in the table.
-#}
{% macro latest_document_rows(report) -%}
    {{ config(
        materialized='incremental' if target.type == 'duckdb' else 'table',
        incremental_strategy='latest_documents',
        on_schema_change='fail',
        meta={'lake_report': report},
    ) }}
    {%- set spec = fbaudit.lake_coverage().get(report, {}) -%}
    {%- set coverage = spec.get('coverage') -%}
    {%- set column = spec.get('coverage_column') -%}
    {%- set rows = fbaudit.lake_rows_to_build(report) -%}
{#- Documents come from stg_lake__documents (a table): the lake holds one file per document, thousands for an
    agency, and every lake model reading them again took seconds. -#}
{#- The lake is read where it is needed, never through a shared CTE: DuckDB materializes a CTE read twice,
    which at 10^7 ledger rows held every column of ~9 M rows in memory. -#}
with

{{ fbaudit.report_documents(report) }}

dated_rows as (
    select
        {{ fbaudit.lake_source_row_id('lake_rows') }} as source_row_id,
        lake_rows.*,
        documents.created_at as _document_created_at
    from {{ rows }} as lake_rows
    inner join documents
        on lake_rows._document_id = documents.document_id
        and lake_rows.seller_id = documents.seller_id
),

{% if coverage == 'window' %}
{#- Who owns each covered day is decided on the days alone (few), then every row is matched to its
    day's owner with one equality join: no row is compared with other documents' windows. -#}
row_days as (
    select distinct
        seller_id,
        _scope,
        cast({{ column }} as date) as coverage_date
    from {{ rows }} as lake_rows
    where {{ column }} is not null
),

day_owners as (
    select
        row_days.seller_id,
        row_days._scope,
        row_days.coverage_date,
        documents.document_id,
        documents.created_at,
        row_number() over (
            partition by row_days.seller_id, row_days._scope, row_days.coverage_date
            order by documents.created_at desc, documents.document_id desc
        ) as owner_rank
    from row_days
    inner join documents
        on row_days.seller_id = documents.seller_id
        and row_days._scope = documents.scope
        and row_days.coverage_date >= documents.covers_from
        and row_days.coverage_date <= documents.covers_to
),

latest as (
    {#- a row stays unless its day's owner is newer than the row's own document -#}
    select dated_rows.*
    from dated_rows
    left join day_owners
        on dated_rows.seller_id = day_owners.seller_id
        and dated_rows._scope = day_owners._scope
        and cast(dated_rows.{{ column }} as date) = day_owners.coverage_date
        and day_owners.owner_rank = 1
    where day_owners.document_id is null
        or day_owners.created_at < dated_rows._document_created_at
        or (
            day_owners.created_at = dated_rows._document_created_at
            and day_owners.document_id <= dated_rows._document_id
        )
)

{% elif coverage == 'key' %}
{#- Who owns each key is decided on the distinct (document, key) pairs (few), then rows are kept by an
    equality join on their own document and key. A missing key is a key of its own. -#}
document_keys as (
    select distinct
        seller_id,
        _scope,
        _document_id,
        {{ fbaudit.lake_coverage_key(report, 'lake_rows') }} as coverage_key
    from {{ source('lake', report) }} as lake_rows
),

key_owners as (
    select
        document_keys.seller_id,
        document_keys._document_id,
        document_keys.coverage_key,
        rank() over (
            partition by document_keys.seller_id, document_keys._scope, document_keys.coverage_key
            order by documents.created_at desc, documents.document_id desc
        ) as owner_rank
    from document_keys
    inner join documents
        on document_keys._document_id = documents.document_id
        and document_keys.seller_id = documents.seller_id
),

latest as (
    select dated_rows.*
    from dated_rows
    inner join key_owners
        on dated_rows.seller_id = key_owners.seller_id
        and dated_rows._document_id = key_owners._document_id
        and {{ fbaudit.lake_coverage_key(report, 'dated_rows') }} = key_owners.coverage_key
    where key_owners.owner_rank = 1
)

{% elif coverage == 'snapshot' %}
ranked_documents as (
    select
        document_id,
        seller_id,
        rank() over (
            partition by seller_id, scope
            order by created_at desc, document_id desc
        ) as document_rank
    from documents
),

latest as (
    select dated_rows.*
    from dated_rows
    inner join ranked_documents
        on dated_rows._document_id = ranked_documents.document_id
        and dated_rows.seller_id = ranked_documents.seller_id
    where ranked_documents.document_rank = 1
)

{% else %}
    {{ exceptions.raise_compiler_error(
        "lake report " ~ report ~ " has coverage " ~ coverage ~ " in macros/lake_coverage.sql; expected"
        ~ " window, key or snapshot (regenerate it with python -m ingestion.dbt_sources)"
    ) }}
{% endif %}
select * from latest
{%- endmacro %}

