"""One emulator per test session, driven over HTTP by the real python-amazon-sp-api client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sp_api.auth import AccessTokenClient
from sp_api.auth import access_token_client as token_cache

from ingestion import catalog
from ingestion.demo import Simulation, simulate
from ingestion.emulator import Emulator, start

AS_OF = date(2026, 6, 30)
DEMO = {"seed": 7, "skus": 6, "days": 120, "sellers": 2, "marketplaces": ("US", "DE")}  # starts 2026-03-02
AWS_REGIONS = {"NA": "us-east-1", "EU": "eu-west-1", "FE": "us-west-2"}

MakeClient = Callable[..., Any]


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with start(as_of=AS_OF, **DEMO) as running:
        yield running


@pytest.fixture(scope="session")
def simulation() -> Simulation:
    """The file drop's documents for the same demo, simulated independently of the emulator."""
    return simulate(AS_OF, **DEMO)


@pytest.fixture(autouse=True)
def fresh(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SP_API_DEFAULT_MARKETPLACE", raising=False)  # it would override the marketplace
    token_cache.cache.clear()
    emulator.state.reset()


@pytest.fixture
def client(emulator: Emulator) -> MakeClient:
    """`client(Reports, "US", seller="DEMO1")`: an API client pointed at the emulator."""

    class EmulatorLWA(AccessTokenClient):
        scheme = "http://"
        host = emulator.url.removeprefix("http://")

    def make(api: type, code: str = "US", *, seller: str = "DEMO1", refresh_token: str | None = None) -> Any:
        place = catalog.marketplace(code)
        endpoint = SimpleNamespace(endpoint=emulator.url, marketplace_id=place.marketplace_id,
                                   region=AWS_REGIONS[place.region])
        credentials = {"refresh_token": refresh_token or f"demo-refresh-{seller}", "lwa_app_id": "demo-app",
                       "lwa_client_secret": "demo-secret"}
        return api(marketplace=endpoint, credentials=credentials, auth_token_client_class=EmulatorLWA,
                   timeout=10)

    return make
