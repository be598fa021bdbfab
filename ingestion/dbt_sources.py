"""Render the dbt files that follow from the catalog: the lake sources file, the coverage macro the
latest-document-wins rule and the coverage-gap mart read (dbt unit tests cannot see source meta, so it is a
macro), the marketplaces seed and the macro listing the marketplaces' time zones (for to_local_date).

    python -m ingestion.dbt_sources           write them
    python -m ingestion.dbt_sources --check   exit 1 naming any committed file that is stale
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import yaml

from .catalog import MARKETPLACES, REPORTS, ReportSpec
from .lake import DOCUMENT_COLUMNS, DOCUMENTS, QUARANTINE, QUARANTINE_COLUMNS, row_columns

DBT_DIR = Path(__file__).resolve().parent.parent / "dbt"
SOURCES_FILE = DBT_DIR / "models" / "staging" / "lake" / "_lake__sources.yml"
COVERAGE_FILE = DBT_DIR / "macros" / "lake_coverage.sql"
MARKETPLACES_FILE = DBT_DIR / "seeds" / "marketplaces.csv"
TIMEZONES_FILE = DBT_DIR / "macros" / "marketplace_timezones.sql"
COMMAND = "python -m ingestion.dbt_sources"

METADATA_DESCRIPTIONS = {
    "seller_id": "The seller the document was landed for.",
    "marketplace_id": (
        "Amazon's marketplace id (ATVPDKIKX0DER); for region-wide reports, the marketplace of the row's "
        "own country."
    ),
    "_scope": "What the document covers: the marketplace id, or the region (EU) for region-wide reports.",
    "_document_id": "The document the row came from (sha256 of the raw bytes, hex).",
    "_line_number": "Line of the row in the decoded document (the header is line 1).",
}

DOCUMENT_DESCRIPTIONS = {
    "document_id": "sha256 of the raw bytes as received, hex.",
    "report": "Our report name (the lake table).",
    "report_type": "Amazon's reportType, or FBAUDIT_* for documents of our own shape.",
    "seller_id": "The seller the document was landed for.",
    "marketplace_id": "The marketplace it was requested or dropped for.",
    "scope": "What the document covers: the marketplace id, or the region (EU) for region-wide reports.",
    "covers_from": "First day the document speaks for (window coverage); else the earliest row date or null.",
    "covers_to": "Last day the document speaks for (window coverage); else the latest row date or null.",
    "created_at": "When Amazon generated it (report createdTime; file mtime for drops), UTC.",
    "landed_at": "When fbaudit landed it, UTC.",
    "load_source": "sp_api or file.",
    "source_name": "The file name, or Amazon's report id.",
    "encoding": "How the bytes were decoded.",
    "row_count": "Data rows in the document.",
}

QUARANTINE_DESCRIPTIONS = {
    "quarantine_id": "sha256 of the quarantined file's bytes, hex.",
    "seller_id": "The seller the file was dropped or requested for.",
    "marketplace_id": "The marketplace it was dropped or requested for; empty when its inbox folder was not a "
                      "marketplace code.",
    "file_name": "The file's own name, as dropped (or as named for an SP-API document).",
    "quarantined_path": "The quarantined copy: $FBAUDIT_DATA_DIR/quarantine/<stamp>-<file name>.",
    "error_path": "The readable error file beside the copy (<copy>.error.txt).",
    "error": "The error's first line (at most 500 characters), the file named by its name.",
    "quarantined_at": "When the file was first quarantined, UTC.",
}


def lake_dir(report: str) -> str:
    """A lake table's folder; dbt renders the absolute data directory."""
    return "{{ env_var('FBAUDIT_DATA_DIR') }}/lake/report=" + report


def lake_location(report: str) -> str:
    """The dbt-duckdb external_location of a lake table."""
    return f"read_parquet('{lake_dir(report)}/**/*.parquet', hive_partitioning=false, union_by_name=true)"


def lake_meta(report: str) -> dict[str, str]:
    """dbt-duckdb reads `external_location`; other engines get a table over the files of `location` in `format`
    (dbt/macros/portable/create_external_sources.sql)."""
    return {"external_location": lake_location(report), "location": lake_dir(report), "format": "parquet"}


def _column(name: str, data_type: str, description: str) -> dict:
    return {"name": name, "description": description, "data_type": data_type}


def _describe(spec: ReportSpec, name: str) -> str:
    if name in METADATA_DESCRIPTIONS:
        return METADATA_DESCRIPTIONS[name]
    column = spec.column(name)
    return column.description or f"`{column.header}` in the report, as {column.type}."


def _report_table(spec: ReportSpec) -> dict:
    columns = [_column(name, typ, _describe(spec, name)) for name, typ in row_columns(spec)]
    meta = {**lake_meta(spec.name), "report_type": spec.report_type}
    # Rows whose document has no documents row are an unfinished landing (that row is the commit marker):
    # staging's inner join leaves them out and landing the file again completes it, so no test between the two
    # sources (dagster-dbt could not show it as an asset check either).
    for column in columns:
        if column["name"] == "_document_id":
            column["data_tests"] = ["not_null"]
    return {"name": spec.name, "description": spec.description, "config": {"meta": meta}, "columns": columns}


def _documents_table() -> dict:
    return {
        "name": DOCUMENTS,
        "description": "One row per landed document, per seller: what it covers and when Amazon made it.",
        "config": {"meta": lake_meta(DOCUMENTS)},
        "columns": [_column(name, typ, DOCUMENT_DESCRIPTIONS[name]) for name, typ in DOCUMENT_COLUMNS],
    }


def _quarantine_table() -> dict:
    return {
        "name": QUARANTINE,
        "description": "One row per file landing refused, per seller: where its copy and error file are.",
        "config": {"meta": lake_meta(QUARANTINE)},
        "columns": [_column(name, typ, QUARANTINE_DESCRIPTIONS[name]) for name, typ in QUARANTINE_COLUMNS],
    }


def render_sources() -> str:
    document = {
        "version": 2,
        "sources": [
            {
                "name": "lake",
                "description": (
                    "The Parquet lake written by ingestion (ingestion/lake.py): one table per report, one "
                    "file per document, read in place from $FBAUDIT_DATA_DIR/lake."
                ),
                "tables": [_report_table(spec) for spec in REPORTS] + [_documents_table(), _quarantine_table()],
            }
        ],
    }
    body = yaml.safe_dump(document, sort_keys=False, width=200, allow_unicode=True)
    return f"# generated by `{COMMAND}` from ingestion.catalog; do not edit\n{body}"


def render_coverage() -> str:
    entries = "\n".join(
        f"        '{spec.name}': {{'coverage': '{spec.coverage}', 'coverage_column': "
        + (f"'{spec.coverage_column}'" if spec.coverage_column else "none")
        + f", 'lookback_days': {spec.lookback_days}, 'availability_lag_days': {spec.availability_lag_days}}},"
        for spec in REPORTS
    )
    return (
        f"{{#- generated by `{COMMAND}` from ingestion.catalog; do not edit.\n"
        "    How each lake report's documents supersede each other (ReportSpec.coverage), for\n"
        "    latest_document_rows; how far back Amazon serves it and how long after a day ends its data is\n"
        "    complete (ReportSpec.lookback_days, availability_lag_days), for fct_coverage_gaps. -#}\n"
        "{% macro lake_coverage() -%}\n"
        "    {{ return({\n"
        f"{entries}\n"
        "    }) }}\n"
        "{%- endmacro %}\n"
    )


def render_marketplaces() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "marketplace_id", "region", "currency_code", "timezone", "country_codes"])
    for m in MARKETPLACES:
        country_codes = " ".join(m.country_codes)
        writer.writerow([m.code, m.marketplace_id, m.region, m.currency_code, m.timezone, country_codes])
    return out.getvalue()


def render_timezones() -> str:
    zones = ", ".join(f"'{zone}'" for zone in sorted({m.timezone for m in MARKETPLACES}))
    return (
        f"{{#- generated by `{COMMAND}` from ingestion.catalog; do not edit.\n"
        "    Every marketplace's time zone (the marketplaces seed's `timezone`), for to_local_date. -#}\n"
        "{% macro marketplace_timezones() -%}\n"
        f"    {{{{ return([{zones}]) }}}}\n"
        "{%- endmacro %}\n"
    )


def rendered() -> dict[Path, str]:
    return {
        SOURCES_FILE: render_sources(),
        COVERAGE_FILE: render_coverage(),
        MARKETPLACES_FILE: render_marketplaces(),
        TIMEZONES_FILE: render_timezones(),
    }


def stale_files() -> list[Path]:
    return [path for path, text in rendered().items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        stale = stale_files()
        for path in stale:
            print(f"{path} is stale: run `{COMMAND}`", file=sys.stderr)
        return 1 if stale else 0
    if argv:
        print(f"usage: {COMMAND} [--check]", file=sys.stderr)
        return 2
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
