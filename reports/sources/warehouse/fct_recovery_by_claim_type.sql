select
    claim_type, currency_code, found_count, found_amount, recovered_amount, still_owed_amount, expired_amount,
    recovery_rate
from marts.fct_recovery_by_claim_type
