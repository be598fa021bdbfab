{#- Each FNSKU-month's storage charge (storage fee report, all its FC rows added up) next to the fee from the
    true inputs: item_volume = round_half_up(L x M x S cm3 / 28316.846592 (cubic feet) or / 1 000 000 (cubic
    meters), 6) from the fee preview's dimensions; average = round_half_up(sum over the month's days of the
    ledger summary's Ending Warehouse Balance, all dispositions, / days in the month, 2) (days without summary
    rows count 0); rate = storage_fee_rates for the true tier's size class and the charge month, card in force
    on the month's first day; fee = round_half_up(average x volume x rate, 2). Divisions are cast to
    DECIMAL(38,10) before round() so DuckDB and Spark round the same decimal half away from zero.
    Months without any ledger summary row for the FNSKU are left out (nothing to check against). -#}
with

storage_fees as (
    select * from {{ ref('stg_lake__storage_fees') }}
),

ledger_summary as (
    select * from {{ ref('stg_lake__ledger_summary') }}
),

size_tiers as (
    select * from {{ ref('int_fees__size_tiers') }}
),

storage_rates as (
    select * from {{ ref('storage_fee_rates') }}
),

charges as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        month_of_charge,
        max(asin) as asin,
        max(currency_code) as currency_code,
        max(fulfillment_center) as fulfillment_center,
        max(longest_side) as amazon_longest_side,
        max(median_side) as amazon_median_side,
        max(shortest_side) as amazon_shortest_side,
        max(measurement_units) as amazon_measurement_units,
        max(item_volume) as amazon_item_volume,
        max(volume_units) as amazon_volume_units,
        max(product_size_tier) as amazon_size_tier,
        max(storage_rate) as amazon_storage_rate,
        cast(sum(average_quantity_on_hand) as decimal(18, 2)) as amazon_average_quantity,
        cast(sum(estimated_monthly_storage_fee) as decimal(18, 2)) as charged_fee_amount
    from storage_fees
    group by seller_id, marketplace_id, fnsku, month_of_charge
),

months as (
    select
        *,
        cast({{ dbt.concat(['month_of_charge', "'-01'"]) }} as date) as month_start_date
    from charges
),

next_months as (
    select
        *,
        cast({{ dbt.dateadd('month', 1, 'month_start_date') }} as date) as next_month_start_date
    from months
),

month_bounds as (
    select
        *,
        cast({{ dbt.dateadd('day', -1, 'next_month_start_date') }} as date) as month_end_date
    from next_months
),

daily_balances as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        summary_date,
        sum(ending_warehouse_balance) as ending_balance
    from ledger_summary
    group by seller_id, marketplace_id, fnsku, summary_date
),

monthly_balances as (
    select
        month_bounds.seller_id,
        month_bounds.marketplace_id,
        month_bounds.fnsku,
        month_bounds.month_of_charge,
        sum(daily_balances.ending_balance) as balance_days
    from month_bounds
    inner join daily_balances
        on month_bounds.seller_id = daily_balances.seller_id
        and month_bounds.marketplace_id = daily_balances.marketplace_id
        and month_bounds.fnsku = daily_balances.fnsku
        and daily_balances.summary_date >= month_bounds.month_start_date
        and daily_balances.summary_date < month_bounds.next_month_start_date
    group by month_bounds.seller_id, month_bounds.marketplace_id, month_bounds.fnsku, month_bounds.month_of_charge
),

true_inputs as (
    select
        month_bounds.*,
        round(cast(monthly_balances.balance_days
                   / {{ dbt.datediff('month_bounds.month_start_date', 'month_bounds.next_month_start_date', 'day') }}
                   as decimal(38, 10)), 2) as true_average_quantity,
        size_tiers.sku,
        size_tiers.longest_side_cm,
        size_tiers.median_side_cm,
        size_tiers.shortest_side_cm,
        size_tiers.size_tier,
        size_tiers.storage_size_class
    from month_bounds
    inner join monthly_balances
        on month_bounds.seller_id = monthly_balances.seller_id
        and month_bounds.marketplace_id = monthly_balances.marketplace_id
        and month_bounds.fnsku = monthly_balances.fnsku
        and month_bounds.month_of_charge = monthly_balances.month_of_charge
    inner join size_tiers
        on month_bounds.seller_id = size_tiers.seller_id
        and month_bounds.marketplace_id = size_tiers.marketplace_id
        and month_bounds.fnsku = size_tiers.fnsku
        and month_bounds.month_end_date >= size_tiers.effective_from_date
        and (size_tiers.effective_to_date is null or month_bounds.month_end_date <= size_tiers.effective_to_date)
),

rated as (
    select
        true_inputs.*,
        storage_rates.rate_per_volume_unit as true_storage_rate,
        storage_rates.volume_unit,
        round(cast(cast(true_inputs.longest_side_cm * true_inputs.median_side_cm * true_inputs.shortest_side_cm
                        as decimal(38, 6))
                   / case storage_rates.volume_unit
                       when 'cubic feet' then cast(28316.846592 as decimal(18, 6))
                       when 'cubic meters' then cast(1000000 as decimal(18, 6))
                     end
                   as decimal(38, 10)), 6) as true_item_volume
    from true_inputs
    inner join storage_rates
        on true_inputs.marketplace_id = storage_rates.marketplace_id
        and true_inputs.storage_size_class = storage_rates.storage_size_class
        and extract(month from true_inputs.month_start_date) >= storage_rates.month_from
        and extract(month from true_inputs.month_start_date) <= storage_rates.month_to
        and true_inputs.month_start_date >= storage_rates.effective_from_date
        and (storage_rates.effective_to_date is null or true_inputs.month_start_date <= storage_rates.effective_to_date)
),

final as (
    select
        seller_id,
        marketplace_id,
        fnsku,
        sku,
        asin,
        month_of_charge,
        month_start_date,
        month_end_date,
        currency_code,
        fulfillment_center,
        amazon_longest_side,
        amazon_median_side,
        amazon_shortest_side,
        amazon_measurement_units,
        amazon_item_volume,
        amazon_volume_units,
        amazon_size_tier,
        amazon_average_quantity,
        amazon_storage_rate,
        charged_fee_amount,
        longest_side_cm as true_longest_side_cm,
        median_side_cm as true_median_side_cm,
        shortest_side_cm as true_shortest_side_cm,
        size_tier as true_size_tier,
        true_item_volume,
        volume_unit,
        true_average_quantity,
        true_storage_rate,
        cast(round(cast(true_average_quantity as decimal(38, 2)) * true_item_volume * true_storage_rate, 2)
             as decimal(18, 2)) as expected_fee_amount
    from rated
)

select * from final
