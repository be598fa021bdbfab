{#- Every claim naming a SKU names a product of dim_products (same seller and marketplace), so claim pages
    can show its title, measurements and cost. Money-only claims without a SKU are not checked. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_claim_opportunities'}}}) }}  {#- shown in Dagster as a check of this mart -#}
with

claims as (
    select * from {{ ref('fct_claim_opportunities') }}
    where sku is not null
),

products as (
    select * from {{ ref('dim_products') }}
),

final as (
    select claims.*
    from claims
    left join products
        on claims.seller_id = products.seller_id
        and claims.marketplace_id = products.marketplace_id
        and claims.sku = products.sku
    where products.sku is null
)

select * from final
