select
    claim_id, seller_id, marketplace_id, claim_type, reference_type, reference_id, sku, fnsku, asin,
    occurred_date, eligible_from_date, deadline_date, quantity, unit_value_amount, claim_amount, currency_code,
    valuation_basis, confidence, status, reimbursed_amount, remaining_amount, case_id, evidence, case_text
from marts.fct_claim_opportunities
