"""The SP-API emulator: a real HTTP server (stdlib) on 127.0.0.1 serving the demo sellers DEMO1..N.

It implements LWA and every endpoint fbaudit calls, serves exactly the documents the demo's file drop writes
(see `documents`), and has switchable faults for tests (see `state.Fault`). Usage:

    with start(as_of=date(2026, 6, 30)) as emulator:
        emulator.url            # http://127.0.0.1:PORT: the SP-API endpoint and the LWA host
        emulator.state.set_faults([{"kind": "throttle", "operation": "createReport", "count": 2}])
"""

from __future__ import annotations

import ipaddress
import threading
from datetime import date
from pathlib import Path
from types import TracebackType

import yaml

from .. import catalog
from ..demo import seller_ids, simulate
from .documents import World
from .server import Server
from .state import State


class Emulator:
    def __init__(self, server: Server, sellers: list[str], marketplaces: tuple[str, ...]) -> None:
        self._server = server
        self.state: State = server.state
        self.world: World = server.world  # what it serves: tests compare the lake with it
        self.url: str = server.url
        self.sellers = sellers
        self.marketplaces = marketplaces
        self._thread = threading.Thread(target=server.serve_forever, name="sp-api-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    def sellers_config(self) -> dict[str, list[dict[str, object]]]:
        """The sellers file for its sellers: one entry per seller and region, credentials by env var name."""
        entries: list[dict[str, object]] = []
        for seller_id in self.sellers:
            regions: dict[str, list[str]] = {}
            for code in self.marketplaces:
                regions.setdefault(catalog.marketplace(code).region, []).append(code)
            for region, codes in regions.items():
                entries.append({
                    "seller_id": seller_id, "region": region, "marketplaces": codes,
                    "lwa_client_id_env": f"{seller_id}_LWA_CLIENT_ID",
                    "lwa_client_secret_env": f"{seller_id}_LWA_CLIENT_SECRET",
                    "refresh_token_env": f"{seller_id}_REFRESH_TOKEN", "endpoint": self.url,
                })
        return {"sellers": entries}

    def write_sellers_file(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(self.sellers_config(), sort_keys=False), encoding="utf-8")


def start(*, seed: int = 7, skus: int = 24, days: int = 300, sellers: int = 1,
          marketplaces: tuple[str, ...] = ("US", "DE"), as_of: date, port: int = 0,
          host: str = "127.0.0.1") -> Emulator:
    """Simulate the demo sellers (as `fbaudit demo` does) and serve them on `host:port` in a daemon thread."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the emulator only binds a loopback address, not {host!r}")
    codes = tuple(catalog.marketplace(code).code for code in marketplaces)
    simulation = simulate(as_of, seed=seed, skus=skus, days=days, sellers=sellers, marketplaces=codes)
    server = Server((host, port), State(as_of), World(simulation, codes))
    return Emulator(server, seller_ids(sellers), codes)


__all__ = ["Emulator", "start"]
