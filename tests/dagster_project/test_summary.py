"""`fbaudit run`'s summary: claims per type and currency, landing, quarantine and dbt failures."""

import io
import json
import logging
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import duckdb
import pytest

AS_OF = date(2026, 11, 28)
CLAIMS = [  # claim_type, currency_code, claim_amount, status, deadline_date
    ("warehouse_lost", "USD", "10.00", "claimable", "2026-12-05"),  # at risk: deadline in 7 days
    ("warehouse_lost", "USD", "5.50", "claimable", "2026-12-06"),  # claimable, not this week
    ("warehouse_lost", "EUR", "7.25", "claimable", "2026-11-28"),  # at risk: deadline today
    ("inbound_shortage", "USD", "100.00", "waiting", "2026-12-01"),  # not claimable yet
    ("refund_fee_error", "EUR", "1.10", "expired", "2026-11-01"),
]


@pytest.fixture(scope="module")
def summary(defs):
    from dagster_project import summary  # needs the dbt manifest, which the defs fixture makes

    return summary


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_claim_opportunities (claim_id varchar, claim_type varchar, "
                    "currency_code varchar, claim_amount decimal(18,2), status varchar, deadline_date date)")
        con.executemany("insert into marts.fct_claim_opportunities values (md5(?), ?, ?, ?, ?, ?)",
                        [(str(c), *c) for c in CLAIMS])
    return path


def test_claims_by_type_claimable_and_at_risk_keep_currencies_apart(summary, warehouse):
    lines = summary.claims_summary(warehouse, AS_OF)
    assert [line.split() for line in lines] == [
        ["Claims", "found", "claims", "EUR", "USD"],
        ["inbound_shortage", "1", "-", "100.00"],
        ["refund_fee_error", "1", "1.10", "-"],
        ["warehouse_lost", "3", "7.25", "15.50"],
        ["All", "claims", "5", "8.35", "115.50"],
        ["Claimable", "now", "3", "7.25", "15.50"],
        ["At", "risk", "this", "week", "(deadline", "by", "2026-12-05)", "2", "7.25", "10.00"],
    ]


def test_claims_say_so_in_one_line_when_there_is_no_mart(summary, tmp_path):
    assert summary.claims_summary(tmp_path / "none.duckdb", AS_OF) == [
        f"Claims: no warehouse yet at {tmp_path / 'none.duckdb'}."]
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert summary.claims_summary(tmp_path / "empty.duckdb", AS_OF) == [
        "Claims: marts.fct_claim_opportunities is not built yet, so no claims to show."]


def landing(landed: int, rows: int, duplicates: int) -> dict[str, int]:
    return {"documents_landed": landed, "rows": rows, "duplicates": duplicates, "quarantined": 0}


def test_summary_lists_what_landed_and_each_quarantined_file_with_its_error_file(summary, tmp_path):
    inbox_file = tmp_path / "inbox" / "S1" / "US" / "odd.tsv"
    inbox_file.parent.mkdir(parents=True)
    inbox_file.write_text("what\tis\tthis\n")
    quarantine = tmp_path / "quarantine"
    error_file = quarantine / "20260102T000000Z-odd.tsv.error.txt"
    problem = f"{inbox_file}: unrecognised header\nWhat to do: ...\nerror file: {error_file}"

    text = summary.format_summary(
        {"ledger_detail": landing(2, 1500, 1), "settlements": landing(0, 0, 3),
         "_documents": landing(2, 1500, 4)},
        {"stg_a": 1000, "stg_b": 234}, [problem], quarantine,
    )

    assert text.splitlines() == [
        f"{'Landed this run':<36}{'documents':>10}{'rows':>12}",
        f"  {'ledger_detail':<34}{2:>10}{'1,500':>12}",
        "  (4 file(s) in the inbox were landed by an earlier run)",
        "Quarantined: 1 file(s); fix or remove each in the inbox (it is tried again on every run).",
        f"  {inbox_file}: unrecognised header",
        f"    error file: {error_file}",
        "Warehouse rows after the run: 1,234 in 2 staging models",
    ]
    assert summary.format_summary({"settlements": landing(0, 0, 0)}, {}, [], quarantine) == (
        "Landed this run: nothing new.")


def test_dbt_failures_name_the_failing_models_and_tests(summary, tmp_path):
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": [
        {"unique_id": "model.fbaudit.int_claims__removal_lost", "status": "error",
         "message": "Runtime Error in model int_claims__removal_lost\n  Binder Error: no column x"},
        {"unique_id": "test.fbaudit.unique_fct_claim_opportunities_claim_id.1a2b", "status": "fail",
         "message": "Got 2 results, configured to fail if != 0"},
        {"unique_id": "model.fbaudit.stg_lake__settlements", "status": "success", "message": "OK"},
    ]}))
    assert summary.dbt_failures(None, run_results, since=0) == [
        "model int_claims__removal_lost: error: Runtime Error in model int_claims__removal_lost",
        "test unique_fct_claim_opportunities_claim_id: fail: Got 2 results, configured to fail if != 0",
    ]


def test_a_dbt_error_without_results_shows_the_errors_dbt_logged(summary, tmp_path):
    message = ("The dbt CLI process with command\n\n`dbt build`\n\nfailed with exit code `2`. Check the "
               "stdout ...\n\nErrors parsed from dbt logs:\n\nEncountered an error:\nCompilation Error\n"
               "  Model 'model.fbaudit.fct_x' depends on a node named 'int_x' which was not found\n")
    wrapper = SimpleNamespace(message='Error occurred while executing op "dbt_models":',
                              cause=SimpleNamespace(message=message, cause=None))
    failure = SimpleNamespace(step_key="dbt_models", step_failure_data=SimpleNamespace(error=wrapper))
    result = SimpleNamespace(get_step_failure_events=lambda: [failure])

    assert summary.failure_reason(result) == "step dbt_models failed: dbt exited with code 2"
    assert summary.dbt_failures(result, tmp_path / "no_run_results.json", since=0) == [
        "Encountered an error:", "Compilation Error",
        "  Model 'model.fbaudit.fct_x' depends on a node named 'int_x' which was not found",
    ]


def test_progress_is_one_line_per_step_warning_and_failed_test(summary):
    types, out = dg.DagsterEventType, io.StringIO()
    progress = summary.RunProgress(out)

    def event(step: str, event_type, **fields) -> SimpleNamespace:
        return SimpleNamespace(dagster_event=SimpleNamespace(step_key=step, event_type=event_type, **fields))

    def log(level: int, message: str) -> SimpleNamespace:
        return SimpleNamespace(dagster_event=None, step_key="land_inbox", level=level, user_message=message)

    def check(name: str, passed: bool, severity) -> SimpleNamespace:
        return event("dbt_models", types.ASSET_CHECK_EVALUATION, event_specific_data=SimpleNamespace(
            check_name=name, passed=passed, severity=severity, asset_key=dg.AssetKey(["fct_x"])))

    counts = {**landing(3, 1200, 5), "quarantined": 1}
    documents = SimpleNamespace(materialization=SimpleNamespace(
        metadata={name: SimpleNamespace(value=value) for name, value in counts.items()}))
    for entry in [
        event("land_inbox", types.STEP_START),
        log(logging.INFO, "landed a 5 rows"),
        log(logging.WARNING, "quarantined b: bad\nWhat to do: fix it"),
        event("land_inbox", types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["lake", "_documents"]),
              step_materialization_data=documents),
        event("land_inbox", types.STEP_SUCCESS),
        event("dbt_models", types.STEP_START),
        event("dbt_models", types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["fct_x"])),
        check("not_null_claim_id", True, dg.AssetCheckSeverity.ERROR),
        check("unique_claim_id", False, dg.AssetCheckSeverity.ERROR),
        check("accepted_values_status", False, dg.AssetCheckSeverity.WARN),
        event("dbt_models", types.STEP_FAILURE),
        event("dashboards", types.STEP_START),
        event("dashboards", types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["dashboards"])),
        event("dashboards", types.STEP_SUCCESS),
    ]:
        progress(entry)

    assert out.getvalue().splitlines() == [
        "landing ...",
        "  quarantined b: bad",
        "landing: 3 files landed (1,200 rows), 5 already landed, 1 quarantined (0 s)",
        "dbt build ...",
        "  test failed: unique_claim_id on fct_x",
        "  test warned: accepted_values_status on fct_x",
        "dbt build FAILED: 1 tables built, 1 tests passed, 1 warned, 1 failed (0 s)",
        "dashboards ...",
        "dashboards: 1 asset(s) materialized (0 s)",
    ]


def test_progress_says_why_a_step_runs_again_and_counts_only_the_last_attempt(summary):
    types, out = dg.DagsterEventType, io.StringIO()
    progress = summary.RunProgress(out)

    def event(event_type, **fields) -> SimpleNamespace:
        return SimpleNamespace(dagster_event=SimpleNamespace(step_key="dbt_models", event_type=event_type,
                                                             **fields))

    def check(passed: bool) -> SimpleNamespace:
        return event(types.ASSET_CHECK_EVALUATION, event_specific_data=SimpleNamespace(
            check_name="not_null_x", passed=passed, severity=dg.AssetCheckSeverity.ERROR,
            asset_key=dg.AssetKey(["fct_x"])))

    cause = SimpleNamespace(cls_name="RuntimeError", message="RuntimeError: dbt crashed (SIGSEGV)\n")
    crashed = SimpleNamespace(error=SimpleNamespace(message="RetryRequested", cause=cause))
    for entry in [
        event(types.STEP_START),
        event(types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["fct_x"])),
        check(False),
        event(types.STEP_UP_FOR_RETRY, step_retry_data=crashed),
        event(types.STEP_RESTARTED),
        event(types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["fct_x"])),
        event(types.ASSET_MATERIALIZATION, asset_key=dg.AssetKey(["fct_y"])),
        check(True),
        event(types.STEP_SUCCESS),
    ]:
        progress(entry)

    assert out.getvalue().splitlines() == [
        "dbt build ...",
        "  test failed: not_null_x on fct_x",
        "dbt build stopped: dbt crashed (SIGSEGV)",
        "dbt build ...",
        "dbt build: 2 tables built, 1 tests passed, 0 warned, 0 failed (0 s)",
    ]
