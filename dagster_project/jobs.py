"""Jobs."""

from __future__ import annotations

import dagster as dg

daily_refresh_job = dg.define_asset_job(
    "daily_refresh_job",
    selection=dg.AssetSelection.all(),
    description="Pull what the ingestion ledger says is due from the SP-API (when a sellers file exists), land "
                "what is new in the inbox, then build and test the warehouse. Run without a partition: the pull "
                "takes what is due; a partition range pulls those days' windows.",
)
