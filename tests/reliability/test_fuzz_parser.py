"""Fuzzing the report parser: random rows rendered as Amazon writes them (every marketplace's number and date
formats and encoding, tab- and comma-separated) parse back to exactly the values generated; random or
damaged bytes end in a `ParseError` (a quarantine), never another exception."""

import hashlib
import os
from datetime import date, datetime
from decimal import Decimal

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.catalog import ReportSpec, get, marketplace
from ingestion.parse import ParsedDocument, ParseError, parse_document
from ingestion.render import render_document

# Modest and, in CI, the same examples every run; locally each run explores new ones.
FUZZ = settings(max_examples=25, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SPECS = [get(name) for name in ("reimbursements", "settlements", "ledger_detail", "removal_orders",
                                "storage_fees")]
CODES = ("US", "DE", "FR", "UK", "JP", "SE")
CP932_ONE_WAY = "¢£¬‖−〜"  # cp932 writes these as their full-width forms: no file can round-trip them
SAMPLE = ("Ceramic Mug 12 oz", "Bougie Crème Brûlée", "マグカップ 青", "Tee „Premium“ – 100 g", "Größe XL")


def parse(data: bytes, code: str) -> tuple[ParsedDocument, list[dict]]:
    """The parsed document and its rows (read before the connection holding them closes)."""
    with duckdb.connect() as con:
        doc = parse_document(data, file_name="fuzz.tsv", seller_id="S1", marketplace_code=code,
                             document_id=hashlib.sha256(data).hexdigest(), con=con)
        return doc, [dict(zip(doc.rows.columns, r, strict=True)) for r in doc.rows.fetchall()]


def text_values(encoding: str, csv: bool) -> st.SearchStrategy[str]:
    """Titles and ids: any printable text the marketplace's encoding can hold, quotes included; tabs and line
    breaks only inside the quoted fields of a comma-separated download (a TSV field cannot hold them)."""
    letters = st.characters(codec=encoding, exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                            exclude_characters=CP932_ONE_WAY)
    extra = st.sampled_from('\t"' if csv else '"')
    samples = [text for text in SAMPLE if text.encode(encoding, "ignore").decode(encoding) == text]
    return st.one_of(st.sampled_from(samples), st.text(st.one_of(letters, extra), min_size=1, max_size=30))


def value(spec: ReportSpec, name: str, code: str, csv: bool) -> st.SearchStrategy[object]:
    col = spec.column(name)
    if name == spec.country_column:
        return st.sampled_from(marketplace(code).country_codes)
    kind = {
        "text": text_values(marketplace(code).encoding, csv),
        "int": st.integers(-10**12, 10**12),
        "money": st.integers(-10**12, 10**12).map(lambda cents: Decimal(cents) / 100),
        "decimal": st.integers(-10**15, 10**15).map(lambda units: Decimal(units).scaleb(-6).normalize()),
        "date": st.dates(date(2000, 1, 1), date(2035, 12, 31)),
        "timestamp": st.datetimes(datetime(2000, 1, 1), datetime(2035, 12, 31)).map(
            lambda moment: moment.replace(microsecond=0)),
    }[col.type]
    return kind if name == spec.coverage_column else st.one_of(st.none(), kind)


@st.composite
def documents(draw: st.DrawFn) -> tuple[ReportSpec, str, bool, list[dict]]:
    spec = draw(st.sampled_from(SPECS))
    code = draw(st.sampled_from(CODES))
    csv = draw(st.booleans())
    columns = [c.name for c in spec.stored_columns if c.required or draw(st.booleans())]
    row = st.fixed_dictionaries({name: value(spec, name, code, csv) for name in columns})
    return spec, code, csv, draw(st.lists(row, min_size=1, max_size=6))


@FUZZ
@given(documents())
def test_every_rendered_row_parses_back_to_the_generated_values(document):
    spec, code, csv, rows = document
    data = render_document(spec, rows, code, dialect="csv" if csv else "tsv")
    parsed, landed = parse(data, code)
    assert parsed.spec is spec and parsed.row_count == len(rows)
    names = [c.name for c in spec.stored_columns]
    for generated, row in zip(rows, landed, strict=True):
        assert {n: row[n] for n in names} == {n: generated.get(n) for n in names}


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(CODES))
def test_random_bytes_are_quarantined_never_a_crash(data, code):
    try:
        parse(data, code)
    except ParseError as error:
        assert str(error).startswith("fuzz.tsv")


@FUZZ
@given(documents(), st.data())
def test_damaged_documents_are_quarantined_or_parsed_never_a_crash(document, draw):
    spec, code, csv, rows = document
    data = bytearray(render_document(spec, rows, code, dialect="csv" if csv else "tsv"))
    for _ in range(draw.draw(st.integers(1, 4))):
        at = draw.draw(st.integers(0, len(data) - 1))
        action = draw.draw(st.sampled_from(("flip", "cut", "insert")))
        if action == "flip":
            data[at] = draw.draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:at + draw.draw(st.integers(1, 20))]
        else:
            data[at:at] = draw.draw(st.sampled_from([b"\t", b"\n", b'"', b",", b"\xff", b"\r\n", b"\x00"]))
        if not data:
            break
    try:
        parse(bytes(data), code)
    except ParseError:
        pass
