select
    seller_id, marketplace_id, currency_code, claims_found, found_amount, claimable_amount,
    claims_at_risk_this_week, at_risk_this_week_amount, recovered_amount, expired_amount,
    recovery_service_fee_amount
from marts.fct_claim_overview
