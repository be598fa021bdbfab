{#- Amazon's Inventory Ledger summary view (daily, per fnsku, country and disposition) rolled up per
    (seller, marketplace, fnsku, month of summary_date), all dispositions together: the opening balance of
    each disposition's first day in the month, the closing balance of its last day, and the movements
    summed. -#}
{%- set movements = [
    ('receipts', 'receipts'),
    ('customer_shipments', 'customer_shipments'),
    ('customer_returns', 'customer_returns'),
    ('vendor_returns', 'vendor_returns'),
    ('warehouse_transfer_in_out', 'warehouse_transfers'),
    ('found', 'found'),
    ('lost', 'lost'),
    ('damaged', 'damaged'),
    ('disposed', 'disposed'),
    ('other_events', 'other_adjustments'),
    ('unknown_events', 'unknown'),
] -%}
{#- Built after int_products__identities, never beside it: at 10^7 ledger rows each takes most of DuckDB's
    memory limit, and the two side by side both ran out of memory (make bench, the daily run). -#}
-- depends_on: {{ ref('int_products__identities') }}
with

summary as (
    select * from {{ ref('stg_lake__ledger_summary') }}
),

dated as (
    select
        summary.*,
        cast({{ dbt.date_trunc('month', 'summary_date') }} as date) as month_start_date
    from summary
),

ranked as (
    select
        dated.*,
        row_number() over (
            partition by seller_id, marketplace_id, fnsku, disposition, month_start_date
            order by summary_date
        ) as rank_first,
        row_number() over (
            partition by seller_id, marketplace_id, fnsku, disposition, month_start_date
            order by summary_date desc
        ) as rank_last
    from dated
),

final as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        month_start_date,
        min(summary_date) as first_summary_date,
        max(summary_date) as last_summary_date,
        count(distinct summary_date) as summary_day_count,
        sum(case when rank_first = 1 then coalesce(starting_warehouse_balance, 0) else 0 end)
            as opening_balance_units,
        {%- for summary_column, movement in movements %}
        sum(coalesce({{ summary_column }}, 0)) as {{ movement }}_units,
        {%- endfor %}
        sum(case when rank_last = 1 then coalesce(ending_warehouse_balance, 0) else 0 end)
            as closing_balance_units
    from ranked
    group by seller_id, marketplace_id, fnsku, month_start_date
)

select * from final
