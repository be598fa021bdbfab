{#- Units lost (M/5) or damaged (E/6/7/H/K/U) in a fulfilment centre that nobody has explained yet.
    Amazon's own answer comes first: the ledger's Unreconciled Quantity, which it lowers as units are found
    or reimbursed (amazon.md C3). Where a ledger export has no such column, the loss is netted first in,
    first out per FNSKU against what settles it from the first such loss on: found units (F) and warehouse
    reimbursements of the same kind, cash and inventory, reversals adding units back. -#}
with

adjustments as (
    select * from {{ ref('int_ledger__adjustments') }}
),

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

losses as (
    select
        seller_id,
        marketplace_id,
        reference_id,
        fnsku,
        sku,
        asin,
        claim_relevance,
        event_date,
        fulfillment_center,
        reason_code,
        units,
        reconciled_quantity,
        unreconciled_quantity
    from adjustments
    where claim_relevance in ('lost', 'damaged')
        and quantity < 0
),

unreconciled_unknown as (
    select
        losses.*,
        sum(units) over (
            partition by seller_id, marketplace_id, fnsku, claim_relevance
            order by event_date, reference_id
            rows between unbounded preceding and current row
        ) - units as units_before,
        min(event_date) over (
            partition by seller_id, marketplace_id, fnsku, claim_relevance
        ) as first_event_date
    from losses
    where unreconciled_quantity is null
),

found_units as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        'lost' as claim_relevance,
        event_date as settled_date,
        quantity as units
    from adjustments
    where reason_code = 'F'
),

reimbursed_units as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        case when claim_category = 'damaged' then 'damaged' else 'lost' end as claim_relevance,
        approved_date as settled_date,
        quantity_reimbursed as units
    from reimbursements
    where claim_category in ('lost', 'damaged', 'reversal')
        and reason_code not in ('lost_inbound', 'damaged_inbound', 'damaged_outbound')
),

settlements as (
    select * from found_units
    union all
    select * from reimbursed_units
),

settled_per_fnsku as (
    select
        first_losses.seller_id,
        first_losses.marketplace_id,
        first_losses.fnsku,
        first_losses.claim_relevance,
        coalesce(sum(settlements.units), 0) as settled_units
    from (
        select distinct seller_id, marketplace_id, fnsku, claim_relevance, first_event_date
        from unreconciled_unknown
    ) as first_losses
    left join settlements
        on first_losses.seller_id = settlements.seller_id
        and first_losses.marketplace_id = settlements.marketplace_id
        and first_losses.fnsku = settlements.fnsku
        and first_losses.claim_relevance = settlements.claim_relevance
        and settlements.settled_date >= first_losses.first_event_date
    group by
        first_losses.seller_id, first_losses.marketplace_id, first_losses.fnsku, first_losses.claim_relevance
),

netted as (
    select
        unreconciled_unknown.seller_id,
        unreconciled_unknown.marketplace_id,
        unreconciled_unknown.reference_id,
        unreconciled_unknown.fnsku,
        unreconciled_unknown.claim_relevance,
        unreconciled_unknown.units - least(
            unreconciled_unknown.units,
            greatest(settled_per_fnsku.settled_units - unreconciled_unknown.units_before, 0)
        ) as open_units
    from unreconciled_unknown
    inner join settled_per_fnsku
        on unreconciled_unknown.seller_id = settled_per_fnsku.seller_id
        and unreconciled_unknown.marketplace_id = settled_per_fnsku.marketplace_id
        and unreconciled_unknown.fnsku = settled_per_fnsku.fnsku
        and unreconciled_unknown.claim_relevance = settled_per_fnsku.claim_relevance
),

final as (
    select
        losses.seller_id,
        losses.marketplace_id,
        losses.reference_id,
        losses.fnsku,
        losses.sku,
        losses.asin,
        losses.claim_relevance,
        losses.event_date,
        losses.fulfillment_center,
        losses.reason_code,
        losses.units,
        losses.reconciled_quantity,
        losses.unreconciled_quantity,
        coalesce(losses.unreconciled_quantity, netted.open_units) as open_units,
        case
            when losses.unreconciled_quantity is not null then 'ledger_unreconciled_quantity'
            else 'netted_first_in_first_out'
        end as netting_method
    from losses
    left join netted
        on losses.seller_id = netted.seller_id
        and losses.marketplace_id = netted.marketplace_id
        and losses.reference_id = netted.reference_id
        and losses.fnsku = netted.fnsku
        and losses.claim_relevance = netted.claim_relevance
)

select * from final
