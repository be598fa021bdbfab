"""Load: a 13-month backfill through the SP-API emulator under repeated 429 storms and 5xx bursts ends with
every window landed exactly once, and the requests per operation stay within Amazon's published rate and burst.

A call that meets throttling on all of its 6 attempts fails its window (recorded in the ledger); the next pull,
as the daily schedule would run it, requests what is not covered. Neither loses nor duplicates a row."""

import threading
from collections import Counter
from datetime import date, timedelta

import duckdb
import sp_api.auth.access_token_client as token_cache

from ingestion import catalog
from ingestion.emulator import start
from ingestion.emulator.documents import instant
from ingestion.settings import Settings
from ingestion.sp_api import Ledger, http, pull
from ingestion.sp_api.ledger import COVERED, windows

AS_OF = date(2026, 9, 30)
DAYS = 400  # simulated history; the backfill asks for the last 395 days: 13-14 monthly windows per report
REPORTS = ("ledger_detail", "reimbursements", "financial_events")
# Amazon's clocks 200x faster: createReport's 1/min becomes 5/s, so ~60 creates (retries included) take
# seconds and the token bucket, not the emulator, sets the pace.
SPEEDUP = 300
STORMS = [  # re-armed every STORM_EVERY seconds during the first pull
    {"kind": "throttle", "operation": "createReport", "count": 3},
    {"kind": "throttle_empty", "operation": "getReport", "count": 3},
    {"kind": "server_error", "operation": "getReportDocument", "count": 2, "status": 503},
    {"kind": "server_error", "operation": "download", "count": 2},
    {"kind": "throttle", "operation": "listFinancialEvents", "count": 2},
    {"kind": "server_error", "operation": "createReport", "count": 2},
]
STORM_EVERY = 2.0
SECRETS = {"DEMO1_LWA_CLIENT_ID": "load-client", "DEMO1_LWA_CLIENT_SECRET": "load-secret",
           "DEMO1_REFRESH_TOKEN": "demo-refresh-DEMO1"}


def lake_count(settings: Settings, report: str) -> int:
    files = [f for f in (settings.lake_dir / f"report={report}").rglob("*.parquet") if f.name != "_empty.parquet"]
    paths = ", ".join(f"'{f}'" for f in files)
    return duckdb.sql(f"SELECT count(*) FROM read_parquet([{paths}], hive_partitioning = false)").fetchone()[0]


def test_a_long_backfill_through_storms_lands_every_window_once_within_the_rate_limits(monkeypatch, tmp_path):
    monkeypatch.setattr(http, "POLICY", http.Policy(speedup=SPEEDUP))
    monkeypatch.setattr(catalog, "REPORTS", tuple(catalog.get(name) for name in REPORTS))  # what pull plans
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    token_cache.cache.clear()
    since = AS_OF - timedelta(days=DAYS - 5)
    with start(as_of=AS_OF, skus=4, days=DAYS, marketplaces=("US",)) as emulator:
        emulator.write_sellers_file(tmp_path / "sellers.yml")
        settings = Settings(data_dir=tmp_path / "data", as_of=AS_OF, sellers_file=tmp_path / "sellers.yml")
        stop = threading.Event()

        def storms() -> None:
            while not stop.is_set():
                emulator.state.set_faults(STORMS)
                stop.wait(STORM_EVERY)

        injector = threading.Thread(target=storms)
        injector.start()
        try:
            first = pull(settings, since=since)
        finally:
            stop.set()
            injector.join()
        throttled = Counter(e.reason for e in first.failures)
        again = pull(settings, since=since)
        log = emulator.state.timed_requests

        # Every window of every report is covered; the failed ones were requested again, nothing else was
        # but the most recent windows (always re-pulled: Amazon edits history).
        assert again.failures == [] and again.gaps == []
        assert all("attempts: HTTP" in reason for reason in throttled), throttled
        entries = Ledger(settings.data_dir).entries()
        latest = Ledger(settings.data_dir).latest()
        assert {e.state for e in latest.values()} <= set(COVERED)
        for name in REPORTS:
            expected = {w.key for w in windows(catalog.get(name), AS_OF, since)}
            assert {key for _, _, report, key in latest if report == name} == expected, name
        per_report = Counter(report for _, _, report, _ in latest)
        assert per_report["ledger_detail"] >= 13
        assert len(again.entries) <= len(first.failures) + 2 * len(REPORTS)

        # Each document landed once, and the lake holds exactly the rows Amazon (the emulator) has.
        landed = [e.landed_document_id for e in entries if e.landing == "landed"]
        assert len(landed) == len(set(landed))
        for name in REPORTS:
            spec = catalog.get(name)
            spans = [(date.fromisoformat(e.window_start), date.fromisoformat(e.window_end))
                       for e in entries if e.report == name and e.state in COVERED]
            first, last = min(w[0] for w in spans), max(w[1] for w in spans)
            served = [row for row in emulator.world.current_rows("DEMO1", spec, "US")
                      if first <= instant(row[spec.coverage_column]).date() <= last]
            assert served and lake_count(settings, name) == len(served), name

    # The storms hit, and were retried.
    operations = Counter(operation for *_, operation in log)
    assert operations["createReport"] > per_report["ledger_detail"] + per_report["reimbursements"]
    assert_within_limits(log)


def assert_within_limits(log: list[tuple[float, str, str, str]]) -> None:
    """In every interval, an operation made at most burst + rate x length requests (+1 for clock skew
    between the limiter's reservation and the request's arrival), at Amazon's rate run SPEEDUP times faster.
    createReport must also have needed the limiter: more calls than the burst, paced at the rate."""
    for operation, (rate, burst) in http.DEFAULT_RATES.items():
        times = sorted(t for t, *_, op in log if op == operation)
        fast = rate * SPEEDUP
        for i, begin in enumerate(times):
            for j in range(i + burst + 1, len(times)):
                allowed = burst + fast * (times[j] - begin) + 1
                assert j - i + 1 <= allowed, (operation, j - i + 1, times[j] - begin)
        if operation == "createReport":
            assert len(times) > burst + 10
            assert times[-1] - times[0] >= (len(times) - burst - 1) / fast * 0.9

