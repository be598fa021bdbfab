"""Schedules."""

from __future__ import annotations

import dagster as dg

from .jobs import daily_refresh_job

daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh_schedule",
    job=daily_refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
)
