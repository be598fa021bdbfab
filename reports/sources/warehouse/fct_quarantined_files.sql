select seller_id, marketplace_id, file_name, error, quarantined_at, is_resolved, resolved_at
from marts.fct_quarantined_files
