"""The `fbaudit` console script."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from ingestion.catalog import marketplace
from ingestion.settings import Settings, load_settings

INSTANCE_CONFIG = Path(__file__).with_name("dagster.yaml")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-28: {text!r}") from None


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def marketplace_code(text: str) -> str:
    try:
        return marketplace(text).code
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {text}")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fbaudit", description="Amazon FBA reimbursement auditor.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="land what is new in the inbox and build the warehouse")
    run.add_argument("--as-of", type=iso_date, metavar="DATE",
                     help="the date the pipeline treats as today (overrides FBAUDIT_AS_OF)")

    ingest = commands.add_parser("ingest", help="land Seller Central downloads (files or folders)")
    ingest.add_argument("--seller", required=True, metavar="ID", help="the seller id the files belong to")
    ingest.add_argument("--marketplace", required=True, type=marketplace_code, metavar="CODE",
                        help="the marketplace's country code: US, CA, UK, DE ...")
    ingest.add_argument("paths", nargs="+", type=existing_path, metavar="PATH")

    demo = commands.add_parser("demo", help="write a simulated seller's documents into the inbox")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--skus", type=positive_int, default=24)
    demo.add_argument("--days", type=positive_int, default=300)
    demo.add_argument("--sellers", type=positive_int, default=1)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        parser.error(str(error))
    command = {"run": run, "ingest": ingest, "demo": demo}[args.command]
    return command(settings, args)


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.as_of:
        settings = replace(settings, as_of=args.as_of)
    settings.export()
    started = time.monotonic()
    print(f"fbaudit run: as of {settings.as_of}, data in {settings.data_dir}", flush=True)
    if not ensure_manifest():
        return 1
    dagster_home = settings.data_dir / ".dagster"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(dagster_home)

    import dagster as dg  # late: importing the definitions needs the manifest

    from .definitions import defs
    from .jobs import daily_refresh_job
    from .project import dbt_project
    from .summary import failure_reason, format_summary, landing_by_table, quarantined, staging_row_counts

    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(daily_refresh_job.name).execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    problems = quarantined(result)
    rows = staging_row_counts(settings.warehouse_path, dbt_project.manifest_path) if result.success else {}
    print(format_summary(landing_by_table(result), rows, problems, settings.quarantine_dir))
    print(f"Run {result.run_id} took {time.monotonic() - started:.0f} s; see it with "
          f"DAGSTER_HOME={dagster_home} dagster dev -m dagster_project.definitions")
    reason = failure_reason(result) or (
        f"{len(problems)} file(s) quarantined, see {settings.quarantine_dir}" if problems else None
    )
    if reason:
        print(f"fbaudit run failed: {reason}", file=sys.stderr)
        return 1
    return 0


def ensure_manifest() -> bool:
    """Run `dbt parse` when the manifest is missing or older than a file of the dbt project."""
    from .project import DBT_DIR, dbt_project
    from .resources import DBT_EXECUTABLE

    manifest = dbt_project.manifest_path
    sources = [p for p in DBT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".yaml", ".csv", ".md"}
               and p.relative_to(DBT_DIR).parts[0] not in {"target", "dbt_packages", "logs"}]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return True
    print("parsing the dbt project ...", flush=True)
    done = subprocess.run(
        [DBT_EXECUTABLE, "parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        print(f"fbaudit run failed: dbt parse exited {done.returncode} (output above)", file=sys.stderr)
        return False
    return True


def ingest(settings: Settings, args: argparse.Namespace) -> int:
    from ingestion.land import land_paths

    results = land_paths(
        args.paths, seller_id=args.seller, marketplace_code=args.marketplace, settings=settings
    )
    for r in results:
        print(r.describe())
    counts = {s: sum(r.status == s for r in results) for s in ("landed", "duplicate", "quarantined")}
    print(f"{len(results)} files: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    if counts["quarantined"]:
        print(f"fbaudit ingest: {counts['quarantined']} file(s) quarantined; error files in "
              f"{settings.quarantine_dir}", file=sys.stderr)
        return 1
    return 0


def demo(settings: Settings, args: argparse.Namespace) -> int:
    from ingestion.demo import generate

    result = generate(settings, seed=args.seed, skus=args.skus, days=args.days, sellers=args.sellers)
    print(f"wrote {result.documents} documents into {settings.inbox_dir} (as of {settings.as_of}):")
    for report, files in sorted(result.files_by_report.items()):
        print(f"  {report:<28}{files:>6} files{result.rows_by_report.get(report, 0):>12,} rows")
    print(f"ground truth: {result.truth_rows} claims in {settings.ground_truth_path}")
    return 0
