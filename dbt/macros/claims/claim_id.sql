{#- The stable claim key (CONTRACT.md): 'CLM-' || md5(seller_id|marketplace_id|claim_type|reference_id|fnsku),
    nulls as ''. Column names of the relation in scope. -#}
{% macro claim_id() -%}
    {{ dbt.concat(["'CLM-'", dbt.hash(dbt.concat([
        'seller_id', "'|'", 'marketplace_id', "'|'", 'claim_type', "'|'",
        "coalesce(reference_id, '')", "'|'", "coalesce(fnsku, '')",
    ]))]) }}
{%- endmacro %}
