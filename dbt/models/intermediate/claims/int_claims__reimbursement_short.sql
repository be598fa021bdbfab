{#- C9, value short (quantity shortfalls are warehouse_lost): a reimbursement paid, but below what is owed.
    Before a customer order (lost/damaged units, no order id): cash paid for the units below the seller's
    unit cost on the loss date (the latest ledger loss/damage event of the FNSKU on or before approval).
    After an order (return reimbursements with an order id): all that was reimbursed for the order and SKU
    below the refunded principal; claimed on the order's latest reimbursement. Money-only claims. -#}
{%- set text = dbt.type_string() %}
with

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

ledger as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

ledger_reason_codes as (
    select * from {{ ref('ledger_reason_codes') }}
),

financial_events as (
    select * from {{ ref('stg_lake__financial_events') }}
),

reimbursement_lines as (
    select
        seller_id,
        marketplace_id,
        reimbursement_id,
        fnsku,
        max(sku) as sku,
        max(asin) as asin,
        max(approved_date) as approved_date,
        max(reason_code) as reason_code,
        max(claim_category) as claim_category,
        max(amazon_order_id) as amazon_order_id,
        max(currency_code) as currency_code,
        sum(quantity_reimbursed_cash) as cash_quantity,
        sum(cash_amount) as cash_amount,
        sum(reimbursed_value_amount) as reimbursed_value_amount
    from reimbursements
    where not is_reversal
    group by seller_id, marketplace_id, reimbursement_id, fnsku
),

-- before order -----------------------------------------------------------------------------------------

before_order_lines as (
    select *
    from reimbursement_lines
    where claim_category in ('lost', 'damaged')
        and amazon_order_id is null
        and cash_quantity > 0
),

loss_events as (
    select
        ledger.seller_id,
        ledger.marketplace_id,
        ledger.fnsku,
        ledger.event_date,
        ledger.reference_id,
        ledger_reason_codes.claim_relevance
    from ledger
    inner join ledger_reason_codes
        on ledger.reason_code = ledger_reason_codes.reason_code
    where ledger_reason_codes.claim_relevance in ('lost', 'damaged')
),

loss_candidates as (
    select
        before_order_lines.seller_id,
        before_order_lines.marketplace_id,
        before_order_lines.reimbursement_id,
        before_order_lines.fnsku,
        loss_events.event_date,
        loss_events.reference_id,
        row_number() over (
            partition by
                before_order_lines.seller_id,
                before_order_lines.marketplace_id,
                before_order_lines.reimbursement_id,
                before_order_lines.fnsku
            order by loss_events.event_date desc, loss_events.reference_id desc
        ) as rank_latest
    from before_order_lines
    inner join loss_events
        on before_order_lines.seller_id = loss_events.seller_id
        and before_order_lines.marketplace_id = loss_events.marketplace_id
        and before_order_lines.fnsku = loss_events.fnsku
        and before_order_lines.claim_category = loss_events.claim_relevance
        and loss_events.event_date <= before_order_lines.approved_date
),

before_order_losses as (
    select
        before_order_lines.*,
        coalesce(loss_candidates.event_date, before_order_lines.approved_date) as loss_date,
        loss_candidates.reference_id as loss_reference_id
    from before_order_lines
    left join loss_candidates
        on before_order_lines.seller_id = loss_candidates.seller_id
        and before_order_lines.marketplace_id = loss_candidates.marketplace_id
        and before_order_lines.reimbursement_id = loss_candidates.reimbursement_id
        and before_order_lines.fnsku = loss_candidates.fnsku
        and loss_candidates.rank_latest = 1
),

before_order_valued as (
    {{ value_before_order('before_order_losses', 'loss_date') }}
),

before_order_short as (
    select
        *,
        cast(cash_quantity * unit_value_amount - cash_amount as decimal(18, 2)) as short_amount,
        case
            when loss_reference_id is null then ' (no ledger loss found: approval date)'
            else {{ dbt.concat(["' (ledger '", 'loss_reference_id', "')'"]) }}
        end as loss_text
    from before_order_valued
    where cash_quantity * unit_value_amount > cash_amount
),

-- after order ------------------------------------------------------------------------------------------

after_order_lines as (
    select
        *,
        sum(reimbursed_value_amount) over (
            partition by seller_id, marketplace_id, amazon_order_id, sku
        ) as order_reimbursed_amount,
        row_number() over (
            partition by seller_id, marketplace_id, amazon_order_id, sku
            order by approved_date desc, reimbursement_id desc
        ) as rank_latest
    from reimbursement_lines
    where claim_category = 'return'
        and amazon_order_id is not null
),

refunds as (
    select
        seller_id,
        marketplace_id,
        amazon_order_id,
        sku,
        max(posted_date) as refund_date,
        -sum(amount) as refunded_amount
    from financial_events
    where event_type = 'RefundEvent'
        and amount_type = 'Principal'
    group by seller_id, marketplace_id, amazon_order_id, sku
),

after_order_short as (
    select
        after_order_lines.*,
        refunds.refund_date,
        refunds.refunded_amount,
        cast(refunds.refunded_amount - after_order_lines.order_reimbursed_amount as decimal(18, 2))
            as short_amount
    from after_order_lines
    inner join refunds
        on after_order_lines.seller_id = refunds.seller_id
        and after_order_lines.marketplace_id = refunds.marketplace_id
        and after_order_lines.amazon_order_id = refunds.amazon_order_id
        and after_order_lines.sku = refunds.sku
    where after_order_lines.rank_latest = 1
        and refunds.refunded_amount > after_order_lines.order_reimbursed_amount
),

-- claims -----------------------------------------------------------------------------------------------

before_order_claims as (
    select
        seller_id,
        marketplace_id,
        reimbursement_id,
        sku,
        fnsku,
        asin,
        approved_date,
        short_amount,
        currency_code,
        valuation_basis,
        case when valuation_basis = 'manufacturing_cost' then 'high' else 'review' end as confidence,
        {{ dbt.concat([
            "'Reimbursement '", 'reimbursement_id', "' ('", 'reason_code', "') approved '",
            'cast(approved_date as ' ~ text ~ ')', "' paid '", 'cast(cash_amount as ' ~ text ~ ')', "' '",
            'currency_code', "' for '", 'cast(cash_quantity as ' ~ text ~ ')', "' unit(s) of FNSKU '", 'fnsku',
            "'; unit cost on the loss date '", 'cast(loss_date as ' ~ text ~ ')',
            'loss_text',
            "' is '", 'cast(unit_value_amount as ' ~ text ~ ')', "' ('", 'valuation_basis', "').'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'Reimbursement '", 'reimbursement_id', "' for '", 'cast(cash_quantity as ' ~ text ~ ')',
            "' unit(s) of FNSKU '", 'fnsku', "' (SKU '", 'sku', "') was paid below our unit cost of '",
            'cast(unit_value_amount as ' ~ text ~ ')', "' '", 'currency_code',
            "'. Please re-evaluate it and pay the difference of '", 'cast(short_amount as ' ~ text ~ ')',
            "' '", 'currency_code', "'.'",
        ]) }} as case_text
    from before_order_short
),

after_order_claims as (
    select
        seller_id,
        marketplace_id,
        reimbursement_id,
        sku,
        fnsku,
        asin,
        approved_date,
        short_amount,
        currency_code,
        'refund_amount' as valuation_basis,
        'high' as confidence,
        {{ dbt.concat([
            "'Order '", 'amazon_order_id', "' SKU '", 'sku', "' refunded '",
            'cast(refunded_amount as ' ~ text ~ ')', "' '", 'currency_code', "' on '",
            'cast(refund_date as ' ~ text ~ ')', "'; reimbursed '", 'cast(order_reimbursed_amount as ' ~ text ~ ')',
            "' in total, latest reimbursement '", 'reimbursement_id', "' ('", 'reason_code', "') approved '",
            'cast(approved_date as ' ~ text ~ ')', "'.'",
        ]) }} as evidence,
        {{ dbt.concat([
            "'The customer of order '", 'amazon_order_id', "' was refunded '",
            'cast(refunded_amount as ' ~ text ~ ')', "' '", 'currency_code', "' for SKU '", 'sku',
            "', but reimbursement '", 'reimbursement_id', "' brought the total reimbursed to only '",
            'cast(order_reimbursed_amount as ' ~ text ~ ')', "' '", 'currency_code',
            "'. Please pay the difference of '", 'cast(short_amount as ' ~ text ~ ')', "' '", 'currency_code',
            "'.'",
        ]) }} as case_text
    from after_order_short
),

claims as (
    select * from before_order_claims
    union all
    select * from after_order_claims
),

final as (
    select
        seller_id,
        marketplace_id,
        'reimbursement_short' as claim_type,
        'reimbursement_id' as reference_type,
        reimbursement_id as reference_id,
        sku,
        fnsku,
        asin,
        approved_date as occurred_date,
        cast(null as bigint) as quantity,
        cast(null as decimal(18, 2)) as unit_value_amount,
        short_amount as claim_amount,
        currency_code,
        valuation_basis,
        confidence,
        evidence,
        case_text
    from claims
)

select * from final
