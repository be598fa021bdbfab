"""The catalog is the one declaration: check it is internally consistent and matches Amazon's vocabulary."""

import pytest
from sp_api.base import ReportType

from ingestion import catalog
from ingestion.catalog import REPORTS, ReportSpec
from ingestion.catalog.spec import Column


def test_names_and_types_are_unique():
    assert len({r.name for r in REPORTS}) == len(REPORTS)
    assert len({r.report_type for r in REPORTS}) == len(REPORTS)


@pytest.mark.parametrize("spec", [r for r in REPORTS if r.source in ("report", "report_list")], ids=str)
def test_amazon_report_types_are_real(spec: ReportSpec):
    assert spec.report_type in ReportType.__members__


@pytest.mark.parametrize("spec", REPORTS, ids=lambda r: r.name)
def test_every_header_spelling_is_unambiguous(spec: ReportSpec):
    headers = [h for c in spec.columns for h in c.headers]
    assert len(headers) == len(set(headers))


@pytest.mark.parametrize("spec", REPORTS, ids=lambda r: r.name)
def test_dates_have_a_format_for_every_marketplace(spec: ReportSpec):
    for column in spec.columns:
        if column.type in ("date", "timestamp"):
            for m in catalog.MARKETPLACES:
                assert column.format_for(m.code, m.region)


def test_money_columns_are_decimal_and_snake_case_names():
    for spec in REPORTS:
        for column in spec.columns:
            assert column.name == column.name.lower() and " " not in column.name and "-" not in column.name
    assert catalog.DUCKDB_TYPES["money"].startswith("DECIMAL")


def test_lookup_by_name_type_and_marketplace():
    assert catalog.get("GET_FBA_REIMBURSEMENTS_DATA") is catalog.get("reimbursements")
    assert catalog.marketplace("GB").code == "UK"
    assert catalog.marketplace("ATVPDKIKX0DER").code == "US"
    with pytest.raises(ValueError, match="unknown marketplace 'XX'"):
        catalog.marketplace("XX")
    with pytest.raises(KeyError):
        catalog.get("GET_NOPE")


def test_a_bad_declaration_is_refused():
    with pytest.raises(ValueError, match="unknown column"):
        ReportSpec(name="x", report_type="X", description="", columns=(Column("a", "a"),),
                   coverage="key", coverage_column="b", natural_key=("a",))
    with pytest.raises(ValueError, match="country_column"):
        ReportSpec(name="x", report_type="X", description="", columns=(Column("a", "a"),),
                   coverage="snapshot", coverage_column=None, natural_key=("a",), scope="region")
