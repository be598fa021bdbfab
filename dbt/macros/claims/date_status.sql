{#- waiting before eligible_from_date, claimable through deadline_date, expired after it, on the as_of date;
    claimable when no policy sets a window (docs/claims.md). -#}
{% macro date_status(eligible_from_date='eligible_from_date', deadline_date='deadline_date') -%}
    case
        when {{ deadline_date }} is null then 'claimable'
        when {{ as_of_date() }} < {{ eligible_from_date }} then 'waiting'
        when {{ as_of_date() }} <= {{ deadline_date }} then 'claimable'
        else 'expired'
    end
{%- endmacro %}
