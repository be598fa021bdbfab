{#- What the settlements posted per order, sku and transaction type (Order or Refund), one column per amount
    component the fee rules read. Amounts keep Amazon's sign (positive = paid to the seller, so fees charged
    are negative and credits positive). Several items or refunds of one sku in one order add up; posted_date
    is the latest. -#}
with

settlements as (
    select * from {{ ref('stg_lake__settlements') }}
),

order_lines as (
    select *
    from settlements
    where transaction_type in ('Order', 'Refund')
        and order_id is not null
        and sku is not null
),

items as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        transaction_type,
        order_item_code,
        max(posted_date) as posted_date,
        max(settlement_id) as settlement_id,
        max(currency_code) as currency_code,
        max(quantity_purchased) as quantity,
        sum(case when amount_description = 'Principal' then amount end) as principal_amount,
        sum(case when amount_description = 'Commission' then amount end) as commission_amount,
        sum(case when amount_description = 'FBAPerUnitFulfillmentFee' then amount end) as fulfillment_fee_amount,
        sum(case when amount_description = 'RefundCommission' then amount end) as refund_commission_amount
    from order_lines
    group by seller_id, marketplace_id, order_id, sku, transaction_type, order_item_code
),

final as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        transaction_type,
        max(posted_date) as posted_date,
        max(settlement_id) as settlement_id,
        max(currency_code) as currency_code,
        cast(sum(quantity) as bigint) as quantity,
        cast(sum(principal_amount) as decimal(18, 2)) as principal_amount,
        cast(sum(commission_amount) as decimal(18, 2)) as commission_amount,
        cast(sum(fulfillment_fee_amount) as decimal(18, 2)) as fulfillment_fee_amount,
        cast(sum(refund_commission_amount) as decimal(18, 2)) as refund_commission_amount
    from items
    group by seller_id, marketplace_id, order_id, sku, transaction_type
)

select * from final
