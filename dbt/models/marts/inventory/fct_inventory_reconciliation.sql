{#- Per (seller, marketplace, fnsku, calendar month): balances from Amazon's ledger summary view, movements
    from the ledger detail (event by event), and the units nobody explained:
    unexplained_units = closing - opening - the detail's movements. -#}
{%- set movements = ['receipts', 'customer_shipments', 'customer_returns', 'vendor_returns',
                     'warehouse_transfers', 'found', 'lost', 'damaged', 'disposed', 'other_adjustments'] -%}
with

detail as (
    select * from {{ ref('int_inventory__ledger_monthly_movements') }}
),

summary as (
    select * from {{ ref('int_inventory__ledger_summary_monthly') }}
),

identities as (
    select * from {{ ref('int_products__identities') }}
),

fnsku_skus as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        min(sku) as sku,
        min(asin) as asin
    from identities
    group by seller_id, marketplace_id, fnsku
),

months as (
    select
        coalesce(detail.seller_id, summary.seller_id) as seller_id,
        coalesce(detail.marketplace_id, summary.marketplace_id) as marketplace_id,
        coalesce(detail.fnsku, summary.fnsku) as fnsku,
        coalesce(detail.month_start_date, summary.month_start_date) as month_start_date,
        summary.opening_balance_units,
        {%- for movement in movements %}
        coalesce(detail.{{ movement }}_units, 0) as {{ movement }}_units,
        {%- endfor %}
        {% for movement in movements -%}
        coalesce(detail.{{ movement }}_units, 0){% if not loop.last %} + {% endif %}
        {%- endfor %} as net_movement_units,
        summary.closing_balance_units,
        {% for movement in movements + ['unknown'] -%}
        summary.{{ movement }}_units{% if not loop.last %} + {% endif %}
        {%- endfor %} as ledger_summary_net_movement_units,
        summary.first_summary_date,
        summary.last_summary_date,
        detail.fnsku is not null as has_ledger_detail,
        summary.fnsku is not null as has_ledger_summary
    from detail
    full outer join summary
        on detail.seller_id = summary.seller_id
        and detail.marketplace_id = summary.marketplace_id
        and detail.fnsku = summary.fnsku
        and detail.month_start_date = summary.month_start_date
),

final as (
    select
        months.seller_id,
        months.marketplace_id,
        months.fnsku,
        fnsku_skus.sku,
        fnsku_skus.asin,
        months.month_start_date,
        cast(months.opening_balance_units as bigint) as opening_balance_units,
        {%- for movement in movements %}
        cast(months.{{ movement }}_units as bigint) as {{ movement }}_units,
        {%- endfor %}
        cast(months.net_movement_units as bigint) as net_movement_units,
        cast(months.closing_balance_units as bigint) as closing_balance_units,
        cast(
            months.closing_balance_units - months.opening_balance_units - months.net_movement_units as bigint
        ) as unexplained_units,
        cast(
            months.net_movement_units - months.ledger_summary_net_movement_units as bigint
        ) as ledger_summary_difference_units,
        months.first_summary_date,
        months.last_summary_date,
        months.has_ledger_detail,
        months.has_ledger_summary
    from months
    left join fnsku_skus
        on months.seller_id = fnsku_skus.seller_id
        and months.marketplace_id = fnsku_skus.marketplace_id
        and months.fnsku = fnsku_skus.fnsku
)

select * from final
