select
    seller_id, marketplace_id, report, scope, covers_from, covers_to, created_at, landed_at, load_source,
    source_name, row_count
from staging.stg_lake__documents
