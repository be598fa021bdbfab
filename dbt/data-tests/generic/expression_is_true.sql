{#- Generic data test: fails on the rows where the boolean SQL expression is not true (null counts as a
    failure unless the expression handles it). Used for money and unit identities between columns. -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
