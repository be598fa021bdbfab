import gzip
import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.catalog import REPORTS
from ingestion.lake import row_columns
from ingestion.parse import ParsedDocument, ParseError, parse_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


def parse(data: bytes, code: str = "US", name: str = "doc.tsv") -> tuple[ParsedDocument, list[dict]]:
    con = duckdb.connect()
    doc = parse_document(data, file_name=name, seller_id="S1", marketplace_code=code,
                         document_id=hashlib.sha256(data).hexdigest(), con=con)
    rows = doc.rows.fetchall()
    return doc, [dict(zip(doc.rows.columns, r, strict=True)) for r in rows]


def parse_fixture(rel: str, code: str = "US") -> tuple[ParsedDocument, list[dict]]:
    return parse((FIXTURES / rel).read_bytes(), code, rel)


@pytest.mark.parametrize("spec", REPORTS, ids=lambda s: s.name)
def test_every_report_has_a_fixture_that_parses_to_exactly_its_lake_columns(spec):
    files = sorted((FIXTURES / spec.name).iterdir())
    assert files, f"no fixture for {spec.name}"
    for path in files:
        doc, rows = parse(path.read_bytes(), "DE" if path.stem.endswith("_de") else "US", path.name)
        assert doc.spec is spec
        assert list(zip(doc.rows.columns, map(str, doc.rows.types), strict=True)) == list(row_columns(spec))
        assert 3 <= doc.row_count == len(rows) <= 8
        assert [r["_line_number"] for r in rows] == list(range(2, len(rows) + 2))
        assert {r["seller_id"] for r in rows} == {"S1"}
        assert all(r["_document_id"] == hashlib.sha256(path.read_bytes()).hexdigest() for r in rows)


# (fixture, marketplace, line of the row checked, expected values)
EXACT = [
    ("ledger_detail/ledger_detail_na.tsv", "US", 4, {
        "event_date": date(2026, 7, 3), "quantity": -2, "reason": "M", "reconciled_quantity": 0,
        "unreconciled_quantity": 2, "event_at": datetime(2026, 7, 3, 9, 30), "store": None,
        "title": "Ceramic Mug, Blue, 12 oz", "marketplace_id": "ATVPDKIKX0DER", "_scope": "NA"}),
    ("ledger_summary/ledger_summary_na.tsv", "US", 5, {
        "summary_date": date(2026, 7, 1), "in_transit_between_warehouses": 6, "customer_shipments": -2,
        "ending_warehouse_balance": 38, "location": "CA", "marketplace_id": "A2EUQ1WTGCTBG2"}),
    ("inventory/inventory_us.tsv", "US", 2, {
        "your_price": Decimal("12.99"), "per_unit_volume": Decimal("0.0625"), "afn_total_quantity": 139,
        "mfn_fulfillable_quantity": None, "afn_researching_quantity": 2, "_scope": "ATVPDKIKX0DER"}),
    ("reimbursements/reimbursements_us.tsv", "US", 3, {
        "approved_at": datetime(2026, 8, 4, 0, 22, 9), "case_id": "15893345671",
        "amount_total": Decimal("12.99"), "currency_code": "USD", "quantity_reimbursed_total": 1}),
    ("reimbursements/reimbursements_us.tsv", "US", 5, {
        "amount_total": Decimal("-8.45"), "quantity_reimbursed_cash": -1, "case_id": None,
        "original_reimbursement_id": "5566778899", "original_reimbursement_type": "Lost_Warehouse"}),
    ("customer_returns/customer_returns_us.tsv", "US", 2, {
        "returned_at": datetime(2026, 9, 14, 7, 3, 57), "order_id": "114-3941689-8772232", "quantity": 1,
        "license_plate_number": "LPNRR123456789"}),
    ("replacements/replacements_us.tsv", "US", 3, {
        "shipped_at": datetime(2026, 8, 12, 9, 5, 31), "quantity": 2, "replacement_reason_code": "5",
        "original_amazon_order_id": "113-5567812-3342210"}),
    ("removal_orders/removal_orders_us.tsv", "US", 4, {
        "requested_at": datetime(2026, 7, 1, 8, 30), "order_source": "Seller-initiated Manual Removal",
        "in_process_quantity": 4, "removal_fee_amount": None}),
    ("removal_shipments/removal_shipments_us.tsv", "US", 3, {
        "shipped_at": datetime(2026, 6, 27, 10, 3, 45), "shipped_quantity": 4,
        "tracking_number": "1Z999AA10123456791"}),
    ("settlements/settlement_us.tsv", "US", 2, {
        "settlement_start_at": datetime(2026, 3, 13, 20, 21, 38), "total_amount": Decimal("1234.56"),
        "transaction_type": None, "amount": None, "posted_date": None}),
    ("settlements/settlement_us.tsv", "US", 4, {
        "amount_description": "Commission", "amount": Decimal("-1.95"), "posted_date": date(2026, 3, 14),
        "posted_at": datetime(2026, 3, 14, 8, 49, 4), "quantity_purchased": 1, "settlement_start_at": None}),
    ("settlements/settlement_de.tsv", "DE", 2, {
        "settlement_end_at": datetime(2026, 9, 15, 7, 8, 16), "total_amount": Decimal("1234.56"),
        "currency_code": "EUR", "marketplace_id": "A1PA6795UKMFR9"}),
    ("settlements/settlement_de.tsv", "DE", 3, {
        "amount": Decimal("1049.00"), "posted_date": date(2026, 9, 2),
        "posted_at": datetime(2026, 9, 2, 13, 45, 10)}),
    ("settlements/settlement_de.tsv", "DE", 4, {"amount": Decimal("-73.43")}),
    ("financial_events/financial_events_us.tsv", "US", 5, {
        "event_type": "AdjustmentEvent", "posted_at": datetime(2026, 3, 22, 6, 11), "quantity": 2,
        "amount": Decimal("16.90"), "amount_category": "adjustment"}),
    ("fee_preview/fee_preview_us.tsv", "US", 3, {
        "longest_side": Decimal("4.3"), "product_size_tier": "Small Standard-Size",
        "expected_fulfillment_fee_per_unit": Decimal("3.33"), "has_local_inventory": None}),
    ("storage_fees/storage_fees_us.tsv", "US", 4, {
        "month_of_charge": "2026-07", "average_quantity_on_hand": Decimal("6.0"),
        "estimated_monthly_storage_fee": Decimal("0.27"), "dangerous_goods_storage_type": "Flammable"}),
    ("inbound_shipments/inbound_shipments_us.tsv", "US", 4, {
        "shipment_id": "FBA15XYZ5555", "shipment_status": "RECEIVING"}),
    ("inbound_shipment_items/inbound_shipment_items_us.tsv", "US", 3, {
        "fnsku": "X002GHIJKL", "quantity_shipped": 12, "quantity_received": 10}),
    ("product_costs/product_costs.csv", "US", 5, {
        "sku": "CANDLE-LAV", "unit_cost_amount": Decimal("6.80"), "effective_date": date(2026, 3, 15)}),
]


@pytest.mark.parametrize(("rel", "code", "line", "expected"), EXACT, ids=[f"{e[0]}:{e[2]}" for e in EXACT])
def test_values_are_typed_as_declared(rel, code, line, expected):
    _, rows = parse_fixture(rel, code)
    row = next(r for r in rows if r["_line_number"] == line)
    assert {k: row[k] for k in expected} == expected


def test_window_coverage_is_the_min_and_max_date_of_the_coverage_column():
    doc, _ = parse_fixture("reimbursements/reimbursements_us.tsv")
    assert (doc.covers_from, doc.covers_to) == (date(2026, 8, 2), date(2026, 8, 9))
    doc, _ = parse_fixture("settlements/settlement_us.tsv")  # key coverage: no dates
    assert (doc.covers_from, doc.covers_to) == (None, None)


def test_region_wide_rows_take_their_marketplace_from_their_country():
    _, rows = parse_fixture("ledger_detail/ledger_detail_na.tsv", "CA")
    by_country = {(r["country"], r["marketplace_id"]) for r in rows}
    assert by_country == {("US", "ATVPDKIKX0DER"), ("CA", "A2EUQ1WTGCTBG2")}
    assert {r["_scope"] for r in rows} == {"NA"}


def test_unknown_country_and_country_of_another_region_are_errors():
    text = (FIXTURES / "ledger_detail/ledger_detail_na.tsv").read_text()
    with pytest.raises(ParseError) as err:
        parse(text.replace("\tCA\t", "\tXX\t").encode())
    assert (err.value.line, err.value.column) == (6, "Country") and "'XX'" in err.value.problem
    with pytest.raises(ParseError) as err:
        parse(text.encode(), "DE")
    assert "region NA" in str(err.value) and err.value.line == 2


def test_pii_column_is_dropped():
    doc, rows = parse_fixture("customer_returns/customer_returns_us.tsv")
    assert "customer_comments" not in doc.rows.columns
    assert not any("Jane" in str(v) for r in rows for v in r.values())


def test_quoted_csv_download_is_recognised_and_commas_inside_quotes_kept():
    doc, rows = parse_fixture("ledger_detail/ledger_detail_ui.csv")
    assert doc.spec.name == "ledger_detail"
    assert rows[0]["title"] == "Ceramic Mug, Blue, 12 oz" and rows[2]["quantity"] == -2
    assert rows[0]["event_at"] is None and rows[0]["reason"] is None


def test_gzip_bom_and_crlf_give_the_same_rows():
    data = (FIXTURES / "reimbursements/reimbursements_us.tsv").read_bytes()
    _, plain = parse(data)
    variant = gzip.compress(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    _, rows = parse(variant)
    assert len(rows) == 4
    for a, b in zip(plain, rows, strict=True):
        assert a | {"_document_id": None} == b | {"_document_id": None}


def test_cp1252_text_is_decoded_and_recorded():
    text = (FIXTURES / "inventory/inventory_us.tsv").read_text().replace("Soy Candle", "Bougie Crème Brûlée")
    doc, rows = parse(text.encode("cp1252"))
    assert doc.encoding == "cp1252"
    assert rows[2]["product_name"] == "Bougie Crème Brûlée, Lavender"


def test_cp932_is_tried_for_japan():
    text = (FIXTURES / "inventory/inventory_us.tsv").read_text()
    text = text.replace("Ceramic Mug, Blue, 12 oz", "マグカップ 青")
    doc, rows = parse(text.encode("cp932"), "JP")
    assert doc.encoding == "cp932" and rows[0]["product_name"] == "マグカップ 青"
    assert rows[0]["marketplace_id"] == "A1VC38T7YXB528"


def test_header_only_document_has_zero_rows():
    header = (FIXTURES / "replacements/replacements_us.tsv").read_bytes().split(b"\n")[0] + b"\n"
    doc, rows = parse(header)
    assert doc.spec.name == "replacements" and doc.row_count == 0 and rows == []
    assert (doc.covers_from, doc.covers_to) == (None, None)


@pytest.mark.parametrize(("rel", "line", "column", "words"), [
    ("bad/unknown_header.tsv", 1, "bonus-points", ["unknown column", "reimbursements"]),
    ("bad/missing_column.tsv", 1, "Country", ["missing required column", "ledger_detail"]),
    ("bad/bad_date.tsv", 3, "Date", ["'2026-07-02'", "%m/%d/%Y"]),
    ("bad/bad_number.tsv", 3, "amount-total", ["'N/A'", "1234.56"]),
    ("bad/wrong_field_count.tsv", 3, None, ["fewer fields", "12"]),
])
def test_bad_documents_name_file_line_and_column(rel, line, column, words):
    with pytest.raises(ParseError) as err:
        parse_fixture(rel)
    assert (err.value.file, err.value.line, err.value.column) == (rel, line, column)
    message = str(err.value)
    assert rel in message and f"line {line}" in message and "What to do" in message
    assert all(w in message for w in words)


def test_too_many_fields_and_blank_lines_are_errors_with_their_line():
    text = (FIXTURES / "inbound_shipment_items/inbound_shipment_items_us.tsv").read_text()
    lines = text.splitlines()
    with pytest.raises(ParseError, match="more fields") as err:
        parse(("\n".join(lines[:3] + [lines[3] + "\t7"]) + "\n").encode())
    assert err.value.line == 4
    with pytest.raises(ParseError, match="empty line") as err:
        parse(("\n".join(lines[:2] + [""] + lines[2:]) + "\n").encode())
    assert err.value.line == 3


def test_decimal_comma_only_where_the_marketplace_writes_it():
    # The same German-looking amount in a US settlement is not a number.
    text = (FIXTURES / "settlements/settlement_de.tsv").read_text()
    with pytest.raises(ParseError) as err:
        parse(text.replace("01.09.2026 07:08:16 UTC", "2026-09-01 07:08:16 UTC")
              .replace("15.09.2026 07:08:16 UTC", "2026-09-15 07:08:16 UTC")
              .replace("17.09.2026 07:08:16 UTC", "2026-09-17 07:08:16 UTC").encode())
    assert err.value.column == "total-amount" and "'1.234,56'" in err.value.problem


@pytest.mark.parametrize(("data", "words"), [
    (gzip.compress(b"sku\tunit_cost\tcurrency\teffective_date\n" * 50)[:40], "gzip"),
    (b"sku\tunit_cost\x81\x8d\x90\tcurrency\n", "encoding"),
    (b"", "empty"),
])
def test_unreadable_bytes_are_errors(data, words):
    with pytest.raises(ParseError, match=words):
        parse(data)
