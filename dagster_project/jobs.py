"""Jobs."""

from __future__ import annotations

import dagster as dg

daily_refresh_job = dg.define_asset_job(
    "daily_refresh_job",
    selection=dg.AssetSelection.all(),
    description="Land what is new in the inbox, then build and test the warehouse.",
)
