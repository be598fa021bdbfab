{#- After-order events matched per (seller, marketplace, order, sku): what Amazon refunded or replaced, what
    came back (customer returns; for a replacement, a return of the original order), what Amazon put back
    in stock (ledger CustomerReturns rows, whose Reference ID is the order id) and what it reimbursed for the
    order (any reason). Returned and reimbursed units settle refunds first, then replacements. Any return,
    however late, counts as returned: the filing window decides the status, not whether a claim exists. -#}
with

settlements as (
    select * from {{ ref('stg_lake__settlements') }}
),

customer_returns as (
    select * from {{ ref('stg_lake__customer_returns') }}
),

replacements as (
    select * from {{ ref('stg_lake__replacements') }}
),

reimbursements as (
    select * from {{ ref('int_reimbursements__normalised') }}
),

ledger_detail as (
    select * from {{ ref('stg_lake__ledger_detail') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

return_dispositions as (
    select * from {{ ref('customer_return_dispositions') }}
),

return_statuses as (
    select * from {{ ref('customer_return_statuses') }}
),

ledger_dispositions as (
    select * from {{ ref('ledger_dispositions') }}
),

-- settlements name the sku only; the ledger knows its fnsku and asin
product_identifiers as (
    select
        seller_id,
        marketplace_id,
        sku,
        max(fnsku) as fnsku,
        max(asin) as asin
    from ledger_detail
    where sku is not null
    group by seller_id, marketplace_id, sku
),

-- the item price of AFN orders and refunds; a row without quantity-purchased counts as one unit
item_principals as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        transaction_type,
        posted_date,
        currency_code,
        coalesce(quantity_purchased, 1) as quantity,
        amount
    from settlements
    where fulfillment_id = 'AFN'
        and amount_type = 'ItemPrice'
        and amount_description = 'Principal'
        and transaction_type in ('Order', 'Refund')
),

refunds as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        max(currency_code) as currency_code,
        min(posted_date) as first_refunded_date,
        sum(quantity) as refunded_quantity,
        -sum(amount) as refunded_amount
    from item_principals
    where transaction_type = 'Refund'
    group by seller_id, marketplace_id, order_id, sku
),

replaced as (
    select
        seller_id,
        marketplace_id,
        original_amazon_order_id as order_id,
        sku,
        min(shipped_date) as first_replaced_date,
        min(replacement_amazon_order_id) as replacement_order_id,
        min(replacement_reason_code) as replacement_reason_code,
        sum(quantity) as replaced_quantity
    from replacements
    group by seller_id, marketplace_id, original_amazon_order_id, sku
),

-- a return's reason says Amazon or its carrier is at fault, its disposition leaves the unit the seller's
classified_returns as (
    select
        customer_returns.*,
        coalesce(return_dispositions.is_sellable and return_statuses.is_restocked, false) as is_restocked,
        coalesce(return_dispositions.is_amazon_responsible, false) as is_amazon_damaged,
        coalesce(
            not return_dispositions.is_sellable
            and not return_dispositions.is_amazon_responsible
            and (
                customer_returns.return_reason_code in ('DAMAGED_BY_FC', 'DAMAGED_BY_CARRIER', 'SWITCHEROO')
                or customer_returns.return_reason_code like 'UNDELIVERABLE%'
            ),
            false
        ) as is_fault_conflict
    from customer_returns
    left join return_dispositions
        on customer_returns.detailed_disposition = return_dispositions.detailed_disposition
    left join return_statuses
        on customer_returns.status = return_statuses.status
),

returns as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        max(fnsku) as fnsku,
        max(asin) as asin,
        min(returned_date) as first_returned_date,
        sum(quantity) as returned_quantity,
        sum(case when is_restocked then quantity else 0 end) as restocked_returned_quantity,
        min(case when is_restocked then returned_date end) as first_restocked_returned_date,
        sum(case when is_amazon_damaged then quantity else 0 end) as amazon_damaged_returned_quantity,
        sum(case when is_fault_conflict then quantity else 0 end) as fault_conflict_returned_quantity,
        min(
            case when is_amazon_damaged or is_fault_conflict then returned_date end
        ) as first_amazon_fault_returned_date,
        min(
            case when is_amazon_damaged or is_fault_conflict then detailed_disposition end
        ) as amazon_fault_disposition,
        min(
            case when is_amazon_damaged or is_fault_conflict then return_reason_code end
        ) as amazon_fault_reason_code
    from classified_returns
    group by seller_id, marketplace_id, order_id, sku
),

ledger_restocks as (
    select
        ledger_detail.seller_id,
        ledger_detail.marketplace_id,
        ledger_detail.reference_id as order_id,
        ledger_detail.fnsku,
        sum(ledger_detail.quantity) as ledger_restocked_quantity
    from ledger_detail
    inner join ledger_dispositions
        on ledger_detail.disposition = ledger_dispositions.disposition
    where ledger_detail.event_type = 'CustomerReturns'
        and ledger_dispositions.is_sellable
    group by
        ledger_detail.seller_id,
        ledger_detail.marketplace_id,
        ledger_detail.reference_id,
        ledger_detail.fnsku
),

order_reimbursements as (
    select
        seller_id,
        marketplace_id,
        amazon_order_id as order_id,
        sku,
        sum(quantity_reimbursed) as reimbursed_quantity,
        sum(reimbursed_value_amount) as reimbursed_amount
    from reimbursements
    where amazon_order_id is not null
    group by seller_id, marketplace_id, amazon_order_id, sku
),

order_skus as (
    select seller_id, marketplace_id, order_id, sku from refunds
    union
    select seller_id, marketplace_id, order_id, sku from replaced
    union
    select seller_id, marketplace_id, order_id, sku from returns
),

-- the sale of each of those order skus only: aggregating every order of the year first was half this model's
-- time at 10^7 ledger rows, for the few percent of orders a refund, replacement or return names
sales as (
    select
        item_principals.seller_id,
        item_principals.marketplace_id,
        item_principals.order_id,
        item_principals.sku,
        max(item_principals.currency_code) as currency_code,
        sum(item_principals.quantity) as sold_quantity,
        sum(item_principals.amount) as sold_amount
    from item_principals
    inner join order_skus
        on item_principals.seller_id = order_skus.seller_id
        and item_principals.marketplace_id = order_skus.marketplace_id
        and item_principals.order_id = order_skus.order_id
        and item_principals.sku = order_skus.sku
    where item_principals.transaction_type = 'Order'
    group by
        item_principals.seller_id,
        item_principals.marketplace_id,
        item_principals.order_id,
        item_principals.sku
),

matched as (
    select
        order_skus.seller_id,
        order_skus.marketplace_id,
        order_skus.order_id,
        order_skus.sku,
        coalesce(returns.fnsku, product_identifiers.fnsku) as fnsku,
        coalesce(returns.asin, product_identifiers.asin) as asin,
        coalesce(refunds.currency_code, sales.currency_code, marketplaces.currency_code) as currency_code,
        coalesce(sales.sold_quantity, 0) as sold_quantity,
        cast(sales.sold_amount / nullif(sales.sold_quantity, 0) as decimal(18, 2)) as sale_unit_amount,
        coalesce(refunds.refunded_quantity, 0) as refunded_quantity,
        cast(coalesce(refunds.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        cast(
            refunds.refunded_amount / nullif(refunds.refunded_quantity, 0) as decimal(18, 2)
        ) as refund_unit_amount,
        refunds.first_refunded_date,
        coalesce(replaced.replaced_quantity, 0) as replaced_quantity,
        replaced.first_replaced_date,
        replaced.replacement_order_id,
        replaced.replacement_reason_code,
        coalesce(returns.returned_quantity, 0) as returned_quantity,
        returns.first_returned_date,
        coalesce(returns.restocked_returned_quantity, 0) as restocked_returned_quantity,
        returns.first_restocked_returned_date,
        coalesce(ledger_restocks.ledger_restocked_quantity, 0) as ledger_restocked_quantity,
        coalesce(returns.amazon_damaged_returned_quantity, 0) as amazon_damaged_returned_quantity,
        coalesce(returns.fault_conflict_returned_quantity, 0) as fault_conflict_returned_quantity,
        returns.first_amazon_fault_returned_date,
        returns.amazon_fault_disposition,
        returns.amazon_fault_reason_code,
        coalesce(order_reimbursements.reimbursed_quantity, 0) as reimbursed_quantity,
        cast(coalesce(order_reimbursements.reimbursed_amount, 0) as decimal(18, 2)) as reimbursed_amount
    from order_skus
    left join refunds
        on order_skus.seller_id = refunds.seller_id
        and order_skus.marketplace_id = refunds.marketplace_id
        and order_skus.order_id = refunds.order_id
        and order_skus.sku = refunds.sku
    left join replaced
        on order_skus.seller_id = replaced.seller_id
        and order_skus.marketplace_id = replaced.marketplace_id
        and order_skus.order_id = replaced.order_id
        and order_skus.sku = replaced.sku
    left join returns
        on order_skus.seller_id = returns.seller_id
        and order_skus.marketplace_id = returns.marketplace_id
        and order_skus.order_id = returns.order_id
        and order_skus.sku = returns.sku
    left join sales
        on order_skus.seller_id = sales.seller_id
        and order_skus.marketplace_id = sales.marketplace_id
        and order_skus.order_id = sales.order_id
        and order_skus.sku = sales.sku
    left join order_reimbursements
        on order_skus.seller_id = order_reimbursements.seller_id
        and order_skus.marketplace_id = order_reimbursements.marketplace_id
        and order_skus.order_id = order_reimbursements.order_id
        and order_skus.sku = order_reimbursements.sku
    left join product_identifiers
        on order_skus.seller_id = product_identifiers.seller_id
        and order_skus.marketplace_id = product_identifiers.marketplace_id
        and order_skus.sku = product_identifiers.sku
    left join ledger_restocks
        on order_skus.seller_id = ledger_restocks.seller_id
        and order_skus.marketplace_id = ledger_restocks.marketplace_id
        and order_skus.order_id = ledger_restocks.order_id
        and coalesce(returns.fnsku, product_identifiers.fnsku) = ledger_restocks.fnsku
    left join marketplaces
        on order_skus.marketplace_id = marketplaces.marketplace_id
),

-- units still owed: returns and reimbursements settle refunds first, then replacements
netted as (
    select
        matched.*,
        greatest(
            refunded_quantity + replaced_quantity - returned_quantity - reimbursed_quantity, 0
        ) as unreturned_quantity,
        greatest(
            restocked_returned_quantity - ledger_restocked_quantity - reimbursed_quantity, 0
        ) as unrestocked_quantity,
        greatest(
            amazon_damaged_returned_quantity + fault_conflict_returned_quantity - reimbursed_quantity, 0
        ) as amazon_fault_unreimbursed_quantity
    from matched
),

final as (
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        fnsku,
        asin,
        currency_code,
        sold_quantity,
        sale_unit_amount,
        refunded_quantity,
        refunded_amount,
        refund_unit_amount,
        first_refunded_date,
        replaced_quantity,
        first_replaced_date,
        replacement_order_id,
        replacement_reason_code,
        returned_quantity,
        first_returned_date,
        restocked_returned_quantity,
        first_restocked_returned_date,
        ledger_restocked_quantity,
        amazon_damaged_returned_quantity,
        fault_conflict_returned_quantity,
        first_amazon_fault_returned_date,
        amazon_fault_disposition,
        amazon_fault_reason_code,
        reimbursed_quantity,
        reimbursed_amount,
        least(refunded_quantity, unreturned_quantity) as unreturned_refund_quantity,
        unreturned_quantity
            - least(refunded_quantity, unreturned_quantity) as unreturned_replacement_quantity,
        unrestocked_quantity,
        amazon_fault_unreimbursed_quantity
    from netted
)

select * from final
