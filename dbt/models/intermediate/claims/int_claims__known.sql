{#- Every claim fbaudit knows, one row per claim_id: detected now (int_claims__opportunities), in the register
    (shown by an earlier build), or carried by a recorded action's snapshot. Descriptive columns come from the
    current detection, else the register, else the first action's snapshot; the amounts (quantity,
    unit_value_amount, claim_amount) are those of when the claim was first seen: register, else first action
    snapshot, else the current detection (a rule nets what Amazon pays, so the current detection of a paid
    claim shrinks or vanishes). With the claim: whether the rules still detect it, first_seen_on, the latest
    decisive action (filed, denied, dismissed, reopened; notes decide nothing) and the latest filed case id. -#}
{%- set descriptive = ['seller_id', 'marketplace_id', 'claim_type', 'reference_type', 'reference_id', 'sku',
                       'fnsku', 'asin', 'occurred_date', 'eligible_from_date', 'deadline_date', 'currency_code',
                       'valuation_basis', 'confidence', 'evidence', 'case_text'] -%}
{%- set amounts = ['quantity', 'unit_value_amount', 'claim_amount'] -%}
with

detected as (
    select * from {{ ref('int_claims__opportunities') }}
),

register_lines as (
    select * from {{ ref('stg_claims__register') }}
),

actions as (
    select * from {{ ref('stg_claims__actions') }}
),

{#- a claim is registered once; should a line be repeated, the earliest counts -#}
register_ranked as (
    select
        register_lines.*,
        row_number() over (partition by claim_id order by first_seen_on) as rank_earliest
    from register_lines
),

register as (
    select * from register_ranked where rank_earliest = 1
),

actions_ranked as (
    select
        actions.*,
        row_number() over (partition by claim_id order by recorded_at, action_id) as rank_first
    from actions
),

first_snapshots as (
    select * from actions_ranked where rank_first = 1
),

decisions as (
    select
        claim_id,
        action as decision,
        row_number() over (partition by claim_id order by recorded_at desc, action_id desc) as rank_latest
    from actions
    where action <> 'note'
),

filings as (
    select
        claim_id,
        case_id,
        row_number() over (partition by claim_id order by recorded_at desc, action_id desc) as rank_latest
    from actions
    where action = 'filed'
),

claim_ids as (
    select claim_id from detected
    union
    select claim_id from register
    union
    select claim_id from first_snapshots
),

final as (
    select
        claim_ids.claim_id,
        {%- for column in descriptive %}
        case
            when detected.claim_id is not null then detected.{{ column }}
            when register.claim_id is not null then register.{{ column }}
            else first_snapshots.{{ column }}
        end as {{ column }},
        {%- endfor %}
        {%- for column in amounts %}
        case
            when register.claim_id is not null then register.{{ column }}
            when first_snapshots.claim_id is not null then first_snapshots.{{ column }}
            else detected.{{ column }}
        end as {{ column }},
        {%- endfor %}
        detected.claim_id is not null as is_detected,
        coalesce(register.first_seen_on, cast(first_snapshots.recorded_at as date)) as first_seen_on,
        decisions.decision,
        filings.case_id
    from claim_ids
    left join detected
        on claim_ids.claim_id = detected.claim_id
    left join register
        on claim_ids.claim_id = register.claim_id
    left join first_snapshots
        on claim_ids.claim_id = first_snapshots.claim_id
    left join decisions
        on claim_ids.claim_id = decisions.claim_id
        and decisions.rank_latest = 1
    left join filings
        on claim_ids.claim_id = filings.claim_id
        and filings.rank_latest = 1
)

select * from final
