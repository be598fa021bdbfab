{#-
    Value units lost or damaged before a customer order (amazon.md §1.0, 2025-03-10: manufacturing cost).

    Renders a select over the CTE `relation` (which has seller_id, marketplace_id, sku and `date_column`)
    adding `unit_value_amount` and `valuation_basis` from int_product_costs__effective: the seller's cost in
    force on that date (`manufacturing_cost`), else the fee-preview estimate (`estimate`), else null.
    Use it as a whole CTE body:  valued as ( {{ value_before_order('losses', 'occurred_date') }} ),
-#}
{% macro value_before_order(relation, date_column) -%}
    select
        {{ relation }}.*,
        product_costs.unit_cost_amount as unit_value_amount,
        product_costs.valuation_basis
    from {{ relation }}
    left join {{ ref('int_product_costs__effective') }} as product_costs
        on {{ relation }}.seller_id = product_costs.seller_id
        and {{ relation }}.marketplace_id = product_costs.marketplace_id
        and {{ relation }}.sku = product_costs.sku
        and (
            product_costs.effective_from_date is null
            or {{ relation }}.{{ date_column }} >= product_costs.effective_from_date
        )
        and (
            product_costs.effective_to_date is null
            or {{ relation }}.{{ date_column }} < product_costs.effective_to_date
        )
{%- endmacro %}
