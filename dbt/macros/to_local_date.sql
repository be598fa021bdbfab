{#- The marketplace-local calendar date of a UTC instant: `ts` is a naive TIMESTAMP holding UTC, `tz` an
    IANA time zone name (an expression, e.g. the marketplaces seed's `timezone`). -#}
{% macro to_local_date(ts, tz) -%}
    {{ return(adapter.dispatch('to_local_date', 'fbaudit')(ts, tz)) }}
{%- endmacro %}

{#- Postgres and DuckDB: read the naive value as UTC, then express it in the zone. -#}
{% macro default__to_local_date(ts, tz) -%}
    cast(({{ ts }} at time zone 'UTC') at time zone {{ tz }} as date)
{%- endmacro %}

{% macro spark__to_local_date(ts, tz) -%}
    to_date(from_utc_timestamp({{ ts }}, {{ tz }}))
{%- endmacro %}
