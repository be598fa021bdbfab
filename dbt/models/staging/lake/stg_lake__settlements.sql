{#- The first data row of a settlement file is a summary (settlement id, period, deposit date, total and
    currency; every transaction column empty). It is not a transaction: its values are carried onto every
    transaction row of the settlement (settlement_start_at ... settlement_total_amount) and the summary
    row itself is dropped, so each row here is one amount component.
    A settlement's rows all come from the one document that owns it (latest document wins, by key), so its
    summary is that document's summary row. A full build reads it from the lake by document (a few rows)
    rather than by a second pass over the latest rows, which DuckDB would hold in memory; an incremental build
    reads it from the latest rows it builds, which are few, rather than scanning every settlement in the lake. -#}
with

lake_rows as (
    {{ latest_document_rows('settlements') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

summaries as (
    select
        seller_id,
        _document_id,
        settlement_id,
        max(settlement_start_at) as settlement_start_at,
        max(settlement_end_at) as settlement_end_at,
        max(deposit_at) as deposit_at,
        max(total_amount) as settlement_total_amount,
        max(currency_code) as currency_code
    from {% if is_incremental() %}lake_rows{% else %}{{ source('lake', 'settlements') }}{% endif %}
    where transaction_type is null
    group by seller_id, _document_id, settlement_id
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.settlement_id,
        summaries.settlement_start_at,
        summaries.settlement_end_at,
        summaries.deposit_at,
        {{ to_local_date('summaries.deposit_at', 'marketplaces.timezone') }} as deposit_date,
        summaries.settlement_total_amount,
        coalesce(lake_rows.currency_code, summaries.currency_code) as currency_code,
        lake_rows.transaction_type,
        lake_rows.order_id,
        lake_rows.merchant_order_id,
        lake_rows.adjustment_id,
        lake_rows.shipment_id,
        lake_rows.marketplace_name,
        lake_rows.amount_type,
        lake_rows.amount_description,
        lake_rows.amount,
        lake_rows.fulfillment_id,
        lake_rows.posted_date,
        lake_rows.posted_at,
        lake_rows.order_item_code,
        lake_rows.merchant_order_item_id,
        lake_rows.merchant_adjustment_item_id,
        lake_rows.sku,
        lake_rows.quantity_purchased,
        lake_rows.promotion_id,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
    left join summaries
        on lake_rows.seller_id = summaries.seller_id
        and lake_rows._document_id = summaries._document_id
        and lake_rows.settlement_id = summaries.settlement_id
    left join marketplaces
        on lake_rows.marketplace_id = marketplaces.marketplace_id
    where lake_rows.transaction_type is not null
)

select * from final
