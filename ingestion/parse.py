"""One report document (bytes) -> typed rows in DuckDB, exactly as the catalog declares them.

Decode (gzip, BOM, encoding, CRLF), recognise the report from its header row, read every field as VARCHAR
with DuckDB's CSV reader (no sniffing), then cast in SQL per declared type. Any problem is a `ParseError`
naming the file, line (the header is line 1), column, bad value and what was expected."""

from __future__ import annotations

import csv
import gzip
import tempfile
import zlib
from dataclasses import dataclass, replace
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
ROWS = "_document_rows"  # the temp table of the documents last parsed on a connection
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
    rows: duckdb.DuckDBPyRelation | None  # exactly lake.row_columns(spec), in order (None: see ParsedBatch.rows)
    row_count: int
    covers_from: date | None  # min / max of the coverage column as dates (window coverage only)
    covers_to: date | None
    marketplaces: tuple[str, ...]  # the marketplace ids of its rows (none when it has no rows)


@dataclass(frozen=True)
class Prepared:
    """A document decoded and recognised from its header, its rows not read yet."""

    file_name: str
    seller_id: str
    mp: Marketplace
    document_id: str
    spec: ReportSpec
    encoding: str
    text: str  # decoded, LF line ends, ending with one newline
    tsv: bool
    columns: tuple[Column, ...]  # of the header, in file order

    @property
    def scope(self) -> str:
        return self.mp.region if self.spec.scope == "region" else self.mp.marketplace_id

    @property
    def shape(self) -> tuple[str, ...]:
        """Documents of one shape are read in one statement: same report, seller, marketplace and header."""
        return (self.spec.name, self.seller_id, self.mp.code, str(self.tsv), *(c.name for c in self.columns))


@dataclass(frozen=True)
class ParsedBatch:
    rows: duckdb.DuckDBPyRelation | None  # lake.row_columns(spec) of every document parsed; None if none was
    documents: list[ParsedDocument | None]  # per document given; None: it has a problem, parse it alone


def parse_document(data: bytes, *, file_name: str, seller_id: str, marketplace_code: str, document_id: str,
                   con: duckdb.DuckDBPyConnection) -> ParsedDocument:
    """Parse one document into a temp table of `con` (see parse_batch); its first problem is a ParseError."""
    doc = prepare(data, file_name=file_name, seller_id=seller_id, marketplace_code=marketplace_code,
                  document_id=document_id)
    batch = parse_batch([doc], con)
    return replace(batch.documents[0], rows=batch.rows)


def prepare(data: bytes, *, file_name: str, seller_id: str, marketplace_code: str,
            document_id: str) -> Prepared:
    """Decode the bytes and recognise the report from its header row; a ParseError if either fails."""
    mp = marketplace(marketplace_code)
    text, encoding = decode(data, file_name, mp)
    header_line, _, body = text.partition("\n")
    tsv = "\t" in header_line
    cells = header_line.split("\t") if tsv else next(csv.reader([header_line]))
    headers = [h.strip(" \u00a0") for h in cells]
    spec = recognise(headers, file_name)
    blank = ("\n" + body).find("\n\n")  # `body` ends with exactly one newline
    if blank >= 0:
        line = body.count("\n", 0, blank) + 2
        raise ParseError(file_name, "empty line between rows", line=line,
                         hint="remove the empty line (reports have no blank lines) and drop the file again")
    return Prepared(file_name, seller_id, mp, document_id, spec, encoding, text, tsv,
                    tuple(spec.header_map()[h] for h in headers))


def parse_batch(docs: list[Prepared], con: duckdb.DuckDBPyConnection) -> ParsedBatch:
    """Read and type documents of one shape in one statement, into a temp table of `con` (whose TimeZone this
    sets to UTC) that the next call on it replaces. One document: its first problem is raised as a ParseError,
    naming line, column and value. Several: any problem marks its document None (a row that cannot be read
    marks them all), to be parsed alone for the message."""
    first = docs[0]
    if any(d.shape != first.shape for d in docs):
        raise ValueError("parse_batch: the documents differ in shape")
    spec, mp, columns, alone = first.spec, first.mp, first.columns, len(docs) == 1
    con.execute("SET TimeZone = 'UTC'")
    casts = {c.name: _cast(c, f"c{i}", spec, mp) for i, c in enumerate(columns)}
    constants = {"seller_id": sql_literal(first.seller_id), "marketplace_id": sql_literal(mp.marketplace_id),
                 "_scope": sql_literal(first.scope)}
    # The files are read in order into the table, so a row's line (the header is line 1) is its rowid minus the
    # rows of the documents before its own, plus 2. A quoted field spanning lines breaks the count: checked below.
    counts = [doc.text.count("\n") - 1 for doc in docs]
    before = [sum(counts[:number]) for number in range(len(docs))]
    derived = {"_document_id": f"[{', '.join(sql_literal(d.document_id) for d in docs)}][_file + 1]",
               "_line_number": f"(rowid + 2 - {before}[_file + 1])"}
    line = derived["_line_number"]
    stored = ", ".join(f"CAST({casts.get(name) or constants.get(name) or 'NULL'} AS {typ}) AS {name}"
                       for name, typ in row_columns(spec) if name not in derived)
    coverage = f"CAST({spec.coverage_column} AS DATE)" if spec.coverage == "window" else "NULL"
    with tempfile.TemporaryDirectory(prefix="fbaudit-parse-") as tmp:
        paths = [Path(tmp) / f"{number}.txt" for number in range(len(docs))]
        for path, doc in zip(paths, docs, strict=True):
            path.write_text(doc.text, encoding="utf-8")
        fields = _fields(con, paths, first.tsv, len(columns), rejects=alone)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {ROWS} AS SELECT {stored}, "
                        f"CAST(file_index AS BIGINT) AS _file, {_first_bad(columns, casts)} AS _bad FROM {fields}")
        except duckdb.Error as exc:
            if not alone:
                return ParsedBatch(None, [None] * len(docs))
            raise ParseError(first.file_name, f"the rows cannot be read as {'tab' if first.tsv else 'comma'}"
                             f"-separated text: {exc}",
                             hint="check the file is an unedited report download") from None
        if alone:
            _raise_read_error(con, len(columns), first.file_name)
        stats = {row[0]: row[1:] for row in con.execute(
            f"SELECT _file, count(*), min({line}) FILTER (WHERE _bad IS NOT NULL), "
            f"arg_min(_bad, {line}) FILTER (WHERE _bad IS NOT NULL), min({coverage}), max({coverage}) "
            f"FROM {ROWS} GROUP BY _file").fetchall()}
        if not alone and [stats.get(number, (0,))[0] for number in range(len(docs))] != counts:
            return ParsedBatch(None, [None] * len(docs))
        bad = {number for number, (_, bad_line, *_) in stats.items() if bad_line is not None}
        if alone and bad:
            _, bad_line, col, *_ = stats[0]
            value = con.execute(f"SELECT c{col} FROM (SELECT *, row_number() OVER () + 1 AS _line FROM {fields}) "
                                f"WHERE _line = {bad_line}").fetchone()[0]
            _raise_bad_value(value, bad_line, columns[col], spec, mp, first.file_name)
    markets = [(mp.marketplace_id,)] * len(docs)
    if spec.scope == "region":
        countries, markets, bad = _country_marketplaces(con, spec, mp, docs, line, bad)
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in countries.items())
        derived["marketplace_id"] = f"CASE NULLIF(trim({spec.country_column}), '') {cases} END" if cases else "NULL"
    select = ", ".join(f"{derived[name]} AS {name}" if name in derived else name for name, _ in row_columns(spec))
    kept = f" WHERE _file NOT IN ({', '.join(map(str, sorted(bad)))})" if bad else ""
    rows = con.sql(f"SELECT {select} FROM {ROWS}{kept}")
    parsed = []
    for number, doc in enumerate(docs):
        count, _, _, covers_from, covers_to = stats.get(number, (0, None, None, None, None))
        parsed.append(None if number in bad else ParsedDocument(
            spec, doc.encoding, doc.scope, None, count, covers_from, covers_to, markets[number] if count else ()))
    return ParsedBatch(None if len(bad) == len(docs) else rows, parsed)


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
        text = text.removeprefix(UTF8_BOM)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "")
        if not text or text.isspace():
            raise ParseError(file_name, "the document is empty (no header row)",
                             hint="download the report again; an empty download has no data to land")
        if not text.endswith("\n") or text.endswith("\n\n"):  # (each copy of a large text costs)
            text = text.rstrip("\n") + "\n"
        return text, encoding
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


def _fields(con: duckdb.DuckDBPyConnection, paths: list[Path], tsv: bool, width: int, *, rejects: bool) -> str:
    """A read_csv of every field of every row after the header, as VARCHAR columns c0..cN, in file order
    (file_index: the file's position in `paths`). A
    row that cannot be read fails the statement, or with `rejects` goes to the rejects tables (see
    _raise_read_error), which one statement can have only once."""
    varchar = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    delim, quote = ("\t", "") if tsv else (",", '"')
    store = ""
    if rejects:
        con.execute(f"DROP TABLE IF EXISTS {REJECTS}; DROP TABLE IF EXISTS {REJECTS}_scan")
        store = f", store_rejects = true, rejects_table = '{REJECTS}', rejects_scan = '{REJECTS}_scan'"
    files = ", ".join(sql_literal(path) for path in paths)
    return (f"read_csv([{files}], columns = {{{varchar}}}, "
            f"header = false, skip = 1, delim = '{delim}', quote = '{quote}', escape = '{quote}', "
            f"new_line = '\\n', auto_detect = false, strict_mode = true{store})")


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


def _country_marketplaces(con: duckdb.DuckDBPyConnection, spec: ReportSpec, mp: Marketplace,
                          docs: list[Prepared], line: str, bad: set[int],
                          ) -> tuple[dict[str, str], list[tuple[str, ...]], set[int]]:
    """For a region-wide report: the marketplace id of each country its rows name, each document's marketplace
    ids, and the documents with a problem (`bad` and those naming a country unknown or outside the region).
    A lone document's first such row is raised as a ParseError. `line`: SQL for a row's line."""
    country_col = spec.column(spec.country_column)
    found = con.execute(
        f"SELECT _file, NULLIF(trim({country_col.name}), '') AS country, min({line}) AS line "
        f"FROM {ROWS} GROUP BY ALL ORDER BY line"
    ).fetchall()
    ids: dict[str, str] = {}
    markets: list[set[str]] = [set() for _ in docs]
    bad = set(bad)
    for number, country, first_line in found:  # one iteration per document and distinct country, not per row
        problem = None
        try:
            row_mp = marketplace(country or "")
        except ValueError as exc:
            problem = f"unknown country {country!r} ({exc})"
        else:
            if row_mp.region != mp.region:
                problem = (f"country {country!r} is in region {row_mp.region}, but the document was dropped "
                           f"for {mp.code} (region {mp.region})")
        if problem and len(docs) == 1:
            raise ParseError(docs[0].file_name, problem, line=int(first_line), column=country_col.header,
                             hint="land the file under a marketplace of the rows' region")
        if problem:
            bad.add(number)
        else:
            ids[country] = row_mp.marketplace_id
            markets[number].add(row_mp.marketplace_id)
    return ids, [tuple(sorted(found_ids)) for found_ids in markets], bad


def sql_literal(value: object) -> str:
    """A SQL literal for a value (text as written; dates, times and numbers as text a CAST reads); None is NULL.
    Ingestion renders values rather than binding them: DuckDB tries to import pandas for every bound value, a
    search of sys.path each time when pandas is absent."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"
