{#- The inventory reconciliation balances against Amazon's ledger summary view: for every FNSKU and month the
    summary covers, each movement category the ledger detail records equals the summary's, the summary has
    no Unknown Events, and opening + movements = closing (unexplained_units = 0). Returns the rows that do
    not balance, with the summary's figures beside the mart's. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_inventory_reconciliation'}}}) }}  {#- shown in Dagster as a check of this mart -#}
{%- set movements = ['receipts', 'customer_shipments', 'customer_returns', 'vendor_returns',
                     'warehouse_transfers', 'found', 'lost', 'damaged', 'disposed', 'other_adjustments'] -%}
with

reconciliation as (
    select * from {{ ref('fct_inventory_reconciliation') }}
    where has_ledger_summary
),

summary as (
    select * from {{ ref('int_inventory__ledger_summary_monthly') }}
),

compared as (
    select
        reconciliation.seller_id,
        reconciliation.marketplace_id,
        reconciliation.fnsku,
        reconciliation.month_start_date,
        reconciliation.unexplained_units,
        reconciliation.ledger_summary_difference_units,
        summary.unknown_units as summary_unknown_units,
        {%- for movement in movements %}
        reconciliation.{{ movement }}_units,
        summary.{{ movement }}_units as summary_{{ movement }}_units,
        {%- endfor %}
        reconciliation.opening_balance_units,
        reconciliation.closing_balance_units
    from reconciliation
    inner join summary
        on reconciliation.seller_id = summary.seller_id
        and reconciliation.marketplace_id = summary.marketplace_id
        and reconciliation.fnsku = summary.fnsku
        and reconciliation.month_start_date = summary.month_start_date
),

final as (
    select * from compared
    where unexplained_units <> 0
        or ledger_summary_difference_units <> 0
        or coalesce(summary_unknown_units, 0) <> 0
        {%- for movement in movements %}
        or {{ movement }}_units <> coalesce(summary_{{ movement }}_units, 0)
        {%- endfor %}
)

select * from final
