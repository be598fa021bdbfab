{#- The date the pipeline treats as today (dbt var `as_of`, from FBAUDIT_AS_OF), as a SQL date literal.
    Statuses of claims are computed against it, never against the clock of the database. -#}
{% macro as_of_date() -%}
    {%- set as_of = var('as_of', '') | string | trim -%}
    {%- if not as_of -%}
        {%- set as_of = modules.datetime.date.today().isoformat() -%}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of) -%}
        {{ exceptions.raise_compiler_error("dbt var as_of (FBAUDIT_AS_OF) must be a date like 2026-11-28, not '" ~ as_of ~ "'") }}
    {%- endif -%}
    cast('{{ as_of }}' as date)
{%- endmacro %}
