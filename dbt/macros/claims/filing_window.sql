{#- A whole select: every column of `relation` (claims with claim_type, marketplace_id and occurred_date)
    plus eligible_from_date and deadline_date from the claim_policies row in force on occurred_date (a
    marketplace code row wins over its region's row; docs/claims.md "Policy is data"). One home for the filing
    window: the detected claims and the reimbursement_short follow-ups both use it. -#}
{% macro filing_window(relation) -%}
    select
        with_policy.*,
        cast({{ dbt.dateadd('day', 'waiting_days', 'occurred_date') }} as date) as eligible_from_date,
        cast({{ dbt.dateadd('day', 'window_days', 'occurred_date') }} as date) as deadline_date
    from (
        select
            claims.*,
            coalesce(marketplace_policies.waiting_days, region_policies.waiting_days) as waiting_days,
            coalesce(marketplace_policies.window_days, region_policies.window_days) as window_days
        from {{ relation }} as claims
        left join {{ ref('marketplaces') }} as marketplaces
            on claims.marketplace_id = marketplaces.marketplace_id
        left join {{ ref('claim_policies') }} as marketplace_policies
            on claims.claim_type = marketplace_policies.claim_type
            and marketplaces.code = marketplace_policies.policy_scope
            and (
                marketplace_policies.effective_from_date is null
                or claims.occurred_date >= marketplace_policies.effective_from_date
            )
            and (
                marketplace_policies.effective_to_date is null
                or claims.occurred_date < marketplace_policies.effective_to_date
            )
        left join {{ ref('claim_policies') }} as region_policies
            on claims.claim_type = region_policies.claim_type
            and marketplaces.region = region_policies.policy_scope
            and (
                region_policies.effective_from_date is null
                or claims.occurred_date >= region_policies.effective_from_date
            )
            and (
                region_policies.effective_to_date is null
                or claims.occurred_date < region_policies.effective_to_date
            )
    ) as with_policy
{%- endmacro %}
