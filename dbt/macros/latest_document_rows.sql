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
-#}
{% macro latest_document_rows(report) -%}
    {%- set spec = fbaudit.lake_coverage().get(report, {}) -%}
    {%- set coverage = spec.get('coverage') -%}
    {%- set column = spec.get('coverage_column') -%}
with

lake_rows as (
    select * from {{ source('lake', report) }}
),

documents as (
    select
        document_id,
        seller_id,
        scope,
        covers_from,
        covers_to,
        created_at
    from {{ source('lake', '_documents') }}
    where report = '{{ report }}'
),

dated_rows as (
    select
        {{ dbt.concat([
            'lake_rows.seller_id', "'/'", 'lake_rows._document_id', "'/'",
            'cast(lake_rows._line_number as ' ~ dbt.type_string() ~ ')',
        ]) }} as source_row_id,
        lake_rows.*,
        documents.created_at as _document_created_at
    from lake_rows
    inner join documents
        on lake_rows._document_id = documents.document_id
        and lake_rows.seller_id = documents.seller_id
),

{% if coverage == 'window' %}
document_days as (
    select distinct
        seller_id,
        _scope,
        _document_id,
        _document_created_at,
        cast({{ column }} as date) as coverage_date
    from dated_rows
),

superseded_days as (
    select distinct
        document_days.seller_id,
        document_days._document_id,
        document_days.coverage_date
    from document_days
    inner join documents as newer
        on newer.seller_id = document_days.seller_id
        and newer.scope = document_days._scope
        and (
            newer.created_at > document_days._document_created_at
            or (
                newer.created_at = document_days._document_created_at
                and newer.document_id > document_days._document_id
            )
        )
        and document_days.coverage_date >= newer.covers_from
        and document_days.coverage_date <= newer.covers_to
),

latest as (
    select dated_rows.*
    from dated_rows
    left join superseded_days
        on dated_rows.seller_id = superseded_days.seller_id
        and dated_rows._document_id = superseded_days._document_id
        and cast(dated_rows.{{ column }} as date) = superseded_days.coverage_date
    where superseded_days._document_id is null
)

{% elif coverage == 'key' %}
ranked as (
    select
        dated_rows.*,
        rank() over (
            partition by seller_id, _scope, {{ column }}
            order by _document_created_at desc, _document_id desc
        ) as _document_rank
    from dated_rows
),

latest as (
    select * from ranked where _document_rank = 1
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

