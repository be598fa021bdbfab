"""Schedules."""

from __future__ import annotations

import dagster as dg

from .jobs import daily_refresh_job

# Runs the daily refresh without a partition: its SP-API pull requests what the ledger says is due (see
# assets/sp_api.py), as `fbaudit run` and the inbox sensor do.
daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh_schedule",
    job=daily_refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
)
