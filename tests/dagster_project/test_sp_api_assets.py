"""The partitioned SP-API pull assets against the emulator: a range of days is one run requesting the API
windows it touches; a run without a partition requests what the ledger says is due."""

from collections.abc import Iterator
from datetime import date

import dagster as dg
import pytest
import sp_api.auth.access_token_client as token_cache

from dagster_project.assets.sp_api import PULLED, sp_api_reports
from ingestion.emulator import Emulator, start
from ingestion.settings import load_settings
from ingestion.sp_api import Ledger, http, pull
from ingestion.sp_api.ledger import REPULL_WINDOWS

AS_OF = date(2026, 9, 30)
SECRETS = {"DEMO1_LWA_CLIENT_ID": "client", "DEMO1_LWA_CLIENT_SECRET": "secret",
           "DEMO1_REFRESH_TOKEN": "demo-refresh-DEMO1"}
WINDOWED = [s for s in PULLED if s.source != "report_list" and s.coverage != "snapshot"]
REQUESTED = [s for s in WINDOWED if s.source == "report"]  # made with createReport


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with start(as_of=AS_OF, skus=4, days=45, marketplaces=("US",)) as running:
        yield running


@pytest.fixture
def configured(emulator, tmp_path, monkeypatch):
    """Settings in the environment (as the asset reads them) with a sellers file pointing at the emulator."""
    emulator.state.reset()
    token_cache.cache.clear()
    sellers = tmp_path / "sellers.yml"
    emulator.write_sellers_file(sellers)
    monkeypatch.setenv("FBAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FBAUDIT_AS_OF", AS_OF.isoformat())
    monkeypatch.setenv("FBAUDIT_SELLERS", str(sellers))
    monkeypatch.setattr(http, "POLICY", http.Policy(speedup=1000))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def created(emulator: Emulator) -> int:
    return sum(op == "createReport" for _, _, op in emulator.state.requests)


def run_pull(tags: dict[str, str] | None = None) -> tuple[dg.ExecuteInProcessResult, dg.DagsterInstance]:
    job = dg.Definitions(assets=[sp_api_reports], jobs=[dg.define_asset_job("pull")]).resolve_job_def("pull")
    instance = dg.DagsterInstance.ephemeral()
    return job.execute_in_process(instance=instance, tags=tags or {}), instance


def test_a_range_of_days_is_one_run_requesting_the_months_it_touches(emulator, configured):
    result, instance = run_pull({"dagster/asset_partition_range_start": "2026-08-30",
                                 "dagster/asset_partition_range_end": "2026-09-01"})
    assert result.success and len(instance.get_run_records()) == 1
    entries = [e for e in Ledger(configured.data_dir).latest().values() if e.report != "settlements"]
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.report] = counts.get(entry.report, 0) + 1
    assert counts == {s.name: 2 for s in WINDOWED}  # August and September; no snapshot (today is not asked)
    assert all(e.window_start <= "2026-09-01" and e.window_end >= "2026-08-30" for e in entries)
    assert created(emulator) == 2 * len(REQUESTED)
    assert any(e.landing == "landed" and e.rows for e in entries)
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {dg.AssetKey(["sp_api", s.name]) for s in PULLED}
    assert all(e.passed for e in result.get_asset_check_evaluations())


def test_the_daily_run_without_a_partition_requests_only_what_is_due(emulator, configured):
    assert pull(configured).failures == []  # everything in the look-back, today's snapshots
    emulator.state.reset()
    result, _ = run_pull()
    assert result.success
    assert created(emulator) == REPULL_WINDOWS * len(REQUESTED)  # the most recent windows, nothing else


def test_a_failed_window_fails_its_check_and_the_next_run_pulls_it(emulator, configured):
    emulator.state.set_faults([{"kind": "fatal", "report_type": "GET_FBA_REIMBURSEMENTS_DATA"}])
    result, _ = run_pull()
    failed = {e.asset_key.path[-1] for e in result.get_asset_check_evaluations() if not e.passed}
    assert result.success and failed == {"reimbursements"}
    emulator.state.reset()
    result, _ = run_pull()
    assert all(e.passed for e in result.get_asset_check_evaluations())


def test_without_a_sellers_file_nothing_is_pulled_and_the_log_says_so(emulator, configured, monkeypatch, tmp_path):
    monkeypatch.setenv("FBAUDIT_SELLERS", str(tmp_path / "none.yml"))
    result, instance = run_pull()
    assert result.success and emulator.state.requests == []
    messages = [e.user_message for e in instance.all_logs(result.run_id)]
    assert any("nothing to pull (file drop only)" in m for m in messages)
