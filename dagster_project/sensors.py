"""The file-drop sensor: a run when the inbox holds files it has not seen in that state before."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from ingestion.settings import load_settings

from .jobs import daily_refresh_job


def inbox_fingerprint(inbox: Path) -> str | None:
    """A digest of every file's path, size and mtime under `inbox`; None when it holds no files.

    Hidden files (names starting with ".") are skipped: they are usually copies still being written."""
    if not inbox.is_dir():
        return None
    entries = []
    for path in sorted(inbox.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            entries.append(f"{path.relative_to(inbox)}\t{stat.st_size}\t{stat.st_mtime_ns}")
    if not entries:
        return None
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


@dg.sensor(
    name="inbox_sensor",
    job=daily_refresh_job,
    minimum_interval_seconds=60,
    description="Requests a refresh when files appear or change in $FBAUDIT_DATA_DIR/inbox.",
)
def inbox_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    inbox = load_settings().inbox_dir
    fingerprint = inbox_fingerprint(inbox)
    if fingerprint is None:
        return dg.SkipReason(f"no files in {inbox}")
    if fingerprint == context.cursor:
        return dg.SkipReason(f"nothing changed in {inbox}")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
