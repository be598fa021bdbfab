"""What a `fbaudit run` did, in the user's terms: read from the run's events and the warehouse."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.lake import DOCUMENTS

from .assets.lake import NO_QUARANTINED_FILES, lake_tables

STAGING = "staging"  # the dbt models folder whose row counts the summary shows


def landing_by_table(result: dg.ExecuteInProcessResult) -> dict[str, Mapping[str, int]]:
    """The landing metadata of every lake table materialised in the run, by table name."""
    return {
        m.asset_key.path[-1]: {name: value.value for name, value in m.metadata.items()}
        for m in result.asset_materializations_for_node(lake_tables.op.name)
    }


def quarantined(result: dg.ExecuteInProcessResult) -> list[str]:
    """"<file>: <error>" for every file the run quarantined."""
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.check_name == NO_QUARANTINED_FILES:
            return list(evaluation.metadata["quarantined_files"].value)
    return []


def failure_reason(result: dg.ExecuteInProcessResult) -> str | None:
    """The first failed step and the first line of its error, or None if no step failed."""
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        message = error.message.strip().splitlines()[0] if error else "unknown error"
        return f"step {event.step_key} failed: {message}"
    return None


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


def format_summary(
    landing: Mapping[str, Mapping[str, int]],
    staging_rows: Mapping[str, int],
    problems: list[str],
    quarantine_dir: Path,
) -> str:
    lines = [f"{'Landed this run':<36}{'documents':>10}{'rows':>12}{'duplicates':>12}"]
    for table, counts in sorted(landing.items()):
        if table != DOCUMENTS:
            landed, rows, duplicates = counts["documents_landed"], counts["rows"], counts["duplicates"]
            lines.append(f"  {table:<34}{landed:>10}{rows:>12,}{duplicates:>12}")
    if staging_rows:
        lines.append(f"{'Warehouse rows after the run':<36}{'rows':>10}")
        lines += [f"  {name:<34}{rows:>10,}" for name, rows in staging_rows.items()]
    if problems:
        lines.append(f"Quarantined: {len(problems)} file(s); copies and .error.txt files in {quarantine_dir}.")
        lines.append("  Fix or remove each file in the inbox: it is tried again on every run.")
        lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)
