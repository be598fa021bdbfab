with

removal_orders as (
    select * from {{ ref('stg_lake__removal_orders') }}
),

removal_shipments as (
    select * from {{ ref('stg_lake__removal_shipments') }}
),

order_lines as (
    -- the detail report has one row per disposition; the order status and dates are the order's
    select
        seller_id,
        marketplace_id,
        removal_order_id,
        fnsku,
        max(sku) as sku,
        max(order_type) as order_type,
        max(order_status) as order_status,
        min(requested_date) as requested_date,
        max(last_updated_date) as last_updated_date,
        max(currency_code) as currency_code,
        coalesce(sum(requested_quantity), 0) as requested_quantity,
        coalesce(sum(cancelled_quantity), 0) as cancelled_quantity,
        coalesce(sum(disposed_quantity), 0) as disposed_quantity,
        coalesce(sum(shipped_quantity), 0) as shipped_quantity,
        coalesce(sum(in_process_quantity), 0) as in_process_quantity
    from removal_orders
    group by seller_id, marketplace_id, removal_order_id, fnsku
),

shipment_totals as (
    select
        seller_id,
        marketplace_id,
        removal_order_id,
        fnsku,
        sum(shipped_quantity) as shipment_rows_quantity,
        count(*) as shipment_row_count,
        max(shipped_date) as last_shipped_date,
        {{ sorted_listagg('tracking_number', "', '") }} as tracking_numbers
    from removal_shipments
    group by seller_id, marketplace_id, removal_order_id, fnsku
),

reconciled as (
    select
        order_lines.*,
        coalesce(shipment_totals.shipment_rows_quantity, 0) as shipment_rows_quantity,
        coalesce(shipment_totals.shipment_row_count, 0) as shipment_row_count,
        shipment_totals.last_shipped_date,
        shipment_totals.tracking_numbers
    from order_lines
    left join shipment_totals
        on order_lines.seller_id = shipment_totals.seller_id
        and order_lines.marketplace_id = shipment_totals.marketplace_id
        and order_lines.removal_order_id = shipment_totals.removal_order_id
        and order_lines.fnsku = shipment_totals.fnsku
),

discrepancies as (
    select
        *,
        case
            when shipped_quantity > shipment_rows_quantity then shipped_quantity - shipment_rows_quantity
            else 0
        end as missing_shipment_quantity,
        case
            when order_status = 'Completed'
                and requested_quantity > shipped_quantity + disposed_quantity + cancelled_quantity
                then requested_quantity - shipped_quantity - disposed_quantity - cancelled_quantity
            else 0
        end as unaccounted_quantity
    from reconciled
),

final as (
    select
        *,
        missing_shipment_quantity + unaccounted_quantity as lost_quantity
    from discrepancies
)

select * from final
