"""Where landed data lives, and the columns every lake file carries besides the report's own.

    landing/<report>/<seller_id>/<document_id>.gz        raw bytes as received (gzip), immutable
    lake/report=<report>/seller_id=<S>/marketplace_id=<M>/<document_id>.parquet   typed rows
    lake/report=_documents/seller_id=<S>/<document_id>.parquet                    one row per document
    lake/report=_quarantine/seller_id=<S>/<quarantine_id>.parquet                 one row per quarantined file
    lake/report=<report>/_empty.parquet                   zero rows, the declared schema (so a report
                                                          with no documents yet still reads as a table)
    quarantine/<stamp>-<file name>  and  <same>.error.txt

Parquet files carry `seller_id` and `marketplace_id` as real columns; readers use hive_partitioning=false.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import DUCKDB_TYPES, ReportSpec

DOCUMENTS = "_documents"
QUARANTINE = "_quarantine"

# Added to every row of every report, in this order, after the report's own columns.
ROW_METADATA: tuple[tuple[str, str], ...] = (
    ("seller_id", "VARCHAR"),
    ("marketplace_id", "VARCHAR"),  # Amazon's id (ATVPDKIKX0DER); for region-wide reports, the row's own
    ("_scope", "VARCHAR"),  # what a document covers: the marketplace id, or the region (EU) if region-wide
    ("_document_id", "VARCHAR"),
    ("_line_number", "BIGINT"),  # line of the row in the decoded document (the header is line 1)
)

# One row per landed document (per seller); drives "latest document wins".
DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("document_id", "VARCHAR"),  # sha256 of the raw bytes as received, hex
    ("report", "VARCHAR"),  # our report name
    ("report_type", "VARCHAR"),
    ("seller_id", "VARCHAR"),
    ("marketplace_id", "VARCHAR"),  # the marketplace it was requested or dropped for
    ("scope", "VARCHAR"),  # see ROW_METADATA._scope
    ("covers_from", "DATE"),  # first day the document speaks for (window coverage; else min row date or null)
    ("covers_to", "DATE"),  # last day
    ("created_at", "TIMESTAMP"),  # when Amazon generated it (report createdTime; file mtime for drops), UTC
    ("landed_at", "TIMESTAMP"),  # UTC
    ("load_source", "VARCHAR"),  # sp_api | file
    ("source_name", "VARCHAR"),  # file name, or Amazon's report id
    ("encoding", "VARCHAR"),  # how the bytes were decoded
    ("row_count", "BIGINT"),
)

# One row per quarantined file (per seller), written after its copy and error file; read by the health marts.
QUARANTINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("quarantine_id", "VARCHAR"),  # sha256 of the file's bytes, hex
    ("seller_id", "VARCHAR"),
    ("marketplace_id", "VARCHAR"),  # as given to landing; empty when the inbox folder was not a marketplace
    ("file_name", "VARCHAR"),  # the file's own name, as dropped or requested
    ("quarantined_path", "VARCHAR"),  # the copy under quarantine/
    ("error_path", "VARCHAR"),  # its .error.txt
    ("error", "VARCHAR"),  # the error's first line, with the file's path shortened to its name
    ("quarantined_at", "TIMESTAMP"),  # UTC, the stamp of the quarantined copy's name
)


def report_dir(lake_dir: Path, report: str) -> Path:
    return lake_dir / f"report={report}"


def rows_path(
    lake_dir: Path, spec: ReportSpec, seller_id: str, marketplace_id: str, document_id: str
) -> Path:
    return (
        report_dir(lake_dir, spec.name) / f"seller_id={seller_id}" / f"marketplace_id={marketplace_id}"
        / f"{document_id}.parquet"
    )


def document_path(lake_dir: Path, seller_id: str, document_id: str) -> Path:
    return report_dir(lake_dir, DOCUMENTS) / f"seller_id={seller_id}" / f"{document_id}.parquet"


def quarantine_path(lake_dir: Path, seller_id: str, quarantine_id: str) -> Path:
    return report_dir(lake_dir, QUARANTINE) / f"seller_id={seller_id}" / f"{quarantine_id}.parquet"


def raw_path(landing_dir: Path, spec: ReportSpec, seller_id: str, document_id: str) -> Path:
    return landing_dir / spec.name / seller_id / f"{document_id}.gz"


def row_columns(spec: ReportSpec) -> tuple[tuple[str, str], ...]:
    """(name, DuckDB type) of every column a lake file of this report holds."""
    return tuple((c.name, DUCKDB_TYPES[c.type]) for c in spec.stored_columns) + ROW_METADATA


def empty_path(lake_dir: Path, report: str) -> Path:
    return report_dir(lake_dir, report) / "_empty.parquet"


def ensure_lake(lake_dir: Path) -> None:
    """Create the zero-row schema file of every report, the documents and the quarantine table, once."""
    import duckdb

    from .catalog import REPORTS

    tables = [(spec.name, row_columns(spec)) for spec in REPORTS] + [
        (DOCUMENTS, DOCUMENT_COLUMNS), (QUARANTINE, QUARANTINE_COLUMNS)]
    missing = [(name, cols) for name, cols in tables if not empty_path(lake_dir, name).exists()]
    if not missing:
        return
    with duckdb.connect() as con:
        for name, cols in missing:
            target = empty_path(lake_dir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            select = ", ".join(f"CAST(NULL AS {typ}) AS {col}" for col, typ in cols)
            tmp = target.with_suffix(".tmp")
            con.execute(f"COPY (SELECT {select} LIMIT 0) TO '{tmp}' (FORMAT parquet)")
            tmp.replace(target)
