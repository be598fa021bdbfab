"""The `fbaudit` console script."""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from ingestion.catalog import marketplace
from ingestion.settings import Settings, load_settings

from .claims_cli import add_claims_parser, run_claims

INSTANCE_CONFIG = Path(__file__).with_name("dagster.yaml")
RUN_LOG = "last-run.log"  # in DAGSTER_HOME: the console output of the latest run's Dagster and dbt logs
RUN_LOCK = ".run.lock"  # in the data folder: one `fbaudit run` at a time; it holds the holder's pid
# All fbaudit writes (lake, warehouse, ledger, claims, Dagster's storage) is readable by its owner only.
PRIVATE_UMASK = 0o077


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

    run = commands.add_parser("run", help="pull what is due from the SP-API (with a sellers file), land what is "
                                        "new in the inbox and build the warehouse")
    run.add_argument("--as-of", type=iso_date, metavar="DATE",
                     help="the date the pipeline treats as today (overrides FBAUDIT_AS_OF)")
    run.add_argument("--no-dashboards", action="store_true",
                     help="build everything but the Evidence site (tests and benchmarks that do not look at it)")
    run.add_argument("--full-refresh", action="store_true",
                     help="build every table in full, the incremental staging tables too (they are rebuilt in "
                          "full anyway when the dbt project changes)")
    run.add_argument("--verbose", action="store_true",
                     help="show Dagster's and dbt's whole log on the console, not only progress")
    run.add_argument("--wait", type=positive_int, metavar="SECONDS",
                     help="while another run holds this data folder, wait at most this long (default: until "
                          "it ends)")

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
    demo.add_argument("--no-reports", action="store_true",
                      help="write only the ground truth and the seller's own files (reports come from the "
                           "SP-API emulator)")

    pull = commands.add_parser("pull", help="request what is due from the SP-API for the sellers file")
    pull.add_argument("--seller", metavar="ID", help="only this seller")
    pull.add_argument("--since", type=iso_date, metavar="DATE",
                      help="request windows from this date (default: each report's look-back)")
    pull.add_argument("--gaps", action="store_true",
                      help="only list the windows not covered; request nothing")

    emulator = commands.add_parser("emulator", help="serve the demo sellers through the SP-API emulator on "
                                                    "127.0.0.1 until stopped")
    emulator.add_argument("--port", type=int, default=0, help="the port (default: any free one, printed)")
    emulator.add_argument("--seed", type=int, default=7)
    emulator.add_argument("--skus", type=positive_int, default=24)
    emulator.add_argument("--days", type=positive_int, default=300)
    emulator.add_argument("--sellers", type=positive_int, default=1)
    emulator.add_argument("--sellers-file", type=Path, metavar="PATH",
                          help="write a sellers file for the emulator's sellers (endpoint = its URL)")
    add_claims_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        parser.error(str(error))
    command = {"run": run, "ingest": ingest, "demo": demo, "pull": pull, "emulator": emulator,
               "claims": run_claims}[args.command]
    return command(settings, args)


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.as_of:
        settings = replace(settings, as_of=args.as_of)
    settings.export()
    with run_lock(settings.data_dir, args.wait) as locked:
        if not locked:
            return 1
        return run_locked(settings, args)


def run_locked(settings: Settings, args: argparse.Namespace) -> int:
    started, started_at = time.monotonic(), time.time()
    print(f"fbaudit run: as of {settings.as_of}, data in {settings.data_dir}", flush=True)
    if not ensure_manifest() or not usable_warehouse(settings.warehouse_path):
        return 1
    if settings.sellers_file.exists():
        print(f"pulling what is due from the SP-API for the sellers in {settings.sellers_file} ...", flush=True)
    dagster_home = settings.data_dir / ".dagster"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_CONFIG, dagster_home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(dagster_home)

    import dagster as dg  # late: importing the definitions needs the manifest

    from .assets.reports import DASHBOARDS_KEY
    from .assets.sp_api import pull_problems
    from .assets.transform import dbt_models
    from .definitions import defs
    from .jobs import daily_refresh_job
    from .project import dbt_project
    from .summary import (
        RunProgress,
        claims_summary,
        dbt_failures,
        failure_reason,
        format_summary,
        landing_by_table,
        quarantined,
        staging_row_counts,
    )

    run_log = dagster_home / RUN_LOG
    run_id = str(uuid.uuid4())
    with dg.DagsterInstance.get() as instance, \
            (nullcontext(sys.stdout) if args.verbose else console_only(run_log)) as console:
        instance.add_event_listener(run_id, RunProgress(console))
        job = defs.resolve_job_def(daily_refresh_job.name)
        selection = None
        if args.no_dashboards:
            selection = [k for k in defs.resolve_asset_graph().executable_asset_keys if k != DASHBOARDS_KEY]
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            asset_selection=selection,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}},
                        "ops": {dbt_models.op.name: {"config": {"full_refresh": args.full_refresh}}}},
        )
    problems = quarantined(result)
    unpulled = pull_problems(result)
    if unpulled:
        print("SP-API windows not pulled (the next run requests them again):\n"
              + "\n".join(f"  {line}" for line in unpulled))
    rows = staging_row_counts(settings.warehouse_path, dbt_project.manifest_path) if result.success else {}
    print()
    print(format_summary(landing_by_table(result), rows, problems, settings.quarantine_dir))
    if result.success:
        print("\n".join(claims_summary(settings.warehouse_path, settings.as_of)))
    print()
    print(f"Done in {time.monotonic() - started:.0f} s. Next: the warehouse is {settings.warehouse_path} "
          f"(duckdb -readonly); `{make_dagster(settings)}` opens the Dagster UI with this run's full logs.")
    reason = failure_reason(result) or (
        f"{len(problems)} file(s) quarantined, see {settings.quarantine_dir}" if problems else None
    ) or (f"pull: {len(unpulled)} window(s) failed or still processing" if unpulled else None)
    if reason:
        failures = dbt_failures(result, dagster_home / "dbt_target" / "run_results.json", started_at)
        if failures:
            print("dbt build failed on:\n" + "\n".join(f"  {line}" for line in failures), file=sys.stderr)
        if not args.verbose and not result.success:
            print(f"the whole log of this run: {run_log}", file=sys.stderr)
        print(f"fbaudit run failed: {reason}", file=sys.stderr)
        return 1
    return 0


@contextmanager
def run_lock(data_dir: Path, wait: int | None) -> Iterator[bool]:
    """Hold the data folder's run lock (released when this process ends, however it ends); while another run
    holds it, say so and wait for it, at most `wait` seconds. Yields False when the wait timed out."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / RUN_LOCK, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            print(f"another fbaudit run is in progress (pid {holder}) in {data_dir}; waiting for it to end "
                  f"...", file=sys.stderr, flush=True)
            deadline = time.monotonic() + wait if wait else None
            while not _try_lock(lock):
                if deadline is not None and time.monotonic() > deadline:
                    print(f"fbaudit run: gave up after {wait} s: run {holder} still holds {lock.name}",
                          file=sys.stderr)
                    yield False
                    return
                time.sleep(0.5)
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield True


def _try_lock(lock: TextIO) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def usable_warehouse(path: Path) -> bool:
    """Read every table of the warehouse (DuckDB checks each block's checksum). An unreadable warehouse is
    moved aside to <name>.corrupt-<UTC stamp> (its WAL with it) and rebuilt from the lake: it is derived data,
    the lake, the ledger and the claims files are the truth. False when another process holds it."""
    import duckdb

    if not path.exists():
        return True
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
            for schema, table in tables:
                con.execute(f'select count(hash(t)) from "{schema}"."{table}" t').fetchall()
        return True
    except duckdb.Error as error:
        if "Could not set lock" in str(error):
            print(f"fbaudit run failed: another program has the warehouse {path} open for writing ({error}); "
                  f"close it (or wait for it) and run again", file=sys.stderr)
            return False
        aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        for suffix in ("", ".wal"):
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        print(f"the warehouse {path} is unreadable ({str(error).splitlines()[0]}); moved it to {aside}, "
              f"rebuilding it from the lake", flush=True)
        return True


@contextmanager
def console_only(log_path: Path) -> Iterator[TextIO]:
    """Send all this process writes to stdout and stderr (Dagster's and dbt's logs, child processes included)
    to `log_path`; yield a stream to the real console for progress lines."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    with log_path.open("w", encoding="utf-8") as log, os.fdopen(os.dup(1), "w", buffering=1) as console:
        try:
            for fd in saved:
                os.dup2(log.fileno(), fd)
            yield console
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)


def make_dagster(settings: Settings) -> str:
    from .project import REPO_ROOT

    default = settings.data_dir.resolve() == (REPO_ROOT / "data").resolve()
    return "make dagster" if default else f"FBAUDIT_DATA_DIR={settings.data_dir} make dagster"


def ensure_manifest() -> bool:
    """Run `dbt parse` when the manifest is missing or older than a file of the dbt project."""
    from .project import DBT_DIR, dbt_project
    from .resources import DBT_EXECUTABLE

    manifest = dbt_project.manifest_path
    partial_parse = manifest.with_name("partial_parse.msgpack")
    if partial_parse.exists():  # dagster-dbt copies it, mode included, into the data folder: owner-only too
        partial_parse.chmod(0o600)
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

    # under the run lock: a build must see every document landed before the newest one it reads, as the
    # incremental staging tables take the documents landed after that one as the new ones
    with run_lock(settings.data_dir, None):
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

    if args.no_reports:
        return demo_without_reports(settings, args)
    result = generate(settings, seed=args.seed, skus=args.skus, days=args.days, sellers=args.sellers)
    print(f"wrote {result.documents} documents into {settings.inbox_dir} (as of {settings.as_of}):")
    for report, files in sorted(result.files_by_report.items()):
        print(f"  {report:<28}{files:>6} files{result.rows_by_report.get(report, 0):>12,} rows")
    print(f"ground truth: {result.truth_rows} claims in {settings.ground_truth_path}")
    return 0


def demo_without_reports(settings: Settings, args: argparse.Namespace) -> int:
    """The demo's ground truth and the seller's own files only: its report documents come through the
    SP-API emulator, which simulates the same seller from the same arguments."""
    from ingestion.catalog import get
    from ingestion.demo import simulate
    from ingestion.demo.truth import write_truth

    simulation = simulate(settings.as_of, seed=args.seed, skus=args.skus, days=args.days,
                          sellers=args.sellers)
    own = [d for d in simulation.documents if get(d.report).source == "seller_file"]
    for document in own:
        document.write(settings.inbox_dir)
    truth_rows = write_truth(settings.ground_truth_path, simulation.truth)
    print(f"wrote the seller's own files ({len(own)}) into {settings.inbox_dir} (as of {settings.as_of}); "
          f"the report documents come from the SP-API (fbaudit pull)")
    print(f"ground truth: {truth_rows} claims in {settings.ground_truth_path}")
    return 0


def pull(settings: Settings, args: argparse.Namespace) -> int:
    from ingestion.sp_api import SellersFileError
    from ingestion.sp_api import pull as pull_due
    from ingestion.sp_api.pull import uncovered

    try:
        if args.gaps:
            lines = uncovered(settings, seller=args.seller, since=args.since)
            print("\n".join(lines) if lines else "every window is covered")
            return 1 if lines else 0
        summary = pull_due(settings, seller=args.seller, since=args.since,
                           progress=lambda line: print(line, flush=True))
    except (SellersFileError, ValueError) as error:
        print(f"fbaudit pull: {error}", file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    if summary.failures:
        print(f"fbaudit pull failed: {len(summary.failures)} window(s) failed (listed above); "
              f"the next pull requests them again", file=sys.stderr)
        return 1
    return 0


def emulator(settings: Settings, args: argparse.Namespace) -> int:
    """Serve in the foreground until SIGINT or SIGTERM."""
    import signal
    import threading

    from ingestion.emulator import start

    print(f"simulating {args.sellers} demo seller(s) as of {settings.as_of} ...", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    with start(seed=args.seed, skus=args.skus, days=args.days, sellers=args.sellers, as_of=settings.as_of,
               port=args.port) as server:
        if args.sellers_file:
            server.write_sellers_file(args.sellers_file)
            print(f"sellers file: {args.sellers_file} (refresh token of DEMO<n>: demo-refresh-DEMO<n>, any "
                  f"client id and secret)", flush=True)
        print(f"SP-API emulator serving {', '.join(server.sellers)} ({', '.join(server.marketplaces)}) at "
              f"{server.url}; Ctrl-C stops it", flush=True)
        stopped.wait()
    print("SP-API emulator stopped", flush=True)
    return 0
