select
    reimbursement_id, original_reimbursement_id, seller_id, marketplace_id, approved_date, is_reversal,
    reason_code, fnsku, currency_code, cash_amount, inventory_value_amount, reimbursed_value_amount,
    claim_id, claim_type
from marts.fct_reimbursements
