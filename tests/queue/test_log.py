"""The actions log and claims register: append-only JSON Lines that survive rebuilds and crashes."""

import json
import stat
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from ingestion.queue.log import (
    Action,
    actions_path,
    append_action,
    ensure_claim_files,
    read_actions,
    read_register,
    register_new_claims,
    register_path,
)

from .conftest import SMALL_CLAIMS, write_small_warehouse

SNAPSHOT = dict(
    seller_id="S1", marketplace_id="ATVPDKIKX0DER", claim_type="warehouse_lost",
    reference_type="ledger_reference_id", reference_id="123", sku="SKU-1", fnsku="X001", asin="B001",
    occurred_date="2026-10-01", eligible_from_date="2026-10-31", deadline_date="2026-11-30", quantity=2,
    unit_value_amount="6.10", claim_amount="12.20", currency_code="USD", valuation_basis="manufacturing_cost",
    confidence="high", evidence="lost 2", case_text="Please reimburse.",
)


def action(number: int, kind: str = "note", **values) -> Action:
    return Action(action_id=f"{number:032x}", recorded_at="2026-11-28T15:04:05Z", action=kind,
                  claim_id=f"CLM-{number}", **{"note": f"note {number}", **SNAPSHOT, **values})


def test_ensure_claim_files_creates_a_private_folder_and_two_empty_files(settings):
    ensure_claim_files(settings)
    assert stat.S_IMODE(settings.claims_dir.stat().st_mode) == 0o700
    for path in (actions_path(settings), register_path(settings)):
        assert path.read_bytes() == b""
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    append_action(settings, action(1))
    before = actions_path(settings).read_bytes()
    ensure_claim_files(settings)  # before every build: what is there stays
    assert actions_path(settings).read_bytes() == before


def test_an_action_is_one_whole_json_line_with_amounts_as_decimal_strings(settings):
    append_action(settings, action(1, "filed", case_id="12345678901", note=None))
    append_action(settings, action(2))
    lines = actions_path(settings).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first)[:4] == ["action_id", "recorded_at", "action", "claim_id"]
    assert first["case_id"] == "12345678901" and first["claim_amount"] == "12.20" and first["quantity"] == 2
    assert stat.S_IMODE(actions_path(settings).stat().st_mode) == 0o600
    assert read_actions(settings) == [action(1, "filed", case_id="12345678901", note=None), action(2)]


def test_reading_skips_a_line_torn_by_a_crash_and_the_next_append_starts_a_new_line(settings):
    append_action(settings, action(1))
    whole = actions_path(settings).read_bytes()
    with actions_path(settings).open("ab") as log:
        log.write(whole[: len(whole) // 2])  # a crash in the middle of writing action 2
    assert read_actions(settings) == [action(1)]

    append_action(settings, action(3))
    assert read_actions(settings) == [action(1), action(3)]


def test_a_line_that_is_not_an_action_names_the_file_and_line(settings):
    append_action(settings, action(1))
    with actions_path(settings).open("a", encoding="utf-8") as log:
        log.write('{"action": "filed"}\n')
    with pytest.raises(ValueError, match=r"actions\.jsonl, line 2: not a valid Action line"):
        read_actions(settings)


def test_an_unknown_action_is_not_written(settings):
    with pytest.raises(ValueError, match="unknown claim action 'approved'"):
        append_action(settings, action(1, "approved"))
    assert read_actions(settings) == []


def test_the_register_holds_each_found_claim_once_from_the_build_that_first_found_it(queue_data):
    warehouse = queue_data.data_dir / "published" / "warehouse.duckdb"
    assert register_new_claims(queue_data, warehouse) == 6  # waiting, claimable, expired; not paid ones
    registered = read_register(queue_data)
    assert {c.claim_id for c in registered} == {
        claim_id for claim_id, values in SMALL_CLAIMS.items()
        if values[5] in ("waiting", "claimable", "expired")
    }
    first = next(c for c in registered if c.claim_id == "CLM-claimable")
    assert (first.first_seen_on, first.claim_amount, first.deadline_date, first.quantity) == (
        "2026-11-28", "120.00", "2026-12-20", 2)
    assert stat.S_IMODE(register_path(queue_data).stat().st_mode) == 0o600

    before = register_path(queue_data).read_bytes()
    assert register_new_claims(queue_data, warehouse) == 0
    assert register_path(queue_data).read_bytes() == before

    later = replace(queue_data, as_of=date(2026, 12, 1))
    write_small_warehouse(warehouse, {**SMALL_CLAIMS, "CLM-new": SMALL_CLAIMS["CLM-claimable"]})
    assert register_new_claims(later, warehouse) == 1
    assert [(c.claim_id, c.first_seen_on) for c in read_register(later)][-1] == ("CLM-new", "2026-12-01")


@pytest.mark.slow
def test_the_demo_sellers_claims_are_registered_once(demo_data):
    with duckdb.connect(str(demo_data.warehouse_path), read_only=True) as con:
        (found,) = con.execute("select count(*) from marts.fct_claim_opportunities "
                               "where status in ('waiting', 'claimable', 'expired')").fetchone()
    assert found > 0
    assert register_new_claims(demo_data, demo_data.warehouse_path) == found
    assert register_new_claims(demo_data, demo_data.warehouse_path) == 0
    assert len({c.claim_id for c in read_register(demo_data)}) == found
