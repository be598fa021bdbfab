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
REJECTS = "_document_rejects"  # the read errors of the last document read on a connection


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
    marketplaces: tuple[str, ...]  # the marketplace ids of its rows (none when it has no rows)


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
    casts = {c.name: _cast(c, f"c{i}", spec, mp) for i, c in enumerate(columns)}
    scope = mp.region if spec.scope == "region" else mp.marketplace_id
    metadata = {"seller_id": sql_literal(seller_id), "marketplace_id": sql_literal(mp.marketplace_id),
                "_scope": sql_literal(scope), "_document_id": sql_literal(document_id), "_line_number": "_line"}
    table = "_document_rows"  # a temp table of `con`, replaced by the next document parsed on it
    coverage = f"CAST({spec.coverage_column} AS DATE)" if spec.coverage == "window" else "NULL"
    with tempfile.TemporaryDirectory(prefix="fbaudit-parse-") as tmp:
        path = Path(tmp) / "document.txt"
        path.write_text(text, encoding="utf-8")
        fields = _fields(con, path, tsv, len(headers), file_name)
        select = ", ".join(f"CAST({casts.get(name) or metadata.get(name) or 'NULL'} AS {typ}) AS {name}"
                           for name, typ in row_columns(spec))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select}, {_first_bad(columns, casts)} "
                    f"AS _bad FROM (SELECT *, row_number() OVER () + 1 AS _line FROM {fields})")
        _raise_read_error(con, len(headers), file_name)
        row_count, bad_line, bad_col, covers_from, covers_to = con.execute(
            f"SELECT count(*), min(_line_number) FILTER (WHERE _bad IS NOT NULL), "
            f"arg_min(_bad, _line_number) FILTER (WHERE _bad IS NOT NULL), min({coverage}), max({coverage}) "
            f"FROM {table}").fetchone()
        if bad_line is not None:
            value = con.execute(f"SELECT c{bad_col} FROM (SELECT *, row_number() OVER () + 1 AS _line "
                                f"FROM {fields}) WHERE _line = {bad_line}").fetchone()[0]
            _raise_bad_value(value, bad_line, columns[bad_col], spec, mp, file_name)
    rows, marketplaces = con.table(table), (mp.marketplace_id,) if row_count else ()
    if spec.scope == "region":
        ids = _country_marketplaces(con, table, spec, mp, file_name)
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in ids.items())
        market = f"CASE NULLIF(trim({spec.country_column}), '') {cases} END" if ids else "NULL"
        rows = rows.project(", ".join(market + " AS marketplace_id" if name == "marketplace_id" else name
                                      for name, _ in row_columns(spec)))
        marketplaces = tuple(sorted(set(ids.values())))
    else:
        rows = rows.project(", ".join(name for name, _ in row_columns(spec)))
    return ParsedDocument(spec, encoding, scope, rows, row_count, covers_from, covers_to, marketplaces)


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


def _fields(con: duckdb.DuckDBPyConnection, path: Path, tsv: bool, width: int, file_name: str) -> str:
    """A read_csv of every field of every row after the header, as VARCHAR columns c0..cN, in file order.
    Rows that cannot be read go to the rejects tables (see _raise_read_error)."""
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}; DROP TABLE IF EXISTS {REJECTS}_scan")
    varchar = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    delim, quote = ("\t", "") if tsv else (",", '"')
    return (f"read_csv({sql_literal(path)}, columns = {{{varchar}}}, "
            f"header = false, skip = 1, delim = '{delim}', quote = '{quote}', escape = '{quote}', "
            f"new_line = '\\n', auto_detect = false, strict_mode = true, "
            f"store_rejects = true, rejects_table = '{REJECTS}', rejects_scan = '{REJECTS}_scan')")


def _raise_read_error(con: duckdb.DuckDBPyConnection, width: int, file_name: str) -> None:
    first = con.execute(f"SELECT line, error_type FROM {REJECTS} ORDER BY line LIMIT 1").fetchone()
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


def _first_bad(columns: list[Column], casts: dict[str, str]) -> str:
    """SQL for the index of the row's first field that has a value its column's type cannot read, else NULL
    (text and personal data are not checked)."""
    whens = " ".join(f"WHEN NULLIF(trim(c{i}), '') IS NOT NULL AND {casts[c.name]} IS NULL THEN {i}"
                     for i, c in enumerate(columns) if c.type != "text" and not c.pii)
    return f"CASE {whens} END" if whens else "CAST(NULL AS INTEGER)"


def _raise_bad_value(value: str, line: int, col: Column, spec: ReportSpec, mp: Marketplace,
                     file_name: str) -> None:
    raise ParseError(
        file_name, f"{value!r} does not parse as {col.type}: expected {_expected(col, spec, mp)}",
        line=int(line), column=col.header,
        hint=f"correct the value or download the report again; if Amazon changed the format for "
             f"{mp.code}, declare it in the catalog column {spec.name}.{col.name}",
    )


def _country_marketplaces(con: duckdb.DuckDBPyConnection, table: str, spec: ReportSpec, mp: Marketplace,
                          file_name: str) -> dict[str, str]:
    """The marketplace id of each country the rows of a region-wide report name; a ParseError at the first row
    whose country is unknown or outside the document's region."""
    country_col = spec.column(spec.country_column)
    found = con.execute(
        f"SELECT NULLIF(trim({country_col.name}), '') AS country, min(_line_number) AS line FROM {table} "
        f"GROUP BY ALL ORDER BY line"
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
    return ids


def sql_literal(value: object) -> str:
    """A SQL literal for a value (text as written; dates, times and numbers as text a CAST reads); None is NULL.
    Ingestion renders values rather than binding them: DuckDB tries to import pandas for every bound value, a
    search of sys.path each time when pandas is absent."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"
