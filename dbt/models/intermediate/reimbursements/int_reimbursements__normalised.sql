with

reimbursements as (
    select * from {{ ref('stg_lake__reimbursements') }}
),

reasons as (
    select * from {{ ref('reimbursement_reasons') }}
),

classified as (
    select
        reimbursements.*,
        coalesce(reasons.is_reversal, false) as is_reversal,
        case
            when reasons.is_reversal then 'reversal'
            when reasons.settles_lost_claims then 'lost'
            when reasons.settles_damaged_claims then 'damaged'
            when reasons.settles_return_claims then 'return'
            else 'other'
        end as claim_category
    from reimbursements
    left join reasons
        on reimbursements.reason_code = reasons.reason_code
),

final as (
    select
        source_row_id,
        seller_id,
        marketplace_id,
        reimbursement_id,
        approved_at,
        approved_date,
        case_id,
        amazon_order_id,
        reason_code,
        claim_category,
        is_reversal,
        original_reimbursement_id,
        original_reimbursement_type,
        sku,
        fnsku,
        asin,
        currency_code,
        unit_amount,
        coalesce(quantity_reimbursed_cash, 0) as quantity_reimbursed_cash,
        coalesce(quantity_reimbursed_inventory, 0) as quantity_reimbursed_inventory,
        coalesce(quantity_reimbursed_cash, 0)
            + coalesce(quantity_reimbursed_inventory, 0) as quantity_reimbursed,
        cast(coalesce(total_amount, 0) as decimal(18, 2)) as cash_amount,
        cast(
            coalesce(quantity_reimbursed_inventory, 0) * coalesce(unit_amount, 0) as decimal(18, 2)
        ) as inventory_value_amount,
        cast(
            coalesce(total_amount, 0)
            + coalesce(quantity_reimbursed_inventory, 0) * coalesce(unit_amount, 0)
            as decimal(18, 2)
        ) as reimbursed_value_amount
    from classified
)

select * from final
