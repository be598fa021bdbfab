import dataclasses
import gzip
import hashlib
import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from ingestion import lake
from ingestion.catalog import get
from ingestion.land import land_file, land_inbox, land_paths

LEDGER = "ledger_detail/ledger_detail_na.tsv"


def read(pattern: Path) -> list[dict]:
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = false)")
    return [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]


def lake_files(settings) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in settings.data_dir.rglob("*") if p.is_file()}


def test_landing_writes_raw_bytes_rows_and_the_document_row(settings, reports_dir):
    path = reports_dir / "reimbursements/reimbursements_us.tsv"
    result = land_file(path, seller_id="S1", marketplace_code="US", settings=settings,
                       created_at=datetime(2026, 8, 10, 9, 0, tzinfo=UTC), load_source="sp_api",
                       source_name="50012345678", covers=(date(2026, 8, 1), date(2026, 8, 10)))
    data = path.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    assert (result.status, result.report, result.rows, result.document_id, result.error) == (
        "landed", "reimbursements", 4, doc_id, None)
    assert result.marketplace_id == "ATVPDKIKX0DER" and result.seller_id == "S1"
    spec = get("reimbursements")
    assert gzip.decompress(lake.raw_path(settings.landing_dir, spec, "S1", doc_id).read_bytes()) == data
    rows = read(lake.rows_path(settings.lake_dir, spec, "S1", "ATVPDKIKX0DER", doc_id))
    assert [r["reimbursement_id"] for r in rows] == ["5566778899", "5566779012", "5566781234", "5566790001"]
    (document,) = read(lake.document_path(settings.lake_dir, "S1", doc_id))
    assert document | {"landed_at": None} == {
        "document_id": doc_id, "report": "reimbursements", "report_type": "GET_FBA_REIMBURSEMENTS_DATA",
        "seller_id": "S1", "marketplace_id": "ATVPDKIKX0DER", "scope": "ATVPDKIKX0DER",
        "covers_from": date(2026, 8, 1), "covers_to": date(2026, 8, 10),
        "created_at": datetime(2026, 8, 10, 9, 0), "landed_at": None, "load_source": "sp_api",
        "source_name": "50012345678", "encoding": "utf-8", "row_count": 4,
    }
    assert lake.empty_path(settings.lake_dir, "reimbursements").exists()  # ensure_lake ran
    assert not list(settings.data_dir.rglob("*.tmp"))


def test_landing_twice_is_a_no_op(settings, reports_dir):
    path = reports_dir / LEDGER
    first = land_file(path, seller_id="S1", marketplace_code="US", settings=settings)
    before = lake_files(settings)
    second = land_file(path, seller_id="S1", marketplace_code="US", settings=settings)
    assert (first.status, second.status) == ("landed", "duplicate")
    assert (second.report, second.rows, second.document_id) == ("ledger_detail", 0, first.document_id)
    assert lake_files(settings) == before


def test_a_duplicate_names_its_report_without_its_raw_copy(settings, reports_dir):
    """The report of a duplicate comes from its raw copy's folder; with the copy gone, from its documents row."""
    path = reports_dir / LEDGER
    first = land_file(path, seller_id="S1", marketplace_code="US", settings=settings)
    lake.raw_path(settings.landing_dir, get("ledger_detail"), "S1", first.document_id).unlink()
    second = land_file(path, seller_id="S1", marketplace_code="US", settings=settings)
    assert (second.status, second.report) == ("duplicate", "ledger_detail")


def test_region_wide_ledger_is_split_into_one_file_per_marketplace(settings, reports_dir):
    result = land_file(reports_dir / LEDGER, seller_id="S1", marketplace_code="US", settings=settings)
    spec = get("ledger_detail")
    us = read(lake.rows_path(settings.lake_dir, spec, "S1", "ATVPDKIKX0DER", result.document_id))
    ca = read(lake.rows_path(settings.lake_dir, spec, "S1", "A2EUQ1WTGCTBG2", result.document_id))
    assert [r["_line_number"] for r in us] == [2, 3, 4, 5] and {r["country"] for r in us} == {"US"}
    assert [r["_line_number"] for r in ca] == [6, 7] and {r["country"] for r in ca} == {"CA"}
    (document,) = read(lake.document_path(settings.lake_dir, "S1", result.document_id))
    assert (document["scope"], document["marketplace_id"]) == ("NA", "ATVPDKIKX0DER")
    assert (document["covers_from"], document["covers_to"]) == (date(2026, 7, 1), date(2026, 7, 5))


def test_zero_row_document_still_gets_its_document_row(settings, tmp_path, reports_dir):
    path = tmp_path / "empty_returns.tsv"
    path.write_bytes((reports_dir / "customer_returns/customer_returns_us.tsv").read_bytes().split(b"\n")[0])
    result = land_file(path, seller_id="S1", marketplace_code="US", settings=settings,
                       covers=(date(2026, 9, 1), date(2026, 9, 2)))
    assert (result.status, result.rows) == ("landed", 0)
    (document,) = read(lake.document_path(settings.lake_dir, "S1", result.document_id))
    assert (document["row_count"], document["covers_to"]) == (0, date(2026, 9, 2))
    assert not list((lake.report_dir(settings.lake_dir, "customer_returns")).glob("seller_id=*"))


def test_bad_files_are_quarantined_and_the_good_ones_in_the_batch_still_land(settings, tmp_path, reports_dir):
    batch = tmp_path / "batch"
    shutil.copytree(reports_dir / "bad", batch)
    (batch / "truncated.tsv.gz").write_bytes(
        gzip.compress((reports_dir / LEDGER).read_bytes())[:60])
    (batch / "undecodable.tsv").write_bytes(b"sku\tunit_cost\x81\x8d\x90\n")
    shutil.copy(reports_dir / "replacements/replacements_us.tsv", batch / "zz_good.tsv")
    messages = []
    results = land_paths([batch], seller_id="S1", marketplace_code="US", settings=settings,
                         progress=messages.append)

    by_name = {r.path.name: r for r in results}
    assert len(messages) == len(results) == 8
    assert by_name["zz_good.tsv"].status == "landed"
    assert messages[-1] == f"landed replacements 3 rows from {batch / 'zz_good.tsv'}"
    bad = [r for r in results if r.path.name != "zz_good.tsv"]
    assert {r.status for r in bad} == {"quarantined"}
    assert all(r.document_id is None and r.rows == 0 for r in bad)
    expected = {  # what each error file must say, besides the file's own path
        "unknown_header.tsv": ["line 1", "'bonus-points'"],
        "missing_column.tsv": ["line 1", "'Country'"],
        "bad_date.tsv": ["line 3", "'Date'", "'2026-07-02'"],
        "bad_number.tsv": ["line 3", "'amount-total'", "'N/A'"],
        "wrong_field_count.tsv": ["line 3", "fewer fields"],
        "truncated.tsv.gz": ["gzip"],
        "undecodable.tsv": ["encoding"],
    }
    quarantine = settings.quarantine_dir
    for name, words in expected.items():
        (copy,) = [q for q in quarantine.glob(f"*-{name}")]
        assert copy.read_bytes() == (batch / name).read_bytes()
        error_file = copy.with_name(copy.name + ".error.txt")
        assert by_name[name].error_file == error_file
        error = error_file.read_text()
        assert all(w in error for w in [str(batch / name), "What to do", *words]), error
        assert error.strip() == by_name[name].error
    (document,) = read(settings.lake_dir / "report=_documents" / "seller_id=S1" / "*.parquet")
    assert document["report"] == "replacements"
    assert [p.parent.name for p in settings.landing_dir.rglob("*.gz")] == ["S1"]


def test_unknown_marketplace_code_argument_raises_and_missing_paths_raise(settings, reports_dir):
    with pytest.raises(ValueError, match="unknown marketplace"):
        land_file(reports_dir / LEDGER, seller_id="S1", marketplace_code="XX", settings=settings)
    with pytest.raises(FileNotFoundError, match="nope"):
        land_paths([reports_dir / "nope"], seller_id="S1", marketplace_code="US", settings=settings)


def test_inbox_lands_in_place_and_a_rerun_changes_nothing(settings, reports_dir):
    us = settings.inbox_dir / "S1" / "US"
    us.mkdir(parents=True)
    de = settings.inbox_dir / "S2" / "DE"
    de.mkdir(parents=True)
    shutil.copy(reports_dir / LEDGER, us)
    shutil.copy(reports_dir / "bad/bad_date.tsv", us)
    (us / "gz").mkdir()
    (us / "gz" / "costs.csv.gz").write_bytes(gzip.compress((reports_dir / "product_costs/product_costs.csv")
                                                          .read_bytes()))
    shutil.copy(reports_dir / "settlements/settlement_de.tsv", de)
    (settings.inbox_dir / "S1" / "Germany").mkdir()
    shutil.copy(reports_dir / "inventory/inventory_us.tsv", settings.inbox_dir / "S1" / "Germany")

    first = land_inbox(settings)
    statuses = {(r.path.name, r.seller_id, r.status) for r in first}
    assert statuses == {
        ("ledger_detail_na.tsv", "S1", "landed"), ("bad_date.tsv", "S1", "quarantined"),
        ("costs.csv.gz", "S1", "landed"), ("settlement_de.tsv", "S2", "landed"),
        ("inventory_us.tsv", "S1", "quarantined"),
    }
    assert "not a marketplace code" in next(r.error for r in first if r.path.name == "inventory_us.tsv")
    assert next(r for r in first if r.path.name == "settlement_de.tsv").marketplace_id == "A1PA6795UKMFR9"
    assert (us / "bad_date.tsv").exists() and (de / "settlement_de.tsv").exists()

    before = lake_files(settings)
    messages = []
    second = land_inbox(settings, progress=messages.append)
    assert sorted(r.status for r in second) == ["duplicate", "duplicate", "duplicate", "quarantined",
                                                "quarantined"]
    assert len(messages) == 3 and "3 files already landed and unchanged since: not read again" in messages
    assert lake_files(settings) == before  # the quarantined files were not copied again


def test_a_quarantined_file_is_recorded_in_the_lake_quarantine_table(settings, tmp_path, reports_dir):
    bad = tmp_path / "drop" / "bad_date.tsv"
    bad.parent.mkdir()
    shutil.copy(reports_dir / "bad/bad_date.tsv", bad)
    before = datetime.now(UTC).replace(tzinfo=None)
    result = land_file(bad, seller_id="S1", marketplace_code="US", settings=settings)
    quarantine_id = hashlib.sha256(bad.read_bytes()).hexdigest()
    (row,) = read(lake.quarantine_path(settings.lake_dir, "S1", quarantine_id))
    (copy,) = settings.quarantine_dir.glob("*-bad_date.tsv")
    assert row | {"quarantined_at": None, "error": None} == {
        "quarantine_id": quarantine_id, "seller_id": "S1", "marketplace_id": "ATVPDKIKX0DER",
        "file_name": "bad_date.tsv", "quarantined_path": str(copy), "error_path": str(result.error_file),
        "error": None, "quarantined_at": None,
    }
    first_line = result.error.splitlines()[0]
    assert str(bad) in first_line and row["error"] == first_line.replace(str(bad), "bad_date.tsv")
    assert "\n" not in row["error"] and "line 3" in row["error"]
    assert before <= row["quarantined_at"] <= datetime.now(UTC).replace(tzinfo=None)
    assert lake.empty_path(settings.lake_dir, lake.QUARANTINE).exists()
    assert not list(settings.data_dir.rglob("*.tmp"))


def test_a_file_quarantined_before_the_table_existed_is_recorded_at_its_first_stamp(settings, reports_dir):
    bad = reports_dir / "bad/unknown_header.tsv"
    land_file(bad, seller_id="S1", marketplace_code="DE", settings=settings)
    record = lake.quarantine_path(settings.lake_dir, "S1", hashlib.sha256(bad.read_bytes()).hexdigest())
    (copy,) = settings.quarantine_dir.glob("*-unknown_header.tsv")
    old_copy = copy.rename(copy.with_name("20260101T120000000000Z-unknown_header.tsv"))
    copy.with_name(copy.name + ".error.txt").rename(old_copy.with_name(old_copy.name + ".error.txt"))
    record.unlink()

    land_file(bad, seller_id="S1", marketplace_code="DE", settings=settings)
    assert sorted(settings.quarantine_dir.iterdir()) == [old_copy, old_copy.with_name(old_copy.name + ".error.txt")]
    (row,) = read(record)
    assert (row["quarantined_path"], row["quarantined_at"]) == (str(old_copy), datetime(2026, 1, 1, 12, 0))
    assert row["marketplace_id"] == "A1PA6795UKMFR9"


def test_a_file_in_a_folder_that_is_no_marketplace_is_recorded_without_one(settings, reports_dir):
    folder = settings.inbox_dir / "S2" / "Germany"
    folder.mkdir(parents=True)
    shutil.copy(reports_dir / "inventory/inventory_us.tsv", folder)
    (result,) = land_inbox(settings)
    assert result.status == "quarantined"
    (row,) = read(settings.lake_dir / "report=_quarantine" / "seller_id=S2" / "*.parquet")
    assert (row["seller_id"], row["marketplace_id"], row["file_name"]) == ("S2", "", "inventory_us.tsv")
    assert row["error"].startswith(f"{folder}: the folder name is not a marketplace code (unknown marketplace")


def test_documents_of_one_shape_land_in_one_batch_exactly_as_each_would_alone(settings, tmp_path, reports_dir):
    """Documents sharing a header are read together; the lake must not tell: same rows, lines, marketplaces.
    A bad document among them is quarantined with the message it gets alone, and so is its copy."""
    original = (reports_dir / LEDGER).read_text()
    folder = tmp_path / "batch"
    folder.mkdir()
    variants = {  # name -> text (each a distinct document of the same shape)
        "a.tsv": original,
        "b.tsv": original.replace("Ceramic Mug", "Stoneware Mug"),
        "c_bad_date.tsv": original.replace("07/03/2026", "2026-07-03", 1),  # line 4
        "d_empty.tsv": original.split("\n", 1)[0] + "\n",
        "e_foreign.tsv": original.replace("\tCA\t", "\tDE\t", 1),  # line 6
        "f.tsv": original.replace("Loose Leaf", "Green"),
        "g_copy_of_b.tsv": original.replace("Ceramic Mug", "Stoneware Mug"),
        "h_copy_of_c.tsv": original.replace("07/03/2026", "2026-07-03", 1),
    }
    for name, text in variants.items():
        (folder / name).write_text(text)

    results = {r.path.name: r for r in land_paths([folder], seller_id="S1", marketplace_code="US",
                                                  settings=settings)}

    assert {name: r.status for name, r in results.items()} == {
        "a.tsv": "landed", "b.tsv": "landed", "c_bad_date.tsv": "quarantined", "d_empty.tsv": "landed",
        "e_foreign.tsv": "quarantined", "f.tsv": "landed", "g_copy_of_b.tsv": "duplicate",
        "h_copy_of_c.tsv": "quarantined"}
    assert results["g_copy_of_b.tsv"].document_id == results["b.tsv"].document_id
    alone = land_file(folder / "c_bad_date.tsv", seller_id="S1", marketplace_code="US",
                      settings=replace_data_dir(settings, tmp_path / "alone"))
    assert results["c_bad_date.tsv"].error == alone.error
    assert "line 4" in alone.error and "'2026-07-03'" in alone.error
    assert results["h_copy_of_c.tsv"].error == results["c_bad_date.tsv"].error
    assert "line 6" in results["e_foreign.tsv"].error and "'DE' is in region EU" in results["e_foreign.tsv"].error

    one_by_one = replace_data_dir(settings, tmp_path / "one_by_one")
    for name in ("a.tsv", "b.tsv", "d_empty.tsv", "f.tsv"):
        assert land_file(folder / name, seller_id="S1", marketplace_code="US", settings=one_by_one).status == "landed"
    for report, count in (("ledger_detail", 18), ("_documents", 4)):
        pattern = f"report={report}/**/*.parquet"
        batched, single = (sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k != "landed_at"))
                                  for row in read(lake_dir / pattern))
                           for lake_dir in (settings.lake_dir, one_by_one.lake_dir))
        assert batched == single and len(batched) == count
    rows = read(settings.lake_dir / "report=ledger_detail/**/*.parquet")
    assert {(r["_line_number"], r["marketplace_id"]) for r in rows} == {
        (2, "ATVPDKIKX0DER"), (3, "ATVPDKIKX0DER"), (4, "ATVPDKIKX0DER"), (5, "ATVPDKIKX0DER"),
        (6, "A2EUQ1WTGCTBG2"), (7, "A2EUQ1WTGCTBG2")}


def replace_data_dir(settings, data_dir: Path):
    return dataclasses.replace(settings, data_dir=data_dir)


def test_an_inbox_file_unchanged_since_it_landed_is_not_read_again(settings, reports_dir):
    """The inbox index: a file with the size and mtime it landed with is its document again, unread (so a
    same-size rewrite that kept the mtime goes unnoticed, as with rsync); a new mtime, a lost lake document or
    a lost index means the file is read again."""
    folder = settings.inbox_dir / "S1" / "US"
    folder.mkdir(parents=True)
    ledger = folder / "ledger.tsv"
    shutil.copy(reports_dir / LEDGER, ledger)
    (first,) = land_inbox(settings)
    assert first.status == "landed"

    text = ledger.read_text()
    stat = ledger.stat()
    ledger.write_text(text.replace("Shipments", "Shipmentz", 1))  # same size: a different document, unread
    os.utime(ledger, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    messages = []
    (unread,) = land_inbox(settings, progress=messages.append)
    assert (unread.status, unread.document_id, unread.report) == ("duplicate", first.document_id, "ledger_detail")
    assert messages == ["1 files already landed and unchanged since: not read again"]

    os.utime(ledger, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched: read again
    (read_again,) = land_inbox(settings)
    assert read_again.status == "landed" and read_again.document_id != first.document_id
    ledger.write_text(text)
    assert land_inbox(settings)[0].status == "duplicate"  # the first document, known by its bytes

    shutil.rmtree(settings.lake_dir)  # its document is gone from the lake: landed again
    (relanded,) = land_inbox(settings)
    assert (relanded.status, relanded.document_id) == ("landed", first.document_id)

    (settings.landing_dir / "inbox-index.json").write_text("{not json")  # a lost index: every file read once
    assert land_inbox(settings)[0].status == "duplicate"
    assert json.loads((settings.landing_dir / "inbox-index.json").read_text())["S1/US/ledger.tsv"][2] == \
        first.document_id
