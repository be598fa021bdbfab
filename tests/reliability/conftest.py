"""Fixtures for the fault, concurrency and secrets tests.

- `secret_demo` (session, slow: one pull and one build): a small demo seller pulled through the SP-API
  emulator and built by `fbaudit run` (dashboards included when their Node packages are installed), as
  `make demo` does, with known fake LWA credentials in the environment. Read it; tests that change a data
  folder take a `copy_of_demo` of their own.
- `rel`: the helpers below, for test modules (conftest cannot be imported under importlib).
"""

import fcntl
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from dagster_project.assets.reports import BUILD_DIR, BUILD_LOCK, REPORTS_DIR

AS_OF = date(2026, 11, 28)
FBAUDIT = Path(sys.executable).with_name("fbaudit")
DEMO_SIZE = ["--days", "90", "--skus", "6"]  # the emulator and `fbaudit demo` simulate the same seller
# The emulator accepts any client id and secret, and only this refresh token for seller DEMO1.
REFRESH_TOKEN = "demo-refresh-DEMO1"


def fbaudit(*args: str, env: dict[str, str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(FBAUDIT), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def mart_checksums(warehouse: Path) -> dict[str, str]:
    """md5 of every mart table's rows, as text, in a stable order."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                               f"from marts.{t} t").fetchone()[0] for t in tables}


@pytest.fixture(scope="session")
def secret_demo(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("secret_demo")
    data = root / "data"
    secrets = {
        "DEMO1_LWA_CLIENT_ID": f"FAKE-SECRET-{uuid.uuid4()}",
        "DEMO1_LWA_CLIENT_SECRET": f"FAKE-SECRET-{uuid.uuid4()}",
        "DEMO1_REFRESH_TOKEN": REFRESH_TOKEN,
    }
    sellers = data / "sellers.yml"
    env = {**os.environ, **secrets, "FBAUDIT_DATA_DIR": str(data), "FBAUDIT_SELLERS": str(sellers),
           "FBAUDIT_AS_OF": AS_OF.isoformat(), "FBAUDIT_SP_API_SPEEDUP": "1000"}
    env.pop("DAGSTER_HOME", None)
    outputs = {}
    with (root / "emulator.log").open("w") as log:  # the fake Amazon's own output: not fbaudit's
        emulator = subprocess.Popen([str(FBAUDIT), "emulator", *DEMO_SIZE, "--sellers-file", str(sellers)],
                                    cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not sellers.exists():
            alive = emulator.poll() is None and time.monotonic() < deadline
            assert alive, (root / "emulator.log").read_text()
            time.sleep(0.2)
        dashboards = (REPORTS_DIR / "node_modules").is_dir()
        run = ["run"] if dashboards else ["run", "--no-dashboards"]
        for args in (["demo", "--no-reports", *DEMO_SIZE], run):
            done = fbaudit(*args, env=env, cwd=root)
            outputs[" ".join(args)] = done.stdout + done.stderr
            assert done.returncode == 0, f"fbaudit {args} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    site = None
    if dashboards:  # this run's site, safe from another build of reports/
        site = root / "site"
        with open(REPORTS_DIR / BUILD_LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            shutil.copytree(BUILD_DIR, site)
    return SimpleNamespace(root=root, data=data, env=env, secrets=secrets, outputs=outputs, site=site,
                           marts=mart_checksums(data / "warehouse.duckdb"))


@pytest.fixture
def copy_of_demo(secret_demo: SimpleNamespace, tmp_path: Path) -> SimpleNamespace:
    """The demo's data folder copied for one test, with no sellers file (runs build from the lake only)."""
    data = tmp_path / "data"
    shutil.copytree(secret_demo.data, data, symlinks=True)
    (data / "sellers.yml").unlink()
    env = {**secret_demo.env, "FBAUDIT_DATA_DIR": str(data), "FBAUDIT_SELLERS": str(data / "sellers.yml")}
    return SimpleNamespace(data=data, env=env, marts=secret_demo.marts, cwd=tmp_path)


@pytest.fixture
def rel() -> SimpleNamespace:
    return SimpleNamespace(fbaudit=fbaudit, command=[str(FBAUDIT)], mart_checksums=mart_checksums)
