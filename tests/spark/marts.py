"""The demo seller's marts built by dbt on DuckDB and on Apache Spark (local mode), compared row for row.

    uv run --no-sync python -m tests.spark.marts [DATA_DIR]     (make test-spark; needs `uv sync --group spark`)

Landing stays Python (fbaudit demo, land_inbox); only the dbt build runs twice: target duckdb into
DATA_DIR/warehouse.duckdb, target spark into DATA_DIR/spark (its tables are Parquet folders there, read back
with DuckDB). Values are compared as text: DECIMAL as its decimal string, dates and times in ISO, null as null.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from dagster_project.project import BUILD_ARGS, DBT_DIR

AS_OF = "2026-11-28"
SHOWN = 5  # differences printed per mart

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class MartComparison:
    name: str
    duckdb_rows: int
    spark_rows: int
    only_duckdb: list[Row]
    only_spark: list[Row]

    @property
    def identical(self) -> bool:
        return not self.only_duckdb and not self.only_spark


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "FBAUDIT_AS_OF": AS_OF,
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DAGSTER_HOME", None)
    env.pop("FBAUDIT_DBT_TARGET", None)
    return env


def _run(args: list[str], data_dir: Path) -> None:
    done = subprocess.run(args, cwd=data_dir, env=_env(data_dir), capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise RuntimeError(f"{' '.join(args[:4])} failed (exit {done.returncode}):\n{tail}")


def land_demo(data_dir: Path) -> None:
    """The demo seller's documents written to the inbox and landed into the lake, as `fbaudit run` does, with
    one file that cannot be landed, so that the quarantine's mart has a row to compare too."""
    _run(["fbaudit", "demo"], data_dir)
    (data_dir / "inbox" / "DEMO1" / "US" / "not-a-report.txt").write_text("hello\tworld\n1\t2\n")
    _run([sys.executable, "-c", "from ingestion.land import land_inbox; from ingestion.queue.log import "
          "ensure_claim_files; from ingestion.settings import load_settings; s = load_settings(); "
          "land_inbox(s); ensure_claim_files(s)"], data_dir)


def dbt_build(data_dir: Path, target: str) -> float:
    """The pipeline's build (seeds, models and their data tests) on `target`; the seconds it took."""
    started = time.monotonic()
    _run(["dbt", "--no-use-colors", *BUILD_ARGS, "--target", target, "--project-dir", str(DBT_DIR),
          "--profiles-dir", str(DBT_DIR), "--target-path", str(data_dir / f"dbt-target-{target}"),
          "--log-path", str(data_dir / "dbt-logs")], data_dir)
    return time.monotonic() - started


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _rows(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[Row]:
    select = ", ".join(f'"{column}"' for column in columns)
    return [tuple(_text(v) for v in row) for row in con.execute(f"select {select} from {relation}").fetchall()]


def _first(rows: Counter[Row]) -> list[Row]:
    return sorted(rows.elements(), key=lambda row: tuple("" if v is None else v for v in row))[:SHOWN]


def compare_marts(data_dir: Path) -> list[MartComparison]:
    """Every table of DuckDB's `marts` schema against Spark's table of the same name, as multisets of rows."""
    spark_marts = data_dir / "spark" / "warehouse" / "marts.db"
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        marts = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        result = []
        for name in marts:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [name]).fetchall()]
            ours = Counter(_rows(con, f"marts.{name}", columns))
            folder = spark_marts / name
            if not folder.is_dir():
                raise AssertionError(f"Spark built no table marts.{name} (no folder {folder})")
            theirs = Counter(_rows(con, f"read_parquet('{folder}/*.parquet')", columns))
            result.append(MartComparison(name, ours.total(), theirs.total(),
                                         _first(ours - theirs), _first(theirs - ours)))
        return result
    finally:
        con.close()


def report(comparisons: list[MartComparison], seconds: dict[str, float]) -> str:
    width = max(len(c.name) for c in comparisons)
    lines = [f"{'mart':<{width}}  {'rows duckdb':>11}  {'rows spark':>10}  identical"]
    for c in comparisons:
        lines.append(f"{c.name:<{width}}  {c.duckdb_rows:>11}  {c.spark_rows:>10}  {'yes' if c.identical else 'NO'}")
        lines += [f"    only on duckdb: {row}" for row in c.only_duckdb]
        lines += [f"    only on spark:  {row}" for row in c.only_spark]
    lines.append("dbt build (seeds, models, data tests): " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()))
    return "\n".join(lines)


def build_and_compare(data_dir: Path) -> tuple[list[MartComparison], str]:
    land_demo(data_dir)
    seconds = {target: dbt_build(data_dir, target) for target in ("duckdb", "spark")}
    comparisons = compare_marts(data_dir)
    return comparisons, report(comparisons, seconds)


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]).resolve() if argv else Path(tempfile.mkdtemp(prefix="fbaudit-spark-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    comparisons, text = build_and_compare(data_dir)
    print(text)
    return 0 if all(c.identical for c in comparisons) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
