{#- The Inventory Ledger's detail rows summed per (seller, marketplace, fnsku, month of event_date) into the
    movement columns of the ledger summary report: Adjustments split by reason code (ledger_reason_codes
    claim_relevance: lost, damaged, found = offsets_lost, disposed = disposed_review; everything else,
    including disposition changes and reimbursement transfers, is other_adjustments). All dispositions
    together. -#}
with

ledger as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

reason_codes as (
    select * from {{ ref('ledger_reason_codes') }}
),

classified as (
    select
        ledger.seller_id,
        ledger.marketplace_id,
        ledger.fnsku,
        cast({{ dbt.date_trunc('month', 'ledger.event_date') }} as date) as month_start_date,
        ledger.quantity,
        case
            when ledger.event_type = 'Receipts' then 'receipts'
            when ledger.event_type = 'Shipments' then 'customer_shipments'
            when ledger.event_type = 'CustomerReturns' then 'customer_returns'
            when ledger.event_type = 'VendorReturns' then 'vendor_returns'
            when ledger.event_type = 'WhseTransfers' then 'warehouse_transfers'
            when reason_codes.claim_relevance = 'offsets_lost' then 'found'
            when reason_codes.claim_relevance = 'lost' then 'lost'
            when reason_codes.claim_relevance = 'damaged' then 'damaged'
            when reason_codes.claim_relevance = 'disposed_review' then 'disposed'
            else 'other_adjustments'
        end as movement
    from ledger
    left join reason_codes
        on ledger.reason_code = reason_codes.reason_code
),

final as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        month_start_date,
        {%- for movement in ['receipts', 'customer_shipments', 'customer_returns', 'vendor_returns',
                             'warehouse_transfers', 'found', 'lost', 'damaged', 'disposed', 'other_adjustments'] %}
        sum(case when movement = '{{ movement }}' then quantity else 0 end) as {{ movement }}_units,
        {%- endfor %}
        count(*) as ledger_row_count
    from classified
    group by seller_id, marketplace_id, fnsku, month_start_date
)

select * from final
