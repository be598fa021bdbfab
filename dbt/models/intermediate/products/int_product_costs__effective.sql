{#- The unit value of a product before a customer order, per (seller, marketplace, sku) and period:
    the seller's cost from the costs file (manufacturing_cost), and before the first cost row (or when the
    seller gave none) an estimate from the latest fee preview: price less Amazon's estimated fees. -#}
with

costs as (
    select * from {{ ref('stg_lake__product_costs') }}
),

fee_preview as (
    select * from {{ ref('stg_lake__fee_preview') }}
),

costs_ranked as (
    select
        seller_id,
        marketplace_id,
        sku,
        unit_cost_amount,
        currency_code,
        effective_date,
        row_number() over (
            partition by seller_id, marketplace_id, sku, effective_date
            order by _document_created_at desc, _line_number desc
        ) as rank_in_day
    from costs
    where unit_cost_amount is not null
        and effective_date is not null
),

seller_costs as (
    select
        seller_id,
        marketplace_id,
        sku,
        unit_cost_amount,
        currency_code,
        effective_date as effective_from_date,
        lead(effective_date) over (
            partition by seller_id, marketplace_id, sku order by effective_date
        ) as effective_to_date,
        'manufacturing_cost' as valuation_basis
    from costs_ranked
    where rank_in_day = 1
),

first_costs as (
    select
        seller_id,
        marketplace_id,
        sku,
        min(effective_from_date) as first_effective_date
    from seller_costs
    group by seller_id, marketplace_id, sku
),

preview_ranked as (
    select
        seller_id,
        marketplace_id,
        sku,
        currency_code,
        cast(
            coalesce(your_price_amount, sales_price_amount) - coalesce(estimated_fee_total, 0)
            as decimal(18, 2)
        ) as estimate_amount,
        row_number() over (
            partition by seller_id, marketplace_id, sku
            order by snapshot_at desc, _line_number desc
        ) as rank_newest
    from fee_preview
    where coalesce(your_price_amount, sales_price_amount) is not null
),

estimates as (
    select
        preview_ranked.seller_id,
        preview_ranked.marketplace_id,
        preview_ranked.sku,
        preview_ranked.estimate_amount as unit_cost_amount,
        preview_ranked.currency_code,
        cast(null as date) as effective_from_date,
        first_costs.first_effective_date as effective_to_date,
        'estimate' as valuation_basis
    from preview_ranked
    left join first_costs
        on preview_ranked.seller_id = first_costs.seller_id
        and preview_ranked.marketplace_id = first_costs.marketplace_id
        and preview_ranked.sku = first_costs.sku
    where preview_ranked.rank_newest = 1
        and preview_ranked.estimate_amount > 0
),

final as (
    select * from seller_costs
    union all
    select * from estimates
)

select * from final
