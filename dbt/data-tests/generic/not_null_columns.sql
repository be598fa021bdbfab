{#- Generic data test: fails once per row with a null in any of the columns; null_column names the first.
    One test per model rather than dbt's not_null per column: 461 not_null tests took a third of a build's node
    time at 10^6 ledger rows, nearly all of it dbt's own cost per test, not the query's. -#}
{% test not_null_columns(model, columns) %}
select
    case
    {%- for column in columns %}
        when {{ column }} is null then '{{ column }}'
    {%- endfor %}
    end as null_column,
    *
from {{ model }}
where
    {% for column in columns -%}
    {{ column }} is null{% if not loop.last %} or {% endif %}
    {%- endfor %}
{% endtest %}
