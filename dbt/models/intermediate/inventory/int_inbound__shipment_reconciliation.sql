{#- Closed inbound shipment lines: shipped vs received (Inbound API and ledger Receipts), damaged on
    receipt, and what Amazon has reimbursed against them (amazon.md C1, C2). Inbound reimbursements carry a
    case id and no shipment id, so they are matched by FNSKU, approved on or after the shipment's last
    receipt, and allocated first in, first out over that FNSKU's shipments. -#}
with

shipments as (
    select * from {{ ref('stg_lake__inbound_shipments') }}
),

shipment_items as (
    select * from {{ ref('stg_lake__inbound_shipment_items') }}
),

ledger as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

{#- what can be wrong with a line, and the reimbursement reason that settles it -#}
problem_kinds as (
    select 'shortage' as problem_kind, 'lost_inbound' as reason_code
    union all
    select 'damaged' as problem_kind, 'damaged_inbound' as reason_code
),

receipts as (
    select
        seller_id,
        marketplace_id,
        reference_id as shipment_id,
        fnsku,
        min(asin) as asin,
        sum(quantity) as received_units,
        sum(case when disposition = 'CARRIER_DAMAGED' then quantity else 0 end) as damaged_units,
        min(event_date) as first_receipt_date,
        max(event_date) as last_receipt_date,
        min(fulfillment_center) as fulfillment_center
    from ledger
    where event_type = 'Receipts'
    group by seller_id, marketplace_id, reference_id, fnsku
),

closed_lines as (
    select
        shipment_items.seller_id,
        shipment_items.marketplace_id,
        shipment_items.shipment_id,
        shipment_items.fnsku,
        shipment_items.sku,
        receipts.asin,
        shipments.shipment_status,
        shipment_items.quantity_shipped,
        shipment_items.quantity_received,
        receipts.received_units as ledger_received_units,
        coalesce(receipts.damaged_units, 0) as damaged_units,
        receipts.first_receipt_date,
        receipts.last_receipt_date,
        receipts.fulfillment_center,
        greatest(
            shipment_items.quantity_shipped
            - greatest(coalesce(shipment_items.quantity_received, 0), coalesce(receipts.received_units, 0)),
            0
        ) as shortage_units
    from shipment_items
    inner join shipments
        on shipment_items.seller_id = shipments.seller_id
        and shipment_items.marketplace_id = shipments.marketplace_id
        and shipment_items.shipment_id = shipments.shipment_id
    left join receipts
        on shipment_items.seller_id = receipts.seller_id
        and shipment_items.marketplace_id = receipts.marketplace_id
        and shipment_items.shipment_id = receipts.shipment_id
        and shipment_items.fnsku = receipts.fnsku
    where shipments.shipment_status = 'CLOSED'
        and receipts.last_receipt_date is not null
),

problems as (
    select
        closed_lines.*,
        problem_kinds.problem_kind,
        problem_kinds.reason_code,
        case
            when problem_kinds.problem_kind = 'shortage' then closed_lines.shortage_units
            else closed_lines.damaged_units
        end as problem_units
    from closed_lines
    cross join problem_kinds
),

open_problems as (
    select
        problems.*,
        sum(problem_units) over (
            partition by seller_id, marketplace_id, fnsku, problem_kind
            order by last_receipt_date, shipment_id
            rows between unbounded preceding and current row
        ) - problem_units as units_before,
        min(last_receipt_date) over (
            partition by seller_id, marketplace_id, fnsku, problem_kind
        ) as first_problem_date
    from problems
    where problem_units > 0
),

reimbursed as (
    select
        open_problems.seller_id,
        open_problems.marketplace_id,
        open_problems.fnsku,
        open_problems.problem_kind,
        sum(reimbursements.quantity_reimbursed) as reimbursed_units
    from (
        select distinct seller_id, marketplace_id, fnsku, problem_kind, reason_code, first_problem_date
        from open_problems
    ) as open_problems
    inner join reimbursements
        on open_problems.seller_id = reimbursements.seller_id
        and open_problems.marketplace_id = reimbursements.marketplace_id
        and open_problems.fnsku = reimbursements.fnsku
        and open_problems.reason_code = reimbursements.reason_code
        and reimbursements.approved_date >= open_problems.first_problem_date
    group by open_problems.seller_id, open_problems.marketplace_id, open_problems.fnsku, open_problems.problem_kind
),

final as (
    select
        open_problems.seller_id,
        open_problems.marketplace_id,
        open_problems.shipment_id,
        open_problems.fnsku,
        open_problems.sku,
        open_problems.asin,
        open_problems.problem_kind,
        open_problems.shipment_status,
        open_problems.quantity_shipped,
        open_problems.quantity_received,
        open_problems.ledger_received_units,
        open_problems.first_receipt_date,
        open_problems.last_receipt_date,
        open_problems.fulfillment_center,
        open_problems.problem_units,
        least(
            open_problems.problem_units,
            greatest(coalesce(reimbursed.reimbursed_units, 0) - open_problems.units_before, 0)
        ) as reimbursed_units,
        open_problems.problem_units - least(
            open_problems.problem_units,
            greatest(coalesce(reimbursed.reimbursed_units, 0) - open_problems.units_before, 0)
        ) as open_units
    from open_problems
    left join reimbursed
        on open_problems.seller_id = reimbursed.seller_id
        and open_problems.marketplace_id = reimbursed.marketplace_id
        and open_problems.fnsku = reimbursed.fnsku
        and open_problems.problem_kind = reimbursed.problem_kind
)

select * from final
