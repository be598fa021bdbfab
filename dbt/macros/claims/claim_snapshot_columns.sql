{#- The claim snapshot both claim-queue files carry (actions.jsonl, register.jsonl), typed like the mart's
    columns: text read from JSON becomes DATE, BIGINT and DECIMAL(18,2) here, in one place. -#}
{% macro claim_snapshot_columns() -%}
        seller_id,
        marketplace_id,
        claim_type,
        reference_type,
        reference_id,
        sku,
        fnsku,
        asin,
        cast(occurred_date as date) as occurred_date,
        cast(eligible_from_date as date) as eligible_from_date,
        cast(deadline_date as date) as deadline_date,
        cast(quantity as bigint) as quantity,
        cast(unit_value_amount as decimal(18, 2)) as unit_value_amount,
        cast(claim_amount as decimal(18, 2)) as claim_amount,
        currency_code,
        valuation_basis,
        confidence,
        evidence,
        case_text
{%- endmacro %}
