"""Bad input never loses good data: each odd or broken document is dropped into the inbox beside good ones, and
`land_inbox` lands it correctly or quarantines it with an error naming the line and column, while every good
file lands with all its rows. (Inputs already proved in tests/ingestion are listed in docs/reliability.md.)"""

import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion import lake
from ingestion.land import LandingResult, land_inbox
from ingestion.settings import Settings

GOOD = {  # fixture -> rows: dropped with every bad input, must always land whole
    "replacements/replacements_us.tsv": 3,
    "ledger_detail/ledger_detail_na.tsv": 6,
    "settlements/settlement_us.tsv": 7,
}


def drop_and_land(settings: Settings, reports_dir: Path, files: dict[str, bytes]) -> dict[str, LandingResult]:
    """Drop `files` ("US/name.tsv": bytes) into inbox/S1/ with the good fixtures in inbox/S1/US/; land; check
    that the good ones landed whole. The results by file name."""
    us = settings.inbox_dir / "S1" / "US"
    us.mkdir(parents=True)
    for rel in GOOD:
        shutil.copy(reports_dir / rel, us / f"good_{Path(rel).name}")
    for rel, data in files.items():
        (settings.inbox_dir / "S1" / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings.inbox_dir / "S1" / rel).write_bytes(data)
    results = {r.path.name: r for r in land_inbox(settings)}
    for rel, rows in GOOD.items():
        good = results[f"good_{Path(rel).name}"]
        assert (good.status, good.rows) == ("landed", rows), good.describe()
    return results


def rows_of(settings: Settings, result: LandingResult) -> list[dict]:
    pattern = settings.lake_dir / f"report={result.report}" / "seller_id=S1" / "*" / f"{result.document_id}.parquet"
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = false) ORDER BY _line_number")
    return [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]


def document_of(settings: Settings, result: LandingResult) -> dict:
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{lake.document_path(settings.lake_dir, 'S1', result.document_id)}')")
    return dict(zip(rel.columns, rel.fetchone(), strict=True))


def quarantined(result: LandingResult, *words: str) -> None:
    assert result.status == "quarantined" and result.rows == 0, result.describe()
    assert all(w in result.error for w in ("What to do", *words)), result.error


def test_japanese_cp932_and_cp1252_titles_land_and_mixed_encodings_are_quarantined(settings, reports_dir):
    text = (reports_dir / "inventory/inventory_us.tsv").read_text()
    japanese = text.replace("Ceramic Mug, Blue, 12 oz", "マグカップ「青」１２オンス")
    french = text.replace("Ceramic Mug, Blue, 12 oz", "Tasse céramique « bleue », 12 oz")
    lines = french.splitlines(keepends=True)
    mixed = lines[0].encode() + lines[1].encode("utf-8") + "".join(lines[2:]).replace(
        "Loose Leaf", "Thé en vrac").encode("cp1252")
    assert "Loose Leaf" in text
    results = drop_and_land(settings, reports_dir, {"JP/jp_inventory.tsv": japanese.encode("cp932"),
                                                    "US/fr_inventory.tsv": french.encode("cp1252"),
                                                    "US/mixed_inventory.tsv": mixed})

    for result, encoding, title, market in [
        (results["jp_inventory.tsv"], "cp932", "マグカップ「青」１２オンス", "A1VC38T7YXB528"),
        (results["fr_inventory.tsv"], "cp1252", "Tasse céramique « bleue », 12 oz", "ATVPDKIKX0DER"),
    ]:
        assert (result.status, result.rows) == ("landed", 3)
        assert document_of(settings, result)["encoding"] == encoding
        first = rows_of(settings, result)[0]
        assert (first["product_name"], first["marketplace_id"]) == (title, market)
    quarantined(results["mixed_inventory.tsv"], "mixed encodings", "line 2 is UTF-8", "line 3")


def test_zone_abbreviations_are_their_fixed_offsets_and_unknown_ones_are_quarantined(settings, reports_dir):
    text = (reports_dir / "reimbursements/reimbursements_us.tsv").read_text()
    named = (text.replace("2026-08-02T10:00:00Z", "2026-08-02 03:00:00 PDT")  # same instants, other spelling
             .replace("2026-08-03T17:22:09-07:00", "2026-08-03T16:22:09 PST")
             .replace("2026-08-05T08:00:00+00:00", "2026-08-05 08:00:00 UTC"))
    unknown = text.replace("2026-08-05T08:00:00+00:00", "2026-08-05 08:00:00 XST")
    results = drop_and_land(settings, reports_dir, {
        "US/plain.tsv": text.encode(), "US/named.tsv": named.encode(), "US/unknown.tsv": unknown.encode()})

    plain, named_rows = (rows_of(settings, results[n]) for n in ("plain.tsv", "named.tsv"))
    assert [r["approved_at"] for r in named_rows] == [r["approved_at"] for r in plain] == [
        datetime(2026, 8, 2, 10), datetime(2026, 8, 4, 0, 22, 9), datetime(2026, 8, 5, 8),
        datetime(2026, 8, 9, 12, 30)]
    quarantined(results["unknown.tsv"], "line 4", "'approval-date'", "'2026-08-05 08:00:00 XST'", "PDT")


def test_header_changes_land_or_are_quarantined_naming_the_columns(settings, reports_dir):
    returns = (reports_dir / "customer_returns/customer_returns_us.tsv").read_text()
    ledger = (reports_dir / "ledger_detail/ledger_detail_na.tsv").read_text()
    reimbursements = (reports_dir / "reimbursements/reimbursements_us.tsv").read_text()
    without_optional = "".join("\t".join(line.split("\t")[:-2]) + "\n" for line in ledger.splitlines())
    results = drop_and_land(settings, reports_dir, {
        "US/alias.tsv": returns.replace("\torder-id\t", "\tamazon-order-id\t", 1).encode(),  # a known other name
        "US/renamed.tsv": reimbursements.replace("approval-date", "approved-date", 1).encode(),
        "US/lost_optional.tsv": without_optional.encode(),  # no "Date and Time", no "Store"
    })

    alias = rows_of(settings, results["alias.tsv"])
    assert [r["order_id"] for r in alias] == ["114-3941689-8772232", "113-5567812-3342210", "112-7781234-1122334"]
    lost = rows_of(settings, results["lost_optional.tsv"])
    assert len(lost) == 6 and {(r["event_at"], r["store"]) for r in lost} == {(None, None)}
    quarantined(results["renamed.tsv"], "line 1", "'approved-date'", "['approval-date']", "renamed", "alias")


def test_quotes_tabs_and_line_breaks_inside_quoted_titles_land_exactly(settings, reports_dir):
    titles = ['Mug "Classic", 12 oz', "Tea\tTin\t200 g", 'He said ""hi""\nthen left', "  spaced  "]
    header, *rows = (reports_dir / "ledger_detail/ledger_detail_ui.csv").read_text().splitlines()
    quoted = [row.replace('"Ceramic Mug, Blue, 12 oz"', '"' + titles[n % 4].replace('"', '""') + '"')
              for n, row in enumerate(rows)]
    tsv = (reports_dir / "reimbursements/reimbursements_us.tsv").read_text().replace(
        "Ceramic Mug, Blue, 12 oz", '"Ceramic" Mug 12" oz')
    results = drop_and_land(settings, reports_dir, {
        "US/ui.csv": ("\n".join([header, *quoted]) + "\n").encode(), "US/quotes.tsv": tsv.encode()})

    landed = rows_of(settings, results["ui.csv"])
    original = [r.split('","')[4] for r in rows]
    expected = [titles[n % 4] if t == "Ceramic Mug, Blue, 12 oz" else t for n, t in enumerate(original)]
    assert [r["title"] for r in landed] == expected and titles[1] in expected
    assert [r["product_name"] for r in rows_of(settings, results["quotes.tsv"])][:2] == ['"Ceramic" Mug 12" oz'] * 2
