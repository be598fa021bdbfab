{#- What share of the money pursued Amazon has paid: recovered / (recovered + still owed on filed or denied
    claims); null when nothing was pursued. One definition for every grain that reports it. -#}
{% macro recovery_rate(recovered_amount, still_owed_amount) -%}
    cast(
        case
            when {{ recovered_amount }} + {{ still_owed_amount }} > 0
                then {{ recovered_amount }} / ({{ recovered_amount }} + {{ still_owed_amount }})
        end as decimal(9, 4)
    )
{%- endmacro %}
