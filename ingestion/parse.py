"""One report document (bytes) -> typed rows in DuckDB, exactly as the catalog declares them.

Decode (gzip, BOM, encoding, CRLF), recognise the report from its header row, read every field as VARCHAR
with DuckDB's CSV reader (no sniffing), then cast in SQL per declared type. Any problem is a `ParseError`
naming the file, line (the header is line 1), column, bad value and what was expected."""

from __future__ import annotations

import csv
import gzip
import tempfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from .catalog import DUCKDB_TYPES, ISO, REPORTS, Column, Marketplace, ReportSpec, marketplace
from .lake import row_columns

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = "\ufeff"
EXAMPLE_INSTANT = datetime(2026, 7, 6, 8, 49, 4)
# Zone abbreviations a date-time may end with, as the fixed offsets they stand for. DuckDB alone reads "PST" as
# Los Angeles local time (an hour off in summer) and rejects "PDT"; any other trailing word is not parsed.
ZONE_ABBREVIATIONS = {
    "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00",
    "PST": "-08:00", "PDT": "-07:00", "MST": "-07:00", "MDT": "-06:00", "CST": "-06:00", "CDT": "-05:00",
    "EST": "-05:00", "EDT": "-04:00", "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "BST": "+01:00", "WET": "+00:00", "WEST": "+01:00", "CET": "+01:00", "CEST": "+02:00",
    "JST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00", "BRT": "-03:00",
}
TRAILING_ZONE = r"\s([A-Za-z]{1,5})$"


class ParseError(Exception):
    """A document that cannot be landed as it is. `str()` is the readable message for the quarantine file."""

    def __init__(self, file: str, problem: str, *, line: int | None = None, column: str | None = None,
                 hint: str = "") -> None:
        self.file, self.problem, self.line, self.column, self.hint = file, problem, line, column, hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file] + ([f"line {self.line}"] if self.line else [])
        where += [f"column {self.column!r}"] if self.column else []
        return f"{', '.join(where)}: {self.problem}" + (f"\nWhat to do: {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class ParsedDocument:
    spec: ReportSpec
    encoding: str  # how the bytes were decoded
    scope: str  # what the document covers: the marketplace id, or the region if the report is region-wide
    rows: duckdb.DuckDBPyRelation  # exactly lake.row_columns(spec), in order
    row_count: int
    covers_from: date | None  # min / max of the coverage column as dates (window coverage only)
    covers_to: date | None


def parse_document(data: bytes, *, file_name: str, seller_id: str, marketplace_code: str, document_id: str,
                   con: duckdb.DuckDBPyConnection) -> ParsedDocument:
    """Parse one document into a temp table of `con` (whose TimeZone this sets to UTC); the next document
    parsed on the same connection replaces it."""
    mp = marketplace(marketplace_code)
    text, encoding = decode(data, file_name, mp)
    header_line, _, body = text.partition("\n")
    tsv = "\t" in header_line
    cells = header_line.split("\t") if tsv else next(csv.reader([header_line]))
    headers = [h.strip(" \u00a0") for h in cells]
    spec = recognise(headers, file_name)
    columns = [spec.header_map()[h] for h in headers]

    blank = ("\n" + body).find("\n\n")  # `body` ends with exactly one newline
    if blank >= 0:
        line = body.count("\n", 0, blank) + 2
        raise ParseError(file_name, "empty line between rows", line=line,
                         hint="remove the empty line (reports have no blank lines) and drop the file again")

    con.execute("SET TimeZone = 'UTC'")
    raw = "_document_raw"  # temp tables of `con`, replaced by the next document parsed on it
    _read_fields(con, raw, text, tsv, len(headers), file_name)

    casts = {c.name: _cast(c, f"c{i}", spec, mp) for i, c in enumerate(columns)}
    _raise_first_bad_value(con, raw, columns, casts, spec, mp, file_name)
    market = _marketplace_expr(con, raw, spec, columns, mp, file_name)
    scope = mp.region if spec.scope == "region" else mp.marketplace_id
    metadata = {"seller_id": sql_literal(seller_id), "marketplace_id": market, "_scope": sql_literal(scope),
                "_document_id": sql_literal(document_id), "_line_number": "rowid + 2"}
    select = ", ".join(f"CAST({casts.get(name) or metadata.get(name) or 'NULL'} AS {typ}) AS {name}"
                       for name, typ in row_columns(spec))
    rows_table = "_document_rows"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rows_table} AS SELECT {select} FROM {raw} ORDER BY rowid")
    con.execute(f"DROP TABLE {raw}")
    rows = con.table(rows_table)
    covers_from = covers_to = None
    if spec.coverage == "window":
        covers_from, covers_to = rows.aggregate(
            f"min(CAST({spec.coverage_column} AS DATE)), max(CAST({spec.coverage_column} AS DATE))"
        ).fetchone()
    row_count = rows.aggregate("count(*)").fetchone()[0]
    return ParsedDocument(spec, encoding, scope, rows, row_count, covers_from, covers_to)


def decode(data: bytes, file_name: str, mp: Marketplace) -> tuple[str, str]:
    """Gunzip if gzip, then decode: UTF-8, the marketplace's encoding, cp1252. CRLF -> LF, BOM stripped."""
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(file_name, f"the gzip file is truncated or corrupt ({exc})",
                             hint="download the report again; the copy received is incomplete") from None
    for encoding in dict.fromkeys(("utf-8", mp.encoding, "cp1252")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8":
                _refuse_mixed_encodings(data, file_name)
            continue
        if "\x00" in text:
            break
        text = text.removeprefix(UTF8_BOM).replace("\r\n", "\n").replace("\r", "")
        if not text.strip():
            raise ParseError(file_name, "the document is empty (no header row)",
                             hint="download the report again; an empty download has no data to land")
        return text.rstrip("\n") + "\n", encoding
    tried = ", ".join(dict.fromkeys(("utf-8", mp.encoding, "cp1252")))
    raise ParseError(file_name, f"the bytes are not text in any expected encoding (tried {tried})",
                     hint="make sure this is a report download (tab- or comma-separated text), not a "
                          "spreadsheet or a UTF-16 export; save it as UTF-8 text and drop it again")


def _refuse_mixed_encodings(data: bytes, file_name: str) -> None:
    """A document whose non-ASCII lines are partly UTF-8 and partly not was pieced together from different
    downloads: decoding it whole with one legacy encoding would garble the UTF-8 lines, so it is refused."""
    utf8 = other = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other = other or number
        else:
            utf8 = utf8 or number
        if utf8 and other:
            raise ParseError(file_name, f"mixed encodings: line {utf8} is UTF-8 but line {other} is not",
                             line=other, hint="the file was put together from downloads in different "
                                              "encodings; download the report again as one file")


def recognise(headers: list[str], file_name: str) -> ReportSpec:
    """The one catalog report whose headers cover every column of the file and that has its required ones."""
    dupes = sorted({h for h in headers if headers.count(h) > 1})
    if dupes:
        raise ParseError(file_name, f"the header repeats column(s) {dupes}", line=1, column=dupes[0])

    def fit(spec: ReportSpec) -> tuple[list[str], list[str]]:
        known = spec.header_map()
        unknown = [h for h in headers if h not in known]
        missing = [c.header for c in spec.columns if c.required and not set(c.headers) & set(headers)]
        return unknown, missing

    fits = {spec.name: (spec, *fit(spec)) for spec in REPORTS}
    matches = [spec for spec, unknown, missing in fits.values() if not unknown and not missing]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ParseError(file_name, f"the header fits several reports: {[s.name for s in matches]}", line=1)
    spec, unknown, missing = min(fits.values(), key=lambda f: (len(f[1]), len(f[2])))
    like = f"{spec.name} ({spec.report_type})"
    if not unknown:
        raise ParseError(
            file_name, f"missing required column(s) {missing} of report {like}", line=1, column=missing[0],
            hint="download the report with all its columns (Seller Central may let you hide some)",
        )
    renamed = f", which lacks required column(s) {missing} (renamed?)" if missing else ""
    raise ParseError(
        file_name, f"unknown column(s) {unknown}: the header matches no report in the catalog; it most "
        f"resembles {like}{renamed}", line=1, column=unknown[0],
        hint="if Amazon added or renamed a column of this report, declare it in ingestion/catalog (a new "
             "column with required=False, a new name as an alias); otherwise this file is not a report "
             "fbaudit reads",
    )


def _read_fields(con: duckdb.DuckDBPyConnection, raw: str, text: str, tsv: bool, width: int,
                 file_name: str) -> None:
    """Every field of every row after the header, as VARCHAR columns c0..cN of temp table `raw`."""
    rejects = f"{raw}_rejects"
    con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {rejects}_scan")
    with tempfile.TemporaryDirectory(prefix="fbaudit-parse-") as tmp:
        path = Path(tmp) / "document.txt"
        path.write_text(text, encoding="utf-8")
        varchar = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
        delim, quote = ("\t", "") if tsv else (",", '"')
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT * FROM read_csv({sql_literal(path)}, "
                f"columns = {{{varchar}}}, "
                f"header = false, skip = 1, delim = '{delim}', quote = '{quote}', escape = '{quote}', "
                f"new_line = '\\n', auto_detect = false, strict_mode = true, "
                f"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')"
            )
        except duckdb.Error as exc:
            raise ParseError(file_name, f"the rows cannot be read as {'tab' if tsv else 'comma'}-separated "
                             f"text: {exc}", hint="check the file is an unedited report download") from None
    first = con.execute(f"SELECT line, error_type FROM {rejects} ORDER BY line LIMIT 1").fetchone()
    if first is None:
        return
    line, kind = first
    problem = {
        "MISSING COLUMNS": f"the row has fewer fields than the header's {width}",
        "TOO MANY COLUMNS": f"the row has more fields than the header's {width}",
    }.get(str(kind), f"the row cannot be read ({kind})")
    raise ParseError(file_name, problem, line=int(line),
                     hint="the file was cut or edited; download the report again")


def _cast(col: Column, field: str, spec: ReportSpec, mp: Marketplace) -> str:
    """SQL turning the VARCHAR field into the column's type; NULL where the value does not parse."""
    value = f"NULLIF({field}, '')" if col.type == "text" else f"NULLIF(trim({field}), '')"
    if col.type == "text":
        return value
    if col.type in ("money", "decimal"):
        if spec.localized_numbers and mp.decimal_comma:
            value = f"replace(replace({value}, '.', ''), ',', '.')"
        return f"TRY_CAST({value} AS {DUCKDB_TYPES[col.type]})"
    if col.type == "int":
        return f"TRY_CAST({value} AS BIGINT)"
    fmt = col.format_for(mp.code, mp.region)
    if fmt == ISO:
        zones = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in ZONE_ABBREVIATIONS.items())
        zone = f"regexp_extract({value}, '{TRAILING_ZONE}', 1)"
        with_offset = f"regexp_replace({value}, '{TRAILING_ZONE}', '') || MAP {{{zones}}}[upper({zone})]"
        iso = f"CASE WHEN {zone} = '' THEN {value} ELSE {with_offset} END"
        return f"CAST(TRY_CAST({iso} AS TIMESTAMPTZ) AS TIMESTAMP)"
    return f"CAST(try_strptime({value}, {sql_literal(fmt)}) AS {DUCKDB_TYPES[col.type]})"


def _expected(col: Column, spec: ReportSpec, mp: Marketplace) -> str:
    if col.type == "int":
        return "a whole number like 12 or -3"
    if col.type in ("money", "decimal"):
        comma = spec.localized_numbers and mp.decimal_comma
        return f"a number like {'1.234,56' if comma else '1234.56'}"
    fmt = col.format_for(mp.code, mp.region)
    if fmt == ISO:
        return ("an ISO-8601 date-time like 2026-07-06T08:49:04-07:00, 2026-07-06T15:49:04Z or "
                f"2026-07-06 08:49:04 PDT (zone abbreviations: {', '.join(ZONE_ABBREVIATIONS)})")
    return f"the format {fmt}, e.g. {EXAMPLE_INSTANT.strftime(fmt)}"


def _raise_first_bad_value(con: duckdb.DuckDBPyConnection, raw: str, columns: list[Column],
                           casts: dict[str, str], spec: ReportSpec, mp: Marketplace, file_name: str) -> None:
    checks = [
        f"SELECT rowid + 2 AS line, {i} AS col, c{i} AS value FROM {raw} "
        f"WHERE NULLIF(trim(c{i}), '') IS NOT NULL AND {casts[c.name]} IS NULL"
        for i, c in enumerate(columns) if c.type != "text" and not c.pii
    ]
    if not checks:
        return
    bad = con.execute(f"SELECT * FROM ({' UNION ALL '.join(checks)}) ORDER BY line, col LIMIT 1").fetchone()
    if bad is None:
        return
    line, i, value = bad
    col = columns[i]
    raise ParseError(
        file_name, f"{value!r} does not parse as {col.type}: expected {_expected(col, spec, mp)}",
        line=int(line), column=col.header,
        hint=f"correct the value or download the report again; if Amazon changed the format for "
             f"{mp.code}, declare it in the catalog column {spec.name}.{col.name}",
    )


def _marketplace_expr(con: duckdb.DuckDBPyConnection, raw: str, spec: ReportSpec, columns: list[Column],
                      mp: Marketplace, file_name: str) -> str:
    """SQL for each row's marketplace id: the caller's, or for region-wide reports the row's own country."""
    if spec.scope != "region":
        return sql_literal(mp.marketplace_id)
    country_col = spec.column(spec.country_column)
    field = f"NULLIF(trim(c{columns.index(country_col)}), '')"
    found = con.execute(
        f"SELECT {field} AS country, min(rowid) + 2 AS line FROM {raw} GROUP BY ALL ORDER BY line"
    ).fetchall()
    ids = {}
    for country, line in found:  # one iteration per distinct country, not per row
        problem = None
        try:
            row_mp = marketplace(country or "")
        except ValueError as exc:
            problem = f"unknown country {country!r} ({exc})"
        else:
            if row_mp.region != mp.region:
                problem = (f"country {country!r} is in region {row_mp.region}, but the document was dropped "
                           f"for {mp.code} (region {mp.region})")
        if problem:
            raise ParseError(file_name, problem, line=int(line), column=country_col.header,
                             hint="land the file under a marketplace of the rows' region")
        ids[country] = row_mp.marketplace_id
    cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in ids.items())
    return f"CASE {field} {cases} END" if ids else "NULL"


def sql_literal(value: object) -> str:
    """A SQL literal for a value (text as written; dates, times and numbers as text a CAST reads); None is NULL.
    Ingestion renders values rather than binding them: DuckDB tries to import pandas for every bound value, a
    search of sys.path each time when pandas is absent."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"
