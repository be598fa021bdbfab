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
with

summary as (
    select * from {{ ref('stg_lake__ledger_summary') }}
),

dated as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        disposition,
        summary_date,
        cast({{ dbt.date_trunc('month', 'summary_date') }} as date) as month_start_date,
        starting_warehouse_balance,
        ending_warehouse_balance,
        {%- for summary_column, movement in movements %}
        {{ summary_column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from summary
),

{#- min_by / max_by: the value on the row of the earliest / latest day (DuckDB and Spark both have them); an
    aggregate, where ranking each disposition's days with a window sorted every ledger summary row twice. #}
per_disposition as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        disposition,
        month_start_date,
        min_by(coalesce(starting_warehouse_balance, 0), summary_date) as opening_balance_units,
        {%- for summary_column, movement in movements %}
        sum(coalesce({{ summary_column }}, 0)) as {{ movement }}_units,
        {%- endfor %}
        max_by(coalesce(ending_warehouse_balance, 0), summary_date) as closing_balance_units
    from dated
    group by seller_id, marketplace_id, fnsku, disposition, month_start_date
),

days as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        month_start_date,
        min(summary_date) as first_summary_date,
        max(summary_date) as last_summary_date,
        count(distinct summary_date) as summary_day_count
    from dated
    group by seller_id, marketplace_id, fnsku, month_start_date
),

final as (
    select
        days.seller_id,
        days.marketplace_id,
        days.fnsku,
        days.month_start_date,
        days.first_summary_date,
        days.last_summary_date,
        days.summary_day_count,
        sum(per_disposition.opening_balance_units) as opening_balance_units,
        {%- for summary_column, movement in movements %}
        sum(per_disposition.{{ movement }}_units) as {{ movement }}_units,
        {%- endfor %}
        sum(per_disposition.closing_balance_units) as closing_balance_units
    from days
    {#- a left join: a month of rows with no fnsku (or no day) stays, and fails this model's not_null test #}
    left join per_disposition
        on days.seller_id = per_disposition.seller_id
        and days.marketplace_id = per_disposition.marketplace_id
        and days.fnsku = per_disposition.fnsku
        and days.month_start_date = per_disposition.month_start_date
    group by
        days.seller_id, days.marketplace_id, days.fnsku, days.month_start_date, days.first_summary_date,
        days.last_summary_date, days.summary_day_count
)

select * from final
