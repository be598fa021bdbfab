"""The lake as assets, keyed like dagster-dbt's source keys: ["lake", <report>] for every report in the
catalog, ["lake", "_documents"], the register of landed documents, and ["lake", "_quarantine"], the
files landing refused. A report pulled from the SP-API
depends on its ["sp_api", <report>] asset, which lands its documents (assets/sp_api.py).

One step lands the whole inbox (landing is per file, not per report) and reports per report. A
quarantined file does not stop the other files or the dbt build: it is logged as a warning and fails the
quarantine register's `no_quarantined_files` check (severity ERROR), so the run shows it; the Dagster
run itself still succeeds. `fbaudit run` exits non-zero when any file was quarantined.
"""

from collections.abc import Iterator, Sequence

import dagster as dg

from ingestion.catalog import REPORTS
from ingestion.lake import DOCUMENTS, QUARANTINE
from ingestion.land import LandingResult, land_inbox
from ingestion.settings import load_settings
from ingestion.sp_api.pull import pullable

from ..resources import WRITER_POOL
from .sp_api import sp_api_key

LAKE_SOURCE = "lake"  # the dbt source name: dagster-dbt keys its tables [source, table]
NO_QUARANTINED_FILES = "no_quarantined_files"


def lake_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([LAKE_SOURCE, table])


def landing_metadata(results: Sequence[LandingResult]) -> dict[str, int]:
    """What landing did with these files, in the user's terms."""
    landed = [r for r in results if r.status == "landed"]
    return {
        "documents_landed": len(landed),
        "duplicates": sum(r.status == "duplicate" for r in results),
        "rows": sum(r.rows or 0 for r in landed),
        "quarantined": sum(r.status == "quarantined" for r in results),
    }


def quarantined_files(results: Sequence[LandingResult]) -> list[str]:
    """"<file>: <error>" then "error file: <path>" for every quarantined file."""
    return [f"{r.path}: {r.error}\nerror file: {r.error_file}" for r in results if r.status == "quarantined"]


@dg.multi_asset(
    name="land_inbox",
    specs=[
        dg.AssetSpec(lake_key(spec.name), group_name="lake", kinds={"python", "parquet"},
                     description=spec.description, deps=[sp_api_key(spec.name)] if pullable(spec) else [])
        for spec in REPORTS
    ] + [
        dg.AssetSpec(lake_key(DOCUMENTS), group_name="lake", kinds={"python", "parquet"},
                     description="One row per landed document: what it covers, where it came from."),
        dg.AssetSpec(lake_key(QUARANTINE), group_name="lake", kinds={"python", "parquet"},
                     description="One row per file landing refused: its error and where it was moved."),
    ],
    check_specs=[
        dg.AssetCheckSpec(NO_QUARANTINED_FILES, asset=lake_key(QUARANTINE),
                          description="Every file found in the inbox was landed or had been landed before."),
    ],
    pool=WRITER_POOL,
)
def lake_tables(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Land everything new in the inbox into the Parquet lake."""
    results = land_inbox(load_settings(), progress=context.log.info)
    problems = quarantined_files(results)
    for problem in problems:
        context.log.warning(f"quarantined {problem}")
    for spec in REPORTS:
        yield dg.MaterializeResult(
            asset_key=lake_key(spec.name),
            metadata=landing_metadata([r for r in results if r.report == spec.name]),
        )
    yield dg.MaterializeResult(asset_key=lake_key(DOCUMENTS), metadata=landing_metadata(results))
    yield dg.MaterializeResult(
        asset_key=lake_key(QUARANTINE),
        metadata=landing_metadata([r for r in results if r.status == "quarantined"]),
        check_results=[
            dg.AssetCheckResult(
                check_name=NO_QUARANTINED_FILES,
                passed=not problems,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"quarantined_files": problems},
            )
        ],
    )
