"""A demo warehouse, the Evidence site built over it, served on 127.0.0.1, and headless Debian Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dagster_project.assets.reports import BUILD_DIR, REPORTS_DIR, build_dashboards
from dagster_project.project import REPO_ROOT
from ingestion.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AS_OF = date(2026, 11, 28)
FBAUDIT = Path(sys.executable).with_name("fbaudit")
# A built warehouse to copy instead of `fbaudit demo` + `fbaudit run` (minutes faster while developing).
PREBUILT_WAREHOUSE = "FBAUDIT_TEST_WAREHOUSE"
# Dropped into the demo seller's inbox before the run: landing refuses it, so the data-health page has a
# quarantined file to show (and `fbaudit run` exits 1 for it alone).
BAD_FILE = REPO_ROOT / "tests" / "fixtures" / "reports" / "bad" / "unknown_header.tsv"
QUARANTINE_ONLY_FAILURE = "fbaudit run failed: 1 file(s) quarantined"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: builds the Evidence site and drives it in headless Chromium")


def make(target: str) -> None:
    subprocess.run(["make", "--no-print-directory", target], cwd=REPO_ROOT, check=True)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder with the demo seller's warehouse published and the site built over it."""
    if not CHROMIUM.exists():
        make("browser-setup")
    if not (REPORTS_DIR / "node_modules").is_dir():
        make("dashboards-install")
    data = tmp_path_factory.mktemp("reports-data")
    settings = Settings(data_dir=data, as_of=AS_OF, sellers_file=data / "sellers.yml")
    prebuilt = os.environ.get(PREBUILT_WAREHOUSE)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FBAUDIT_DATA_DIR", str(data))
        env.setenv("FBAUDIT_AS_OF", AS_OF.isoformat())
        env.delenv("DAGSTER_HOME", raising=False)
        if prebuilt:
            settings.published_warehouse_path.parent.mkdir(parents=True)
            shutil.copyfile(prebuilt, settings.published_warehouse_path)
            build_dashboards(settings.published_warehouse_path)
        else:  # the whole pipeline as a user runs it: its last assets publish and build the site
            done = subprocess.run([str(FBAUDIT), "demo"], cwd=data, capture_output=True, text=True)
            assert done.returncode == 0, f"fbaudit demo failed: {done.stdout[-3000:]}{done.stderr[-3000:]}"
            (inbox,) = (data / "inbox").glob("*/US")
            shutil.copy(BAD_FILE, inbox)
            done = subprocess.run([str(FBAUDIT), "run"], cwd=data, capture_output=True, text=True)
            only_the_bad_file = done.returncode == 1 and QUARANTINE_ONLY_FAILURE in done.stderr
            assert done.returncode == 0 or only_the_bad_file, (
                f"fbaudit run failed: {done.stdout[-3000:]}{done.stderr[-3000:]}")
    # this run's site, safe from a later build of reports/ (another engineer's `fbaudit run`)
    shutil.copytree(BUILD_DIR, data / "site")
    yield data


@pytest.fixture(scope="session")
def warehouse(data_dir: Path) -> Path:
    return data_dir / "published" / "warehouse.duckdb"


@pytest.fixture(scope="session")
def site(data_dir: Path) -> Iterator[str]:
    """reports/build served by `python -m http.server` on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(data_dir / "site")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, "http.server exited"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # SIGTERM ignored: a parent that ignores it passes that on to children
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
