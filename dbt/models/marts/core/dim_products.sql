{#- One row per product of a seller in a marketplace (seller_id, marketplace_id, sku): its current FNSKU and
    ASIN, title, Amazon's measurements and size tier from the newest fee preview, and the unit value in force
    on the as_of date. -#}
with

identities as (
    select * from {{ ref('int_products__identities') }}
),

fee_preview as (
    select * from {{ ref('stg_lake__fee_preview') }}
),

costs as (
    select * from {{ ref('int_product_costs__effective') }}
),

identities_ranked as (
    select
        identities.*,
        count(*) over (partition by seller_id, marketplace_id, sku) as fnsku_count,
        row_number() over (
            partition by seller_id, marketplace_id, sku
            order by last_seen_date desc, fnsku
        ) as rank_newest
    from identities
),

current_identities as (
    select * from identities_ranked
    where rank_newest = 1
),

previews_ranked as (
    select
        fee_preview.*,
        row_number() over (
            partition by seller_id, marketplace_id, sku
            order by snapshot_at desc, _line_number desc
        ) as rank_newest
    from fee_preview
),

current_previews as (
    select * from previews_ranked
    where rank_newest = 1
),

current_costs as (
    select * from costs
    where (effective_from_date is null or effective_from_date <= {{ as_of_date() }})
        and (effective_to_date is null or effective_to_date > {{ as_of_date() }})
),

final as (
    select
        current_identities.seller_id,
        current_identities.marketplace_id,
        current_identities.sku,
        current_identities.fnsku,
        coalesce(current_identities.asin, current_previews.asin) as asin,
        coalesce(current_previews.product_name, current_identities.title) as title,
        current_previews.product_group,
        current_previews.brand,
        cast(current_identities.fnsku_count as bigint) as fnsku_count,
        current_previews.longest_side,
        current_previews.median_side,
        current_previews.shortest_side,
        current_previews.length_and_girth,
        current_previews.unit_of_dimension,
        current_previews.item_package_weight,
        current_previews.unit_of_weight,
        current_previews.product_size_tier,
        current_previews.snapshot_date as fee_preview_date,
        current_costs.unit_cost_amount,
        current_costs.currency_code as unit_cost_currency_code,
        current_costs.valuation_basis as unit_cost_basis,
        current_costs.effective_from_date as unit_cost_effective_from_date,
        current_identities.first_seen_date,
        current_identities.last_seen_date
    from current_identities
    left join current_previews
        on current_identities.seller_id = current_previews.seller_id
        and current_identities.marketplace_id = current_previews.marketplace_id
        and current_identities.sku = current_previews.sku
    left join current_costs
        on current_identities.seller_id = current_costs.seller_id
        and current_identities.marketplace_id = current_costs.marketplace_id
        and current_identities.sku = current_costs.sku
)

select * from final
