"""Write report rows as Amazon would: the inverse of parsing, driven by the same catalog declaration.

Rows are dicts keyed by our column names. Values: `date`, `datetime` (UTC; naive means UTC), `Decimal`,
`int`, `str` or `None` (an empty field). Headers come from the catalog in declaration order; an optional
column is written only if at least one row holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .catalog import ISO, Column, ReportSpec, marketplace

CENT = Decimal("0.01")
Formatter = Callable[[Any], str]


def _integer(value: Any) -> str:
    if type(value) is not int:
        raise TypeError(f"expected an int, got {value!r}")
    return str(value)


def _number(places: Decimal | None, decimal_comma: bool) -> Formatter:
    def fmt(value: Any) -> str:
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise TypeError(f"expected a Decimal, got {value!r}")
        number = Decimal(value)
        if places is not None:
            number = number.quantize(places, rounding=ROUND_HALF_UP)
        if not decimal_comma:
            return f"{number:f}"
        return f"{number:,f}".replace(",", "_").replace(".", ",").replace("_", ".")

    return fmt


def _date(pattern: str) -> Formatter:
    seen: dict[date, str] = {}  # documents repeat few distinct dates many times

    def fmt(value: Any) -> str:
        if type(value) is not date:
            raise TypeError(f"expected a date, got {value!r}")
        if value not in seen:
            seen[value] = value.isoformat() if pattern == ISO else value.strftime(pattern)
        return seen[value]

    return fmt


def _timestamp(pattern: str, zone: ZoneInfo) -> Formatter:
    def fmt(value: Any) -> str:
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {value!r}")
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if pattern == ISO:
            return utc.astimezone(zone).isoformat()
        return utc.strftime(pattern)

    return fmt


def _formatter(spec: ReportSpec, column: Column, code: str) -> Formatter:
    place = marketplace(code)
    if column.type == "int":
        return _integer
    if column.type in ("money", "decimal"):
        comma = spec.localized_numbers and place.decimal_comma
        return _number(CENT if column.type == "money" else None, comma)
    if column.type == "date":
        return _date(column.format_for(place.code, place.region))
    if column.type == "timestamp":
        return _timestamp(column.format_for(place.code, place.region), ZoneInfo(place.timezone))
    return str


def document_columns(spec: ReportSpec, rows: Iterable[Mapping[str, Any]]) -> tuple[Column, ...]:
    """The columns a document holds: every required column, and each optional one some row holds."""
    present: set[str] = set()
    for row in rows:
        present.update(row)
    unknown = present - {c.name for c in spec.columns}
    if unknown:
        raise ValueError(f"{spec.name}: rows hold columns the catalog does not declare: {sorted(unknown)}")
    return tuple(c for c in spec.columns if c.required or c.name in present)


def render_document(
    spec: ReportSpec,
    rows: Iterable[Mapping[str, Any]],
    marketplace_code: str,
    *,
    dialect: Literal["tsv", "csv"] = "tsv",
) -> bytes:
    """The bytes of one report document holding `rows`, in the marketplace's formats and encoding.

    `dialect="tsv"`: tab-separated, as the Reports API serves it. `dialect="csv"`: every field double-quoted
    and comma-separated, as Seller Central's download buttons write it."""
    rows = list(rows)
    columns = document_columns(spec, rows)
    formatters = [_formatter(spec, c, marketplace_code) for c in columns]
    if dialect == "tsv":
        def join(fields: list[str]) -> str:
            line = "\t".join(fields)
            if line.count("\t") != len(fields) - 1 or "\n" in line or "\r" in line:
                raise ValueError(f"{spec.name}: a tab or line break cannot be written in a TSV field: {fields}")
            return line
    elif dialect == "csv":
        def join(fields: list[str]) -> str:
            return ",".join('"' + text.replace('"', '""') + '"' for text in fields)
    else:
        raise ValueError(f"unknown dialect {dialect!r} (tsv or csv)")
    lines = [join([c.header for c in columns])]
    pairs = [(c.name, fmt) for c, fmt in zip(columns, formatters, strict=True)]
    for number, row in enumerate(rows, start=2):
        try:
            fields = ["" if (value := row.get(name)) is None else fmt(value) for name, fmt in pairs]
        except TypeError:
            for column, fmt in zip(columns, formatters, strict=True):
                try:
                    if row.get(column.name) is not None:
                        fmt(row[column.name])
                except TypeError as error:
                    raise TypeError(f"{spec.name}: line {number}, column {column.header!r}: {error}") from None
            raise
        lines.append(join(fields))
    text = "\n".join(lines) + "\n"
    encoding = marketplace(marketplace_code).encoding
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        line = text.count("\n", 0, error.start) + 1
        raise ValueError(f"{spec.name}: line {line}: {text[error.start]!r} cannot be written in {encoding} "
                         f"(marketplace {marketplace_code})") from None
