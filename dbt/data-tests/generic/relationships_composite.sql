{#- Generic data test: fails on the rows whose columns (all non-null) name no row of `to` with the same
    values in `to_columns` (default: the same column names). A composite-key relationships test. -#}
{% test relationships_composite(model, to, columns, to_columns=none) %}
{%- set to_columns = to_columns or columns -%}
select child.*
from {{ model }} as child
where {% for column in columns %}child.{{ column }} is not null and {% endfor %}not exists (
    select 1
    from {{ to }} as parent
    where {% for column in columns -%}
        child.{{ column }} = parent.{{ to_columns[loop.index0] }}{% if not loop.last %} and {% endif %}
    {%- endfor %}
)
{% endtest %}
