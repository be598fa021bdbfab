"""The SP-API emulator over HTTP, a sellers file pointing at it, and fake credentials in the environment."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import sp_api.auth.access_token_client as token_cache

from ingestion.emulator import Emulator, start
from ingestion.settings import Settings
from ingestion.sp_api import http

AS_OF = date(2026, 9, 30)
DAYS = 45
SINCE = AS_OF - timedelta(days=DAYS)
# Fake secrets: the emulator accepts any non-empty client id and secret, and this seller's refresh token.
SECRETS = {
    "DEMO1_LWA_CLIENT_ID": "amzn1.application-oa2-client.SECRETID7f3a",
    "DEMO1_LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.SECRETVALUE9b2c4d",
    "DEMO1_REFRESH_TOKEN": "demo-refresh-DEMO1",
}


@pytest.fixture(autouse=True)
def fast_and_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Amazon's clocks 1000x faster, a fresh token cache, the fake credentials (rate-limit buckets live in each
    test's data folder)."""
    monkeypatch.setattr(http, "POLICY", http.Policy(speedup=1000))
    token_cache.cache.clear()
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """A small demo seller in the US only, shared by a module's tests (its documents never change)."""
    with start(as_of=AS_OF, skus=4, days=DAYS, marketplaces=("US",)) as running:
        yield running


def settings_for(emulator: Emulator, folder: Path) -> Settings:
    """Settings whose sellers file points at `emulator`; forgets its faults and the library's cached tokens
    (another emulator issued them)."""
    emulator.state.reset()
    token_cache.cache.clear()
    sellers = folder / "sellers.yml"
    emulator.write_sellers_file(sellers)
    return Settings(data_dir=folder / "data", as_of=AS_OF, sellers_file=sellers)


def landed_documents(settings: Settings) -> dict[str, set[str]]:
    """Report name -> the document ids (sha256) landed in the lake."""
    found: dict[str, set[str]] = {}
    files = list((settings.lake_dir / "report=_documents").rglob("*.parquet"))
    if not files:
        return found
    paths = ", ".join(f"'{f}'" for f in files if f.name != "_empty.parquet")
    for report, document_id in duckdb.sql(
        f"SELECT report, document_id FROM read_parquet([{paths}], hive_partitioning = false)"
    ).fetchall():
        found.setdefault(report, set()).add(document_id)
    return found


def lake_rows(settings: Settings, report: str) -> list[tuple]:
    """Every row of a report in the lake, without the per-document columns, sorted."""
    files = [
        f for f in (settings.lake_dir / f"report={report}").rglob("*.parquet") if f.name != "_empty.parquet"
    ]
    if not files:
        return []
    paths = ", ".join(f"'{f}'" for f in files)
    return sorted(
        duckdb.sql(
            f"SELECT * EXCLUDE (_document_id, _line_number) FROM read_parquet([{paths}], "
            f"hive_partitioning = false)"
        ).fetchall(),
        key=repr,
    )


@pytest.fixture
def sp() -> SimpleNamespace:
    """The constants and helpers above, for test modules (conftest cannot be imported under importlib)."""
    return SimpleNamespace(
        as_of=AS_OF,
        days=DAYS,
        since=SINCE,
        secrets=SECRETS,
        settings_for=settings_for,
        landed_documents=landed_documents,
        lake_rows=lake_rows,
    )


@pytest.fixture(scope="module")
def reference(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The documents a pull without faults lands."""
    from ingestion.sp_api import pull

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(http, "POLICY", http.Policy(speedup=1000))
        for name, value in SECRETS.items():
            patch.setenv(name, value)
        settings = settings_for(emulator, tmp_path_factory.mktemp("reference"))
        assert pull(settings, since=SINCE).failures == []
    return landed_documents(settings)
