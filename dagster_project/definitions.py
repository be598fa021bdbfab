"""The code location: `dagster dev -m dagster_project.definitions`. Needs dbt/target/manifest.json."""

from __future__ import annotations

import dagster as dg

from .assets.lake import lake_tables
from .assets.reports import dashboards, published_warehouse
from .assets.transform import dbt_models
from .jobs import daily_refresh_job
from .resources import RESOURCES
from .schedules import daily_refresh_schedule
from .sensors import inbox_sensor

defs = dg.Definitions(
    assets=[lake_tables, dbt_models, published_warehouse, dashboards],
    jobs=[daily_refresh_job],
    schedules=[daily_refresh_schedule],
    sensors=[inbox_sensor],
    resources=RESOURCES,
)
