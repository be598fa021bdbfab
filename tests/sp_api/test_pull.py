"""Whole pulls through the real python-amazon-sp-api client against the SP-API emulator over HTTP."""

from dataclasses import replace
from datetime import timedelta

import pytest

from ingestion import catalog
from ingestion.demo import generate
from ingestion.emulator import start
from ingestion.land import land_inbox
from ingestion.sp_api import Ledger, http, pull
from ingestion.sp_api.ledger import REPULL_WINDOWS
from ingestion.sp_api.pull import pullable, uncovered

# Windowed reports whose rows the file drop and the API give identically (the file drop also holds
# superseded versions of ledger, inbound and snapshot rows, which staging resolves).
SAME_ROWS = (
    "reimbursements",
    "customer_returns",
    "replacements",
    "removal_orders",
    "removal_shipments",
    "financial_events",
    "settlements",
)


def test_a_pull_lands_every_report_with_the_file_drops_rows(sp, tmp_path):
    with start(as_of=sp.as_of, skus=4, days=sp.days, marketplaces=("US", "DE")) as emulator:
        settings = sp.settings_for(emulator, tmp_path / "api")
        summary = pull(settings, since=sp.since)
        assert summary.failures == [] and summary.gaps == []
        landed = sp.landed_documents(settings)
        assert {s.name for s in catalog.REPORTS if pullable(s)} - {"storage_fees"} <= set(landed)
        again = pull(settings, since=sp.since)  # only the recent windows and the settlement listing
        assert {e.landing for e in again.entries if e.state == "done"} <= {"duplicate", None}
        assert len(again.entries) < len(summary.entries)
    drop = replace(settings, data_dir=tmp_path / "drop" / "data")
    generate(drop, skus=4, days=sp.days, marketplaces=("US", "DE"))
    land_inbox(drop)
    for report in SAME_ROWS:
        expected = sp.lake_rows(drop, report)
        if report == "financial_events":  # its last 2 days are not available yet (availability_lag_days)
            expected = [row for row in expected if row[1].date() < sp.as_of - timedelta(days=1)]
        assert sp.lake_rows(settings, report) == expected, report


TRANSIENT = [  # retried with backoff within the pull
    {"kind": "throttle", "operation": "createReport", "count": 3},
    {"kind": "throttle_empty", "operation": "getReport", "count": 3},
    {"kind": "server_error", "operation": "getReportDocument", "count": 2, "status": 503},
    {"kind": "throttle", "operation": "listFinancialEvents", "count": 2},
    {"kind": "throttle_empty", "operation": "getShipments", "count": 2},
    {"kind": "server_error", "operation": "download", "count": 2},
    {"kind": "throttle", "operation": "getReports", "count": 1},
]
REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"


@pytest.mark.parametrize(
    ("faults", "first_state"),
    [
        (TRANSIENT, "done"),
        ([{"kind": "fatal", "report_type": REIMBURSEMENTS}], "fatal"),
        ([{"kind": "truncate", "report_type": REIMBURSEMENTS}], "failed"),
        ([{"kind": "server_error", "operation": "createReport", "report_type": REIMBURSEMENTS}], "failed"),
    ],
    ids=["transient", "fatal", "truncated", "server_errors_persist"],
)
def test_a_failure_is_recorded_and_the_next_pull_completes_without_loss_or_duplicates(
    sp, emulator, reference, tmp_path, faults, first_state
):
    settings = sp.settings_for(emulator, tmp_path)
    emulator.state.set_faults(faults)
    first = pull(settings, since=sp.since)
    reimbursements = [e for e in first.entries if e.report == "reimbursements"]
    assert reimbursements and {e.state for e in reimbursements} == {first_state}
    assert {e.state for e in first.entries} - {first_state} <= {"done", "cancelled_no_data"}
    if first_state == "done":
        made = [operation for _, _, operation in emulator.state.requests]
        assert made.count("createReport") == 3 + len([e for e in first.entries if e.report_id]) - len(
            [e for e in first.entries if e.report == "settlements"]
        )
    else:
        assert {e.key for e in first.failures} == {e.key for e in reimbursements}
        assert any(line.startswith("  FAILED DEMO1 US GET_FBA_REIMBURSEMENTS_DATA") for line in first.lines())
        assert len(uncovered(settings, since=sp.since)) == len(reimbursements)
    if first_state == "fatal":
        entry = reimbursements[0]
        assert (
            f"GET_FBA_REIMBURSEMENTS_DATA {entry.window_start}..{entry.window_end} report {entry.report_id} "
            "FATAL: "
            in entry.describe()
            and entry.reason
        )
    emulator.state.set_faults([])
    second = pull(settings, since=sp.since)
    assert second.failures == [] and second.gaps == []
    assert sp.landed_documents(settings) == reference
    assert Ledger(settings.data_dir).latest().keys() >= {e.key for e in first.entries}


def test_cancelled_means_no_data_for_that_window(sp, emulator, tmp_path):
    settings = sp.settings_for(emulator, tmp_path)
    emulator.state.set_faults(
        [{"kind": "cancelled", "report_type": "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"}]
    )
    summary = pull(settings, since=sp.since)
    returns = [e for e in summary.entries if e.report == "customer_returns"]
    assert returns and {e.state for e in returns} == {"cancelled_no_data"}
    assert summary.failures == [] and summary.gaps == []  # covered: nothing to request again
    assert "customer_returns" not in sp.landed_documents(settings)


def test_a_cp1252_document_lands_the_same_rows(sp, emulator, tmp_path):
    settings = sp.settings_for(emulator, tmp_path)
    emulator.state.set_faults([{"kind": "cp1252"}])
    assert pull(settings, since=sp.since).failures == []
    clean = sp.settings_for(emulator, tmp_path / "clean")
    pull(clean, since=sp.since)
    for report in SAME_ROWS:
        assert sp.lake_rows(settings, report) == sp.lake_rows(clean, report), report


def test_a_report_still_in_progress_is_polled_again_by_its_id_and_landed_once_done(
    sp, emulator, reference, tmp_path, monkeypatch
):
    settings = sp.settings_for(emulator, tmp_path)
    monkeypatch.setattr(http, "POLICY", http.Policy(speedup=1000, report_timeout=300))  # 0.3 s
    emulator.state.set_faults([{"kind": "in_progress", "report_type": REIMBURSEMENTS}])
    first = pull(settings, since=sp.since)
    stuck = {e.key: e.report_id for e in first.entries if e.report == "reimbursements"}
    assert stuck and all(stuck.values())
    assert {e.state for e in first.entries if e.key in stuck} == {"requested"} and first.failures == []
    assert any(line.startswith("  PENDING DEMO1 US GET_FBA_REIMBURSEMENTS_DATA") for line in first.lines())
    latest = Ledger(settings.data_dir).latest()
    assert {key: latest[key].report_id for key in stuck} == stuck and len(first.gaps) == len(stuck)

    emulator.state.reset()  # the fault off; the stuck reports keep their ids and finish now
    emulator.state.release_stuck_reports()
    second = pull(settings, since=sp.since)
    again = {e.key: e.report_id for e in second.entries if e.report == "reimbursements"}
    assert again == stuck  # the same reports, polled, not requested again
    assert {e.state for e in second.entries if e.key in stuck} <= {"done", "cancelled_no_data"}
    polled = {path.rsplit("/", 1)[-1] for _, path, op in emulator.state.requests if op == "getReport"}
    assert set(stuck.values()) <= polled
    created = [op for _, _, op in emulator.state.requests if op == "createReport"]
    assert len(created) == len({e.report_id for e in second.entries if e.report_id} - set(stuck.values())) - len(
        [e for e in second.entries if e.report == "settlements"]
    )
    assert second.failures == [] and second.gaps == []
    assert sp.landed_documents(settings) == reference


def test_after_a_two_year_backfill_the_next_pull_requests_only_the_recent_windows(sp, emulator, tmp_path):
    settings = sp.settings_for(emulator, tmp_path)
    backfill = pull(settings, since=sp.as_of - timedelta(days=730))
    assert backfill.failures == [] and backfill.gaps == []
    emulator.state.reset()
    again = pull(settings)
    windowed = [s for s in catalog.REPORTS if pullable(s) and s.source != "report_list" and s.coverage != "snapshot"]
    counts: dict[str, int] = {}
    for entry in again.entries:
        counts[entry.report] = counts.get(entry.report, 0) + 1
    assert counts == {s.name: REPULL_WINDOWS for s in windowed}  # US only: one scope per report
    created = [op for _, _, op in emulator.state.requests if op == "createReport"]
    assert len(created) == REPULL_WINDOWS * len([s for s in windowed if s.source == "report"])
