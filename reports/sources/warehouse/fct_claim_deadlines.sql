select claim_id, as_of_date, days_left, is_at_risk_this_week
from marts.fct_claim_deadlines
