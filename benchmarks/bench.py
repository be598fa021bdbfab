"""Performance at real seller scale, measured against the DuckDB floor: `make bench`.

For every size, in a fresh data folder with a fixed FBAUDIT_AS_OF: generate a sized seller (benchmarks/
scale.py), then time each stage in its own process (peak memory is that process's, children included): the
floor (DuckDB reading every raw inbox document once with count(*), then writing the same rows as Parquet),
landing's reading and typing alone (stage_typed), landing the inbox, the full `dbt build`, the Evidence data
refresh (`npm run sources`), and a daily incremental run (the withheld last day's documents landed, then the
same build). First, once: dbt's fixed cost, the same incremental build over an empty lake, which bounds how
much faster than a full build a daily run can be. Prints the tables and writes them to benchmarks/RESULTS.md.

    python -m benchmarks.bench --sizes 1e5,1e6,1e7,agency [--no-evidence] [--work-dir DIR --keep]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

from benchmarks.scale import INBOX, NEWDAY, Generated, documents, generate, plan

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-28"
RESULTS = REPO_ROOT / "benchmarks" / "RESULTS.md"
MART = "marts.fct_claim_opportunities"
MIB = 1024 * 1024
GIB = 1024 * MIB
STAGES = ("floor", "typed", "landing", "build", "evidence", "incremental")


@dataclass
class Stage:
    seconds: float
    peak_mib: float
    rows: int = 0  # rows the stage read or wrote, where that applies
    mb: float = 0.0  # raw MB the stage read, where that applies
    note: str = ""


@dataclass
class SizeResult:
    size: str
    generated: Generated
    stages: dict[str, Stage] = field(default_factory=dict)
    landed_rows: int = 0
    incremental_rows: int = 0
    floor_rows: int = 0
    claims: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def floor(self) -> float:
        return self.stages["floor"].seconds


def progress(text: str) -> None:
    print(text, flush=True)


# --- the stages' own processes --------------------------------------------------------------------------

def stage_land(out: Path) -> None:
    from ingestion.land import land_inbox
    from ingestion.settings import load_settings

    started = time.perf_counter()
    results = land_inbox(load_settings())
    seconds = time.perf_counter() - started
    statuses = [r.status for r in results]
    errors = [r.describe() for r in results if r.status == "quarantined"]
    out.write_text(json.dumps({"seconds": seconds, "rows": sum(r.rows for r in results),
                               "files": len(results), "duplicates": statuses.count("duplicate"),
                               "errors": errors}))


def stage_floor(out: Path) -> None:
    """DuckDB alone over the same raw documents (a repeated file once, as landing does): per report (and
    header), count(*) then COPY to Parquet."""
    import duckdb

    from ingestion.parse import recognise
    from ingestion.settings import load_settings

    groups: dict[tuple[str, str], list[str]] = {}
    for path in documents(load_settings().inbox_dir)[0]:
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8").rstrip("\n")
        groups.setdefault((recognise(_header_cells(header), str(path)).name, header), []).append(str(path))
    read = write = 0.0
    rows = 0
    with tempfile.TemporaryDirectory(prefix="fbaudit-floor-") as tmp, duckdb.connect() as con:
        for number, ((report, header), files) in enumerate(groups.items()):
            scan = _read_csv(header, len(_header_cells(header)))
            started = time.perf_counter()
            rows += con.execute(f"SELECT count(*) FROM {scan}", [files]).fetchone()[0]
            read += time.perf_counter() - started
            started = time.perf_counter()
            con.execute(f"COPY (SELECT * FROM {scan}) TO '{tmp}/{report}_{number}.parquet' (FORMAT parquet)",
                        [files])
            write += time.perf_counter() - started
    out.write_text(json.dumps({"seconds": read + write, "read": read, "write": write, "rows": rows}))


def stage_typed(out: Path) -> None:
    """Landing's reading and typing alone: the same documents through ingestion/parse.py in landing's batches
    (per shape, BATCH_BYTES), each batch's typed, validated, line-numbered rows written as one Parquet file; no
    per-document files, raw copies, documents rows or commits. Timed like the floor: the DuckDB statements."""
    import duckdb

    from ingestion.land import BATCH_BYTES
    from ingestion.parse import Prepared, parse_batch, prepare
    from ingestion.settings import load_settings

    inbox = load_settings().inbox_dir
    seconds = python = 0.0
    rows = written = 0
    with tempfile.TemporaryDirectory(prefix="fbaudit-typed-") as tmp, duckdb.connect() as con:

        def flush(pending: dict[tuple[str, ...], list[Prepared]]) -> None:
            nonlocal seconds, rows, written
            for docs in pending.values():
                started = time.perf_counter()
                parsed = parse_batch(docs, con)
                parsed.rows.to_parquet(f"{tmp}/{written}.parquet")
                seconds += time.perf_counter() - started
                rows += sum(doc.row_count for doc in parsed.documents)
                written += 1
            pending.clear()

        pending: dict[tuple[str, ...], list[Prepared]] = {}
        pending_bytes = 0
        for path in documents(inbox)[0]:
            started = time.perf_counter()
            data = path.read_bytes()
            seller_id, code = path.relative_to(inbox).parts[:2]
            doc = prepare(data, file_name=str(path), seller_id=seller_id, marketplace_code=code,
                          document_id=hashlib.sha256(data).hexdigest())
            python += time.perf_counter() - started
            pending.setdefault(doc.shape, []).append(doc)
            pending_bytes += len(data) + len(doc.text)
            if pending_bytes > BATCH_BYTES:
                flush(pending)
                pending_bytes = 0
        flush(pending)
    out.write_text(json.dumps({"seconds": seconds, "python": python, "rows": rows, "files": written}))


def _header_cells(header: str) -> list[str]:
    cells = header.split("\t") if "\t" in header else next(csv.reader([header]))
    return [h.strip(" \u00a0") for h in cells]


def _read_csv(header: str, width: int) -> str:
    """The read_csv call ingestion/parse.py makes: every field VARCHAR, header skipped, no sniffing."""
    varchar = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    delim, quote = ("\t", "") if "\t" in header else (",", '"')
    return (f"read_csv(?, columns = {{{varchar}}}, header = false, skip = 1, delim = '{delim}', "
            f"quote = '{quote}', escape = '{quote}', new_line = '\\n', auto_detect = false, "
            "strict_mode = true)")


def stage_evidence(out: Path) -> None:
    from dagster_project.assets.reports import publish_warehouse, refresh_sources
    from ingestion.settings import load_settings

    started = time.perf_counter()
    refresh_sources(publish_warehouse(load_settings()), log=lambda _: None)
    out.write_text(json.dumps({"seconds": time.perf_counter() - started}))


STAGE_MAIN = {"land": stage_land, "floor": stage_floor, "typed": stage_typed, "evidence": stage_evidence}


# --- running a stage and measuring it -------------------------------------------------------------------

def measure(command: list[str], env: dict[str, str], log: Path) -> tuple[int, float, float]:
    """Run a command; (exit code, wall seconds, peak RSS MiB of it and its waited-for children)."""
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return process.returncode, seconds, usage.ru_maxrss / 1024


def python_stage(name: str, env: dict[str, str], logs: Path, label: str | None = None) -> tuple[dict, float]:
    """A stage function in its own Python process: (its JSON result, its peak RSS MiB)."""
    out, log = logs / f"{label or name}.json", logs / f"{label or name}.log"
    code, _, peak = measure([sys.executable, "-m", "benchmarks.bench", "--stage", name, str(out)], env, log)
    if code != 0:
        raise RuntimeError(f"stage {label or name} failed (exit {code}); see {log}:\n"
                           + "\n".join(log.read_text().splitlines()[-20:]))
    return json.loads(out.read_text()), peak


def dbt_build(env: dict[str, str], data_dir: Path, logs: Path, label: str) -> tuple[Stage, str | None]:
    """The pipeline's build (dagster_project.project.BUILD_ARGS); the dbt CLI's wall time."""
    from dagster_project.project import BUILD_ARGS
    from ingestion.queue.log import ensure_claim_files
    from ingestion.settings import load_settings

    ensure_claim_files(load_settings())
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    dirs = ["--project-dir", str(REPO_ROOT / "dbt"), "--profiles-dir", str(REPO_ROOT / "dbt"),
            "--target-path", str(data_dir / "dbt_target"), "--log-path", str(logs)]
    log = logs / f"{label}.log"
    code, seconds, peak = measure([dbt, "--no-use-colors", *BUILD_ARGS, *dirs], env, log)
    if code != 0:
        tail = "\n".join(log.read_text().splitlines()[-15:])
        return Stage(seconds, peak), f"dbt build ({label}) failed (exit {code}); see {log}:\n{tail}"
    return Stage(seconds, peak, note=build_breakdown(data_dir / "dbt_target", seconds)), None


def build_breakdown(target: Path, wall: float) -> str:
    """Where a dbt build's time went, from the run_results.json and manifest.json it wrote: seconds of node
    work per models folder (staging, intermediate, marts), for seeds and for data tests (the profile's 2
    threads run two nodes at once, so these add up to about twice the wall time), and dbt's own time outside
    the nodes (start-up, parsing, artifacts)."""
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    seconds: Counter[str] = Counter()
    for node in results["results"]:
        kind = node["unique_id"].split(".")[0]
        seconds[nodes[node["unique_id"]]["fqn"][1] if kind == "model" else f"{kind}s"] += node["execution_time"]
    work = ", ".join(f"{name} {total:,.1f}" for name, total in seconds.most_common() if total >= 0.05)
    return f"node s: {work}; outside nodes {wall - results['elapsed_time']:,.1f} s"


def fixed_cost(work_dir: Path) -> Stage:
    """dbt's own cost for this project: the pipeline's build over an empty lake, twice; the second, incremental
    like a daily run, is returned. Nothing is read, yet every model, seed and data test still runs: no daily
    run's build is faster, so its speed-up over a full build is at most the full build's time over this."""
    from ingestion.lake import ensure_lake

    data_dir = work_dir / "empty"
    shutil.rmtree(data_dir, ignore_errors=True)
    logs = data_dir / "bench-logs"
    logs.mkdir(parents=True)
    ensure_lake(data_dir / "lake")
    with data_env(data_dir) as env:
        for label in ("empty-build", "empty-incremental"):
            stage, failure = dbt_build(env, data_dir, logs, label)
            if failure:
                raise RuntimeError(failure)
    shutil.rmtree(data_dir, ignore_errors=True)
    progress(f"dbt's fixed cost (a daily run's build over an empty lake): {stage.seconds:.1f} s ({stage.note})")
    return stage


def run_size(size: str, work_dir: Path, *, evidence: bool = True, workers: int = 2) -> SizeResult:
    """Generate one size in work_dir/<size> and time every stage there."""
    data_dir = work_dir / size
    shutil.rmtree(data_dir, ignore_errors=True)
    logs = data_dir / "bench-logs"
    logs.mkdir(parents=True)
    blocks = plan(size)
    progress(f"[{size}] generating {len(blocks)} block(s) of {blocks[0].skus} skus x 365 days ...")
    started = time.perf_counter()
    gen = generate(data_dir, date.fromisoformat(AS_OF), blocks, workers=workers, progress=progress)
    progress(f"[{size}] generated in {time.perf_counter() - started:.0f} s: {gen.ledger_rows:,} ledger rows, "
             f"{gen.total_rows:,} rows in all, {gen.files:,} files, {gen.bytes / MIB:,.1f} MiB "
             f"(+ new day: {sum(gen.newday_rows.values()):,} rows in {gen.newday_files} files)")
    result = SizeResult(size, gen)
    with data_env(data_dir) as env:
        _run_stages(result, data_dir, env, logs, evidence)
    return result


@contextmanager
def data_env(data_dir: Path) -> Iterator[dict[str, str]]:
    """The stages' environment for a data folder; this process's too meanwhile (load_settings() here)."""
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "FBAUDIT_AS_OF": AS_OF,
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONPATH": str(REPO_ROOT)}
    env.pop("DAGSTER_HOME", None)
    previous = {key: os.environ.get(key) for key in ("FBAUDIT_DATA_DIR", "FBAUDIT_AS_OF")}
    os.environ.update(FBAUDIT_DATA_DIR=str(data_dir), FBAUDIT_AS_OF=AS_OF)
    try:
        yield env
    finally:
        for key, value in previous.items():
            os.environ.pop(key) if value is None else os.environ.update({key: value})


def _run_stages(result: SizeResult, data_dir: Path, env: dict[str, str], logs: Path, evidence: bool) -> None:
    gen, size = result.generated, result.size
    floor, peak = python_stage("floor", env, logs)
    result.floor_rows = floor["rows"]
    result.stages["floor"] = Stage(floor["seconds"], peak, floor["rows"], gen.bytes / 1e6,
                                   f"read {floor['read']:.1f} s + write {floor['write']:.1f} s")
    progress(f"[{size}] floor: {floor['seconds']:.1f} s ({result.stages['floor'].note})")

    typed, peak = python_stage("typed", env, logs)
    result.stages["typed"] = Stage(typed["seconds"], peak, typed["rows"], gen.bytes / 1e6,
                                   f"{typed['files']} Parquet files; decoding and recognising in Python "
                                   f"{typed['python']:.1f} s more")
    progress(f"[{size}] typed: {typed['seconds']:.1f} s ({result.stages['typed'].note})")

    land, peak = python_stage("land", env, logs)
    result.landed_rows = land["rows"]
    result.failures += land["errors"]
    result.stages["landing"] = Stage(land["seconds"], peak, land["rows"], gen.bytes / 1e6,
                                     f"{land['files']} files, {land['duplicates']} duplicates")
    progress(f"[{size}] landing: {land['seconds']:.1f} s, {land['rows']:,} rows")

    result.stages["build"], failure = dbt_build(env, data_dir, logs, "build")
    result.stages["build"].rows = result.landed_rows
    result.failures += [failure] if failure else []
    progress(f"[{size}] full dbt build: {result.stages['build'].seconds:.1f} s" + (" FAILED" * bool(failure)))

    if not evidence:
        progress(f"[{size}] Evidence refresh skipped (--no-evidence)")
    elif not (REPO_ROOT / "reports" / "node_modules").is_dir():
        progress(f"[{size}] Evidence refresh skipped: reports/node_modules is missing "
                 "(make dashboards-install)")
    else:
        refreshed, peak = python_stage("evidence", env, logs)
        result.stages["evidence"] = Stage(refreshed["seconds"], peak)
        progress(f"[{size}] Evidence refresh: {refreshed['seconds']:.1f} s")

    newday_bytes = _move_new_day(data_dir)
    land, land_peak = python_stage("land", env, logs, "incremental-land")
    result.incremental_rows = land["rows"]
    result.failures += land["errors"]
    build, failure = dbt_build(env, data_dir, logs, "incremental-build")
    result.failures += [failure] if failure else []
    result.stages["incremental"] = Stage(land["seconds"] + build.seconds, max(land_peak, build.peak_mib),
                                         land["rows"], newday_bytes / 1e6,
                                         f"landing {land['seconds']:.1f} s + build {build.seconds:.1f} s "
                                         f"({build.note})")
    progress(f"[{size}] incremental run: {result.stages['incremental'].seconds:.1f} s "
             f"({result.stages['incremental'].note})")
    if not result.failures:  # a failed build leaves no mart to count; the failure is in the table
        result.claims = _count_claims(data_dir / "warehouse.duckdb")


def _move_new_day(data_dir: Path) -> int:
    """Move the withheld day's documents into the inbox (mtimes kept); their bytes."""
    moved = 0
    for path in sorted(p for p in (data_dir / NEWDAY).rglob("*") if p.is_file()):
        target = data_dir / INBOX / path.relative_to(data_dir / NEWDAY)
        target.parent.mkdir(parents=True, exist_ok=True)
        moved += path.stat().st_size
        path.rename(target)
    return moved


def _count_claims(warehouse: Path) -> int:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {MART}").fetchone()[0]


# --- tables ---------------------------------------------------------------------------------------------

def size_table(result: SizeResult) -> list[list[str]]:
    rows = [["stage", "seconds", "throughput", "x floor", "peak MiB", "detail"]]
    for name in STAGES:
        stage = result.stages.get(name)
        if stage is None:
            continue
        throughput = []
        if stage.rows and name != "evidence":
            throughput.append(f"{stage.rows / stage.seconds:,.0f} rows/s")
        if stage.mb and name in ("floor", "typed", "landing", "incremental"):
            throughput.append(f"{stage.mb / stage.seconds:,.1f} MB/s")
        rows.append([name, f"{stage.seconds:,.1f}", ", ".join(throughput),
                     f"{stage.seconds / result.floor:,.2f}", f"{stage.peak_mib:,.0f}", stage.note])
    return rows


def size_heading(result: SizeResult) -> str:
    gen = result.generated
    full, incremental = result.stages["build"].seconds, result.stages["incremental"].seconds
    return (f"{result.size}: {gen.ledger_rows:,} ledger rows, {gen.total_rows:,} rows in all, "
            f"{gen.bytes / 1e6:,.1f} MB raw in {gen.files:,} files; full build / incremental = "
            f"{full / incremental:,.1f}x; {result.claims:,} claim opportunities")


def growth_table(results: Sequence[SizeResult]) -> list[list[str]]:
    """Per stage, log(t2/t1) / log(n2/n1) between successive single-seller sizes (n = rows in all)."""
    sized = [r for r in results if r.size != "agency"]
    pairs = list(zip(sized, sized[1:], strict=False))
    rows = [["stage", *(f"{a.size} -> {b.size}" for a, b in pairs)]]
    for name in STAGES:
        if all(name in r.stages for r in sized):
            rows.append([name, *(f"{growth(a, b, name):.2f}" for a, b in pairs)])
    return rows if pairs else []


def growth(a: SizeResult, b: SizeResult, stage: str) -> float:
    ratio = b.generated.total_rows / a.generated.total_rows
    return math.log(b.stages[stage].seconds / a.stages[stage].seconds) / math.log(ratio)


def target_table(results: Sequence[SizeResult], fixed: Stage | None = None) -> list[list[str]]:
    rows = [["target", "size", "measured", "verdict"]]

    def check(target: str, size: str, measured: str, met: bool) -> None:
        rows.append([target, size, measured, "met" if met else "MISSED"])

    for r in results:
        landing = r.stages["landing"].seconds / r.floor
        typed = r.stages.get("typed")
        typed = f" (reading and typing alone: {typed.seconds / r.floor:.2f}x)" if typed else ""
        check("landing <= 1.5x floor", r.size, f"{landing:.2f}x{typed}", landing <= 1.5)
        speedup = r.stages["build"].seconds / r.stages["incremental"].seconds
        bound = f" (at most {r.stages['build'].seconds / fixed.seconds:.1f}x: dbt's fixed cost)" if fixed else ""
        check("incremental >= 10x faster than full build", r.size, f"{speedup:.1f}x{bound}", speedup >= 10)
    for r in results:
        if r.generated.ledger_rows >= 0.85e7 and r.size != "agency":
            build = r.stages["build"].seconds / r.floor
            check("full build <= 5x floor at 1e7", r.size, f"{build:.2f}x", build <= 5)
            peak = max(s.peak_mib for s in r.stages.values())
            check("peak memory < 4 GiB at 1e7", r.size, f"{peak:,.0f} MiB", peak * MIB < 4 * GIB)
    sized = [r for r in results if r.size != "agency"]
    for a, b in zip(sized, sized[1:], strict=False):
        for name in ("landing", "build", "incremental"):
            exponent = growth(a, b, name)
            check(f"{name} grows no faster than linearly", f"{a.size} -> {b.size}", f"{exponent:.2f}",
                  exponent <= 1.1)
    return rows


def plain(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def report(results: Sequence[SizeResult], fixed: Stage | None = None, render=plain) -> str:
    parts = []
    if fixed:
        parts += [f"dbt's fixed cost: {fixed.seconds:.1f} s, the pipeline's incremental build over an empty lake "
                  f"({fixed.note}). Nothing is read, yet every model, seed and data test runs: no daily run's "
                  "build is faster.", ""]
    for r in results:
        parts += [size_heading(r), render(size_table(r)), ""]
        parts += [f"FAILED: {failure}" for failure in r.failures]
    if growth_rows := growth_table(results):
        parts += ["growth exponent per stage (1.0 = linear in rows):", render(growth_rows), ""]
    parts += ["targets (2-core machine; reported, not asserted):", render(target_table(results, fixed))]
    return "\n".join(parts)


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "unknown")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; memory: {memory}",
            f"- DuckDB {version('duckdb')}, dbt-core {version('dbt-core')}, "
            f"dbt-duckdb {version('dbt-duckdb')}, Python {platform.python_version()}",
            f"- git commit {commit}"]


def write_results(results: Sequence[SizeResult], fixed: Stage, command: str, path: Path = RESULTS) -> None:
    lines = ["# fbaudit performance at seller scale (`make bench`)", "",
             f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; command: `{command}`; FBAUDIT_AS_OF={AS_OF}",
             *machine(), "",
             "Stage times are the stage's own work (landing, floor, Evidence: inside their process; dbt: the "
             "CLI's wall time). The floor is DuckDB alone over the same raw inbox documents: count(*) with "
             "read_csv as ingestion/parse.py reads them, then COPY of the same rows to Parquet. `typed` is "
             "landing's own reading, typing, validation and line numbering of the same documents, in landing's "
             "batches, each batch written as one Parquet file: landing without its per-document files, raw "
             "copies and documents rows (its Python decoding is noted, not timed, as the floor has none). "
             "Peak memory "
             "is each stage process's maximum RSS, children included. The incremental run lands the last "
             "day's documents (withheld at generation) and runs the same `dbt build`.", "",
             report(results, fixed, render=markdown), ""]
    path.write_text("\n".join(lines))


# --- command line ---------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6,1e7,agency", metavar="N,...",
                        help="ledger rows of one seller (1e5, 1e6, 1e7 ...) or 'agency' (20 sellers of about "
                             "1e5 each); default 1e5,1e6,1e7,agency")
    parser.add_argument("--work-dir", type=Path, help="where the data folders go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument("--no-evidence", action="store_true", help="skip the Evidence data refresh")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--workers", type=int, default=2, help="processes simulating blocks (default 2)")
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in args.sizes:
        try:
            plan(size)
        except ValueError as error:
            parser.error(f"--sizes: {error}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        name, out = args.stage
        STAGE_MAIN[name](Path(out))
        return 0
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="fbaudit-bench-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    progress(f"bench: sizes {', '.join(args.sizes)} in {work_dir} (as of {AS_OF}); this takes a while")
    results = []
    try:
        fixed = fixed_cost(work_dir)
        for size in args.sizes:
            results.append(run_size(size, work_dir, evidence=not args.no_evidence, workers=args.workers))
            if not args.keep:
                shutil.rmtree(work_dir / size, ignore_errors=True)
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)
    print()
    print(report(results, fixed))
    command = "python -m benchmarks.bench " + " ".join(argv if argv is not None else sys.argv[1:])
    write_results(results, fixed, command.strip(), args.results)
    print(f"\nwritten to {args.results}")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
