"""Request windows from the catalog, what is due, and the ledger file."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from ingestion import catalog
from ingestion.sp_api.ledger import Entry, Ledger, due, windows

AS_OF = date(2026, 9, 30)


def test_windows_are_whole_months_within_the_report_limits():
    monthly = windows(catalog.get("reimbursements"), AS_OF, since=date(2026, 6, 15))  # max 60 days
    assert [(w.key, w.start, w.end) for w in monthly] == [
        ("2026-06-01", date(2026, 6, 1), date(2026, 6, 30)),
        ("2026-07-01", date(2026, 7, 1), date(2026, 7, 31)),
        ("2026-08-01", date(2026, 8, 1), date(2026, 8, 31)),
        ("2026-09-01", date(2026, 9, 1), date(2026, 9, 29)),
    ]  # the last window stops at the availability lag (1 day)
    for spec in catalog.REPORTS:
        if spec.coverage != "snapshot" and spec.source in ("report", "inbound_api", "finances_api"):
            spans = windows(spec, AS_OF)
            assert all((w.end - w.start).days < spec.max_window_days for w in spans), spec.name
            assert spans[0].start == AS_OF - timedelta(days=spec.lookback_days)
            assert all(
                a.full_end + timedelta(days=1) == b.start for a, b in zip(spans, spans[1:], strict=False)
            )


def test_finances_windows_stay_under_180_days_and_keep_their_keys_from_day_to_day():
    spec = catalog.get("financial_events")
    today = {w.key for w in windows(spec, AS_OF)}
    tomorrow = {w.key for w in windows(spec, date(2026, 10, 1))}
    assert all((w.full_end - date.fromisoformat(w.key)).days < 180 for w in windows(spec, AS_OF))
    assert len(today & tomorrow) >= len(today) - 1


def test_due_is_missing_windows_plus_the_two_most_recent():
    spec = catalog.get("customer_returns")
    every = windows(spec, AS_OF, since=date(2026, 5, 1))
    assert len(every) == 5
    latest = {}
    for window in every:
        entry = Entry(
            "S1",
            "US",
            spec.name,
            spec.report_type,
            window.start.isoformat(),
            window.end.isoformat(),
            window.key,
            "done",
        )
        latest[entry.key] = entry
    assert [w.key for w in due(spec, every, latest, "S1", "US", AS_OF)] == ["2026-08-01", "2026-09-01"]
    failed = replace(latest[("S1", "US", spec.name, "2026-05-01")], state="failed")
    latest[failed.key] = failed
    cancelled = replace(latest[("S1", "US", spec.name, "2026-06-01")], state="cancelled_no_data")
    latest[cancelled.key] = cancelled
    assert [w.key for w in due(spec, every, latest, "S1", "US", AS_OF)] == ["2026-05-01", "2026-08-01", "2026-09-01"]


def test_a_range_of_days_maps_to_the_months_it_touches_and_repulls_only_recent_windows_within_it():
    spec = catalog.get("customer_returns")
    spring = windows(spec, AS_OF, since=date(2026, 3, 30), until=date(2026, 4, 2))
    assert [(w.key, w.start, w.end) for w in spring] == [
        ("2026-03-01", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-04-01", date(2026, 4, 1), date(2026, 4, 30)),
    ]
    done = {}
    for window in windows(spec, AS_OF):
        entry = Entry("S1", "US", spec.name, spec.report_type, window.start.isoformat(), window.end.isoformat(),
                      window.key, "done")
        done[entry.key] = entry
    assert due(spec, spring, done, "S1", "US", AS_OF) == []  # covered, and not among the most recent
    assert [w.key for w in due(spec, spring, {}, "S1", "US", AS_OF)] == ["2026-03-01", "2026-04-01"]
    recent = windows(spec, AS_OF, since=date(2026, 9, 3), until=date(2026, 9, 5))
    assert [w.key for w in due(spec, recent, done, "S1", "US", AS_OF)] == ["2026-09-01"]
    assert windows(catalog.get("inventory"), AS_OF, until=AS_OF - timedelta(days=1)) == []


def test_a_snapshot_is_due_once_a_day():
    spec = catalog.get("inventory")
    (today,) = windows(spec, AS_OF)
    entry = Entry("S1", "US", spec.name, spec.report_type, "2026-09-30", "2026-09-30", today.key, "done")
    assert due(spec, [today], {entry.key: entry}, "S1", "US", AS_OF) == []
    assert due(spec, windows(spec, date(2026, 10, 1)), {entry.key: entry}, "S1", "US", date(2026, 10, 1)) != []


def test_the_ledger_keeps_the_latest_state_and_survives_a_torn_last_line(tmp_path):
    ledger = Ledger(tmp_path)
    first = Entry(
        "S1",
        "US",
        "reimbursements",
        "GET_FBA_REIMBURSEMENTS_DATA",
        "2026-09-01",
        "2026-09-29",
        "2026-09-01",
        "requested",
    )
    ledger.record(first)
    ledger.record(replace(first, state="done", report_id="R1", rows=3))
    with ledger.path.open("a", encoding="utf-8") as out:
        out.write('{"seller_id": "S1", "sco')  # a crash mid-write
    assert ledger.latest()[first.key].state == "done"
    ledger.record(replace(first, state="failed"))  # the next run appends after the torn line
    assert ledger.latest()[first.key].state == "failed"
    ledger.path.write_text("garbage\n" + ledger.path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"requests.jsonl, line 1: not a ledger entry"):
        ledger.entries()
    with pytest.raises(ValueError, match="unknown ledger state"):
        ledger.record(replace(first, state="maybe"))
