{#- The non-null values of `measure` in a group, in ascending order of the values, joined by `delimiter` (a SQL
    string literal); null when there are none. dbt.listagg cannot order on Spark. -#}
{% macro sorted_listagg(measure, delimiter) -%}
    {{ return(adapter.dispatch('sorted_listagg', 'fbaudit')(measure, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_listagg(measure, delimiter) -%}
    {{ dbt.listagg(measure, delimiter, 'order by ' ~ measure) }}
{%- endmacro %}

{% macro spark__sorted_listagg(measure, delimiter) -%}
    case when count({{ measure }}) > 0 then array_join(array_sort(collect_list({{ measure }})), {{ delimiter }}) end
{%- endmacro %}
