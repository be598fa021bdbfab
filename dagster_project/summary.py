"""What a `fbaudit run` does and did, in the user's terms: progress from the run's events as they happen,
then a summary read from the run's events and the warehouse."""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import dagster as dg
import duckdb

from ingestion.lake import DOCUMENTS

from .assets.lake import NO_QUARANTINED_FILES, lake_tables
from .assets.transform import dbt_models

STAGING = "staging"  # the dbt models folder whose row counts the summary shows
CLAIMS_MART = "marts.fct_claim_opportunities"
AT_RISK_DAYS = 7  # "at risk this week": claimable with a deadline at most this many days after as_of
LAND_STEP, DBT_STEP = lake_tables.op.name, dbt_models.op.name
STAGES = {LAND_STEP: "landing", DBT_STEP: "dbt build"}  # other steps show under their own names
CHECK_OUTCOMES = ("passed", "warn", "error")


class RunProgress:
    """An event listener printing one line per step start and end, per warning (a quarantined file ...) and
    per failed dbt test; everything else stays in Dagster's event log and compute logs."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        self.landing: Mapping[str, int] = {}

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def __call__(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            if int(entry.level) >= logging.WARNING:
                self.say(f"  {entry.user_message.splitlines()[0]}")
            return
        step = event.step_key
        if step is None:
            return
        if event.event_type in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_RESTARTED):
            self.started[step] = time.monotonic()
            self.say(f"{STAGES.get(step, step)} ...")
        elif event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY:
            error = event.step_retry_data.error
            cause = error.cause if error else None
            why = cause.message.removeprefix(f"{cause.cls_name}: ").strip() if cause else "it failed"
            self.say(f"{STAGES.get(step, step)} stopped: {why}")
            self.counts = Counter({k: v for k, v in self.counts.items() if k not in (step, *CHECK_OUTCOMES)})
        elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self.counts[step] += 1
            if event.asset_key and event.asset_key.path[-1] == DOCUMENTS:
                metadata = event.step_materialization_data.materialization.metadata
                self.landing = {name: value.value for name, value in metadata.items()}
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION and step == DBT_STEP:
            check = event.event_specific_data
            outcome = "passed" if check.passed else check.severity.value.lower()  # in CHECK_OUTCOMES
            self.counts[outcome] += 1
            if not check.passed:
                self.say(f"  test {'failed' if outcome == 'error' else 'warned'}: {check.check_name} "
                         f"on {check.asset_key.to_user_string()}")
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            outcome = " FAILED" if event.event_type == dg.DagsterEventType.STEP_FAILURE else ""
            seconds = time.monotonic() - self.started.get(step, time.monotonic())
            self.say(f"{STAGES.get(step, step)}{outcome}: {self.stage_counts(step)} ({seconds:.0f} s)")

    def stage_counts(self, step: str) -> str:
        if step == LAND_STEP:
            n = self.landing
            return (f"{n.get('documents_landed', 0)} files landed ({n.get('rows', 0):,} rows), "
                    f"{n.get('duplicates', 0)} already landed, {n.get('quarantined', 0)} quarantined")
        c = self.counts
        if step != DBT_STEP:
            return f"{c[step]} asset(s) materialized"
        return f"{c[step]} tables built, {c['passed']} tests passed, {c['warn']} warned, {c['error']} failed"


def landing_by_table(result: dg.ExecuteInProcessResult) -> dict[str, Mapping[str, int]]:
    """The landing metadata of every lake table materialised in the run, by table name."""
    return {
        m.asset_key.path[-1]: {name: value.value for name, value in m.metadata.items()}
        for m in result.asset_materializations_for_node(LAND_STEP)
    }


def quarantined(result: dg.ExecuteInProcessResult) -> list[str]:
    """"<file>: <error>" for every file the run quarantined."""
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.check_name == NO_QUARANTINED_FILES:
            return list(evaluation.metadata["quarantined_files"].value)
    return []


def error_message(event: dg.DagsterEvent) -> str:
    """The message of the exception that failed a step (not Dagster's wrapper around it)."""
    error = event.step_failure_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    return error.message.strip() if error else "unknown error"


def failure_reason(result: dg.ExecuteInProcessResult) -> str | None:
    """The first failed step and what failed, in one line, or None if no step failed."""
    for event in result.get_step_failure_events():
        message = error_message(event)
        exit_code = re.search(r"failed with exit code `(-?\d+)`", message)
        what = f"dbt exited with code {exit_code.group(1)}" if exit_code else message.splitlines()[0]
        return f"step {event.step_key} failed: {what}"
    return None


def dbt_failures(result: dg.ExecuteInProcessResult, run_results: Path, since: float) -> list[str]:
    """What failed in the dbt build: its failing models and tests from dbt's run_results.json if this build
    wrote one, else the errors dagster-dbt parsed from dbt's log (a compilation error writes no results)."""
    if run_results.is_file() and run_results.stat().st_mtime >= since:
        nodes = json.loads(run_results.read_text(encoding="utf-8"))["results"]
        return [describe_node_result(n) for n in nodes if n["status"] in ("error", "fail")]
    for event in result.get_step_failure_events():
        if event.step_key == DBT_STEP:
            message = error_message(event)
            _, found, parsed = message.partition("Errors parsed from dbt logs:")
            return [line for line in (parsed if found else message).strip().splitlines() if line.strip()]
    return []


def describe_node_result(node: Mapping[str, str]) -> str:
    """`test unique_x: fail: Got 2 results ...` from a run_results.json result."""
    resource_type, _, name = node["unique_id"].split(".")[:3]
    message = (node.get("message") or "").strip()
    return f"{resource_type} {name}: {node['status']}" + (f": {message.splitlines()[0]}" if message else "")


def staging_row_counts(warehouse: Path, manifest_path: Path) -> dict[str, int]:
    """Rows in every staging model the manifest declares, read from the warehouse read-only."""
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    models = sorted(
        (n["name"], n["relation_name"]) for n in nodes
        if n["resource_type"] == "model" and n["fqn"][1:2] == [STAGING] and n.get("relation_name")
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            name: con.execute(f"select count(*) from {relation}").fetchone()[0]
            for name, relation in models
        }


def claims_summary(warehouse: Path, as_of: date) -> list[str]:
    """Claims found by type, claimable now and at risk this week: counts, and money per currency."""
    if not warehouse.is_file():
        return [f"Claims: no warehouse yet at {warehouse}."]
    schema, table = CLAIMS_MART.split(".")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                             "and table_name = ?", [schema, table]).fetchone()[0]
        if not exists:
            return [f"Claims: {CLAIMS_MART} is not built yet, so no claims to show."]
        by_type = con.execute(
            f"select claim_type, currency_code, count(*), sum(claim_amount) from {CLAIMS_MART} group by all"
        ).fetchall()
        deadline = as_of + timedelta(days=AT_RISK_DAYS)
        claimable = con.execute(
            "select currency_code, count(*), sum(claim_amount), count(*) filter (where deadline_date <= ?), "
            f"sum(claim_amount) filter (where deadline_date <= ?) from {CLAIMS_MART} "
            "where status = 'claimable' group by all", [deadline, deadline]
        ).fetchall()
    if not by_type:
        return ["Claims found: none."]
    currencies = sorted({currency for _, currency, _, _ in by_type})
    rows: dict[str, tuple[Counter[str], Counter[str]]] = {}  # label -> (count, money) by currency
    for claim_type, currency, count, amount in sorted(by_type):
        counts, money = rows.setdefault(f"  {claim_type}", (Counter(), Counter()))
        counts[currency], money[currency] = count, amount
    totals = [("All claims", [(c, n, a) for _, c, n, a in by_type]),
              ("Claimable now", [(c, n, a) for c, n, a, _, _ in claimable]),
              (f"At risk this week (deadline by {deadline})", [(c, n, a) for c, _, _, n, a in claimable])]
    for label, parts in totals:
        counts, money = rows.setdefault(label, (Counter(), Counter()))
        for currency, count, amount in parts:
            counts[currency] += count
            money[currency] += amount or Decimal(0)
    width = max(len(label) for label in rows) + 2
    lines = [f"{'Claims found':<{width}}{'claims':>8}" + "".join(f"{c:>14}" for c in currencies)]
    for label, (counts, money) in rows.items():
        lines.append(f"{label:<{width}}{sum(counts.values()):>8}"
                     + "".join(f"{money[c]:>14,.2f}" if counts[c] else f"{'-':>14}" for c in currencies))
    return lines


def format_summary(
    landing: Mapping[str, Mapping[str, int]],
    staging_rows: Mapping[str, int],
    problems: list[str],
    quarantine_dir: Path,
) -> str:
    landed = {t: c for t, c in sorted(landing.items()) if t != DOCUMENTS and c["documents_landed"]}
    already = sum(c["duplicates"] for t, c in landing.items() if t != DOCUMENTS)
    header = f"{'Landed this run':<36}{'documents':>10}{'rows':>12}"
    lines = [header if landed else "Landed this run: nothing new."]
    lines += [f"  {t:<34}{c['documents_landed']:>10}{c['rows']:>12,}" for t, c in landed.items()]
    if already:
        lines.append(f"  ({already} file(s) in the inbox were landed by an earlier run)")
    if problems:
        lines.append(f"Quarantined: {len(problems)} file(s); fix or remove each in the inbox "
                     "(it is tried again on every run).")
        for problem in problems:
            lines.append(f"  {problem.splitlines()[0]}")
            lines.append(f"    {problem.splitlines()[-1]}")
    if staging_rows:
        lines.append(f"Warehouse rows after the run: {sum(staging_rows.values()):,} in {len(staging_rows)} "
                     "staging models")
    return "\n".join(lines)
