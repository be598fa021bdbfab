"""The code location: `dagster dev -m dagster_project.definitions`. Needs dbt/target/manifest.json."""

from __future__ import annotations

import os

import dagster as dg

from .assets.claims import claim_packets, claims_register, deadline_digest_job, deadline_digest_schedule
from .assets.lake import lake_tables
from .assets.reports import dashboards, published_warehouse
from .assets.sp_api import sp_api_reports
from .assets.transform import dbt_models
from .cli import PRIVATE_UMASK
from .jobs import daily_refresh_job
from .resources import RESOURCES
from .schedules import daily_refresh_schedule
from .sensors import inbox_sensor

os.umask(PRIVATE_UMASK)  # `dagster dev` writes the data folder too: its owner's only, as `fbaudit` does

defs = dg.Definitions(
    assets=[sp_api_reports, lake_tables, dbt_models, claims_register, claim_packets, published_warehouse, dashboards],
    jobs=[daily_refresh_job, deadline_digest_job],
    schedules=[daily_refresh_schedule, deadline_digest_schedule],
    sensors=[inbox_sensor],
    resources=RESOURCES,
)
