select
    seller_id, marketplace_id, scope, report, gap_from_date, gap_to_date, days, last_covered_date,
    is_blocking_claims, may_be_quiet_days
from marts.fct_coverage_gaps
