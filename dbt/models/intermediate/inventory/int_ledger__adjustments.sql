{#- Inventory Ledger Adjustments, one row per (seller, marketplace, Reference ID, FNSKU, claim relevance):
    identical ledger rows are separate real events, so they are summed, never de-duplicated. -#}
with

ledger as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

reason_codes as (
    select * from {{ ref('ledger_reason_codes') }}
),

adjustments as (
    select
        ledger.seller_id,
        ledger.marketplace_id,
        ledger.reference_id,
        ledger.fnsku,
        ledger.sku,
        ledger.asin,
        ledger.event_date,
        ledger.fulfillment_center,
        ledger.disposition,
        ledger.reason_code,
        coalesce(reason_codes.claim_relevance, 'unknown') as claim_relevance,
        ledger.quantity,
        ledger.reconciled_quantity,
        ledger.unreconciled_quantity
    from ledger
    left join reason_codes
        on ledger.reason_code = reason_codes.reason_code
    where ledger.event_type = 'Adjustments'
),

final as (
    select
        seller_id,
        marketplace_id,
        reference_id,
        fnsku,
        claim_relevance,
        min(sku) as sku,
        min(asin) as asin,
        min(event_date) as event_date,
        min(fulfillment_center) as fulfillment_center,
        min(disposition) as disposition,
        min(reason_code) as reason_code,
        count(*) as ledger_row_count,
        sum(quantity) as quantity,
        abs(sum(quantity)) as units,
        sum(reconciled_quantity) as reconciled_quantity,
        sum(unreconciled_quantity) as unreconciled_quantity
    from adjustments
    group by seller_id, marketplace_id, reference_id, fnsku, claim_relevance
)

select * from final
