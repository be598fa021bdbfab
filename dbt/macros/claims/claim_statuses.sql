{#- The status vocabulary of fct_claim_opportunities, in CONTRACT order plus dismissed. -#}
{% macro claim_statuses() -%}
    {{ return(['waiting', 'claimable', 'filed', 'partially_reimbursed', 'reimbursed', 'denied', 'dismissed',
               'expired', 'resolved_by_amazon']) }}
{%- endmacro %}

{#- The sum of fct_recovery_monthly's per-status columns ('count' or 'amount'): its data tests check the
    statuses add up to what was found. -#}
{% macro statuses_sum(measure) -%}
    {%- for status in claim_statuses() %}{{ status }}_{{ measure }}{% if not loop.last %} + {% endif %}{% endfor -%}
{%- endmacro %}
