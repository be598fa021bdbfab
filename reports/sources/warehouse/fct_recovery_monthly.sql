select
    month_start_date, seller_id, marketplace_id, claim_type, currency_code, found_count, found_amount,
    claimable_amount, expired_amount, recovered_amount
from marts.fct_recovery_monthly
