{#- Every sku <-> fnsku <-> asin pairing a report has shown, per (seller, marketplace, sku, fnsku): from the
    inventory snapshot (MYI), the ledger (detail and summary), the fee preview and the reimbursements. A SKU
    relabelled to a new FNSKU has one row per FNSKU; last_seen_date says which is current.
    Each report's rows are first reduced to one per pairing, ASIN and title (with the days it was first and
    last seen) before the reports are put together: the ledger's millions of rows per seller are a few
    rows per product, so the window picking the newest ASIN and title sorts those, not every ledger row. -#}
with

inventory as (
    select * from {{ ref('stg_lake__inventory') }}
),

ledger_detail as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

ledger_summary as (
    select * from {{ ref('stg_lake__ledger_summary') }}
),

fee_preview as (
    select * from {{ ref('stg_lake__fee_preview') }}
),

reimbursements as (
    select * from {{ ref('stg_lake__reimbursements') }}
),

sightings as (
    select seller_id, marketplace_id, sku, fnsku, asin, product_name as title,
        min(snapshot_date) as first_seen_date, max(snapshot_date) as last_seen_date, 'inventory' as source
    from inventory
    group by seller_id, marketplace_id, sku, fnsku, asin, product_name
    union all
    select seller_id, marketplace_id, sku, fnsku, asin, title,
        min(event_date) as first_seen_date, max(event_date) as last_seen_date, 'ledger' as source
    from ledger_detail
    group by seller_id, marketplace_id, sku, fnsku, asin, title
    union all
    select seller_id, marketplace_id, sku, fnsku, asin, title,
        min(summary_date) as first_seen_date, max(summary_date) as last_seen_date, 'ledger' as source
    from ledger_summary
    group by seller_id, marketplace_id, sku, fnsku, asin, title
    union all
    select seller_id, marketplace_id, sku, fnsku, asin, product_name as title,
        min(snapshot_date) as first_seen_date, max(snapshot_date) as last_seen_date, 'fee_preview' as source
    from fee_preview
    group by seller_id, marketplace_id, sku, fnsku, asin, product_name
    union all
    select seller_id, marketplace_id, sku, fnsku, asin, product_name as title,
        min(approved_date) as first_seen_date, max(approved_date) as last_seen_date, 'reimbursements' as source
    from reimbursements
    group by seller_id, marketplace_id, sku, fnsku, asin, product_name
),

known as (
    select * from sightings
    where sku is not null
        and fnsku is not null
),

newest_first as (
    select
        known.*,
        row_number() over (
            partition by seller_id, marketplace_id, sku, fnsku
            order by last_seen_date desc, source, asin, title
        ) as rank_newest
    from known
),

pairs as (
    select
        seller_id,
        marketplace_id,
        sku,
        fnsku,
        min(first_seen_date) as first_seen_date,
        max(last_seen_date) as last_seen_date,
        max(case when source = 'inventory' then 1 else 0 end) = 1 as is_in_inventory,
        max(case when source = 'ledger' then 1 else 0 end) = 1 as is_in_ledger,
        max(case when source = 'fee_preview' then 1 else 0 end) = 1 as is_in_fee_preview,
        max(case when source = 'reimbursements' then 1 else 0 end) = 1 as is_in_reimbursements
    from known
    group by seller_id, marketplace_id, sku, fnsku
),

newest as (
    select
        seller_id,
        marketplace_id,
        sku,
        fnsku,
        asin,
        title
    from newest_first
    where rank_newest = 1
),

final as (
    select
        pairs.seller_id,
        pairs.marketplace_id,
        pairs.sku,
        pairs.fnsku,
        newest.asin,
        newest.title,
        pairs.first_seen_date,
        pairs.last_seen_date,
        pairs.is_in_inventory,
        pairs.is_in_ledger,
        pairs.is_in_fee_preview,
        pairs.is_in_reimbursements
    from pairs
    inner join newest
        on pairs.seller_id = newest.seller_id
        and pairs.marketplace_id = newest.marketplace_id
        and pairs.sku = newest.sku
        and pairs.fnsku = newest.fnsku
)

select * from final
