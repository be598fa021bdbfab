"""The shape of a report declaration. One `ReportSpec` per report type; everything else derives from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# Logical column types. Money is always DECIMAL(18,2); rates and volumes keep more places.
ColumnType = Literal["text", "int", "money", "decimal", "date", "timestamp"]

DUCKDB_TYPES: Mapping[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "money": "DECIMAL(18,2)",
    "decimal": "DECIMAL(18,6)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",  # always UTC; the parser converts any offset it reads
}

# strptime formats are keyed by marketplace code, by region ("EU"), or "*" for every marketplace.
# The special format "iso" means ISO-8601 with an optional offset or "Z" (read by a cast, not strptime).
ISO = "iso"


@dataclass(frozen=True)
class Column:
    header: str  # the exact header Amazon (or our own document) writes
    name: str  # our snake_case name
    type: ColumnType = "text"
    aliases: tuple[str, ...] = ()  # other spellings of the header seen in real files
    required: bool = True  # False: the column may be absent from a file (older or newer variants)
    formats: Mapping[str, str] = field(default_factory=dict)  # date/timestamp parse formats, see above
    pii: bool = False  # buyer personal data: dropped at landing, never stored
    description: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def format_for(self, marketplace: str, region: str) -> str:
        for key in (marketplace, region, "*"):
            if key in self.formats:
                return self.formats[key]
        raise KeyError(f"column {self.header!r} has no date format for {marketplace}")


@dataclass(frozen=True)
class ReportSpec:
    name: str  # our table name, e.g. "reimbursements"
    report_type: str  # Amazon's reportType, or FBAUDIT_* for documents of our own shape
    description: str
    columns: tuple[Column, ...]
    # How a newer document supersedes an older one ("latest document wins"):
    #   "window"   - per covered day: the newest document whose window covers a day owns that day's rows
    #   "key"      - per value of `coverage_column`: the newest document holding a key owns its rows
    #   "snapshot" - the newest document replaces the whole previous snapshot
    coverage: Literal["window", "key", "snapshot"]
    coverage_column: str | None  # the date column (window) or key column (key); None for snapshot
    natural_key: tuple[str, ...]  # identifies a row within one document's coverage (may repeat: ledger)
    # "marketplace": one document per marketplace. "region": one document per seller and region, each
    # row's own country column decides its marketplace (the inventory ledger is region-wide).
    scope: Literal["marketplace", "region"] = "marketplace"
    country_column: str | None = None
    # How fbaudit obtains it: the Reports API (create/poll or list), one of our JSON-API adapters, or a
    # file only the seller has.
    source: Literal["report", "report_list", "inbound_api", "finances_api", "seller_file"] = "report"
    report_options: Mapping[str, str] = field(default_factory=dict)
    max_window_days: int = 31  # longest window one request may ask for
    lookback_days: int = 540  # how far back Amazon serves it (18 months for most FBA reports)
    availability_lag_days: int = 1  # how long after a day ends its data is complete
    localized_numbers: bool = False  # EU files write "1.234,56"
    documentation: str = ""  # source of the declaration (reference section)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        for col in (self.coverage_column, self.country_column, *self.natural_key):
            if col is not None and col not in names:
                raise ValueError(f"{self.name}: unknown column {col!r}")
        if (self.coverage == "snapshot") != (self.coverage_column is None):
            raise ValueError(f"{self.name}: coverage_column is required unless coverage is 'snapshot'")
        if (self.scope == "region") != (self.country_column is not None):
            raise ValueError(f"{self.name}: region-wide reports need a country_column")

    @property
    def table(self) -> str:
        return self.name

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """The columns written to the lake: personal data never is."""
        return tuple(c for c in self.columns if not c.pii)

    def header_map(self) -> dict[str, Column]:
        return {h: c for c in self.columns for h in c.headers}
