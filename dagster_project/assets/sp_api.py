"""The SP-API pull as assets: ["sp_api", <report>] for every report fbaudit requests from Amazon, partitioned
by day. Upstream of the lake: sp_api/<report> → lake/<report> → staging.

- A run for a range of days (a backfill is one run: BackfillPolicy.single_run) requests the API windows
  overlapping it that the ingestion ledger says are due: windows are whole months, so a range maps to the
  months it touches; covered windows are not requested again, except the most recent ones.
- A run without a partition (the daily schedule, the inbox sensor, `fbaudit run`) pulls everything the ledger
  says is due, whatever its age: missing and failed windows, the recent ones, today's snapshots.
- No sellers file (file-drop-only users): nothing is pulled, and the log says so.

The partitions start on PULL_START, fixed: a partition key must not move with the calendar, and the longest
look-back in the catalog (financial events, 730 days) from the first release reaches back no further. Days
before a report's own look-back hold no windows: their runs request nothing for that report. Pulled documents
land in the lake in the same step (one writer at a time: the DuckDB pool). Rate limits are shared with any
other pull through files under $FBAUDIT_DATA_DIR/ledger/limits.
"""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from ingestion.catalog import REPORTS
from ingestion.settings import load_settings
from ingestion.sp_api import PullSummary, pull
from ingestion.sp_api.pull import pullable

from ..resources import WRITER_POOL

SP_API = "sp_api"
PULL_START = "2024-01-01"
EVERY_WINDOW_PULLED = "every_window_pulled"
PULLED = [spec for spec in REPORTS if pullable(spec)]
days = dg.DailyPartitionsDefinition(start_date=PULL_START, end_offset=1)  # today included


def sp_api_key(report: str) -> dg.AssetKey:
    return dg.AssetKey([SP_API, report])


@dg.multi_asset(
    name="pull_sp_api",
    specs=[
        dg.AssetSpec(sp_api_key(spec.name), group_name=SP_API, kinds={"python"},
                     description=f"{spec.report_type} pulled from the SP-API into the lake.")
        for spec in PULLED
    ],
    check_specs=[
        dg.AssetCheckSpec(EVERY_WINDOW_PULLED, asset=sp_api_key(spec.name),
                          description="No window of this report failed or is still processing.")
        for spec in PULLED
    ],
    partitions_def=days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def sp_api_reports(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Request what the ledger says is due from the SP-API and land it."""
    settings = load_settings()
    since = until = None
    if context.has_partition_key or context.has_partition_key_range:
        days_asked = context.partition_key_range
        since, until = date.fromisoformat(days_asked.start), date.fromisoformat(days_asked.end)
        context.log.info(f"pulling the API windows due from {since} to {until}")
    if not settings.sellers_file.exists():
        context.log.info(f"no sellers file at {settings.sellers_file}: nothing to pull (file drop only)")
        summary = PullSummary([], [])
    else:
        summary = pull(settings, since=since, until=until, progress=context.log.info)
        for line in summary.lines():
            (context.log.warning if line.startswith("  ") else context.log.info)(line)
    for spec in PULLED:
        entries = [e for e in summary.entries if e.report == spec.name]
        problems = [e.describe() for e in entries if e.state in ("failed", "fatal", "requested")]
        yield dg.MaterializeResult(
            asset_key=sp_api_key(spec.name),
            metadata={
                "windows": len(entries),
                "rows_landed": sum(e.rows or 0 for e in entries if e.landing == "landed"),
            },
            check_results=[
                dg.AssetCheckResult(asset_key=sp_api_key(spec.name), check_name=EVERY_WINDOW_PULLED,
                                    passed=not problems,
                                    severity=dg.AssetCheckSeverity.ERROR, metadata={"windows": problems})
            ],
        )


def pull_problems(result: dg.ExecuteInProcessResult) -> list[str]:
    """The windows a run's pull left failed or still processing."""
    return [
        line
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == EVERY_WINDOW_PULLED and not evaluation.passed
        for line in evaluation.metadata["windows"].value
    ]
