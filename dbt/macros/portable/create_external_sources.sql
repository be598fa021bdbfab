{#- The sources are files (the Parquet lake, the claim queue's JSON Lines). dbt-duckdb reads each at query time
    through meta.external_location; other engines get, before the run (on-run-start), a table over each
    source's files: meta.location (a folder, read recursively, or a file) in meta.format, with the columns and
    types the source declares (a report with no document yet still has its columns). -#}
{% macro create_external_sources() -%}
    {{ return(adapter.dispatch('create_external_sources', 'fbaudit')()) }}
{%- endmacro %}

{% macro default__create_external_sources() -%}
{%- endmacro %}

{% macro spark__create_external_sources() -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.meta.get('location') -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append('`' ~ column.name ~ '` ' ~ fbaudit.spark_type(column.data_type)) -%}
            {%- endfor -%}
            {%- do run_query('create database if not exists ' ~ node.schema) -%}
            {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.identifier) -%}
            {%- do run_query(
                'create table ' ~ node.schema ~ '.' ~ node.identifier ~ ' (' ~ columns | join(', ') ~ ')'
                ~ ' using ' ~ node.meta['format']
                ~ " options (path '" ~ node.meta['location'] ~ "', recursiveFileLookup 'true')"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A source column's declared (DuckDB) type as Spark SQL spells it. -#}
{% macro spark_type(data_type) -%}
    {{- 'string' if data_type | upper == 'VARCHAR' else data_type -}}
{%- endmacro %}
