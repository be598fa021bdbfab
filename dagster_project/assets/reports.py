"""The dashboards: a published copy of the warehouse, and the Evidence site (reports/) built over it.

Evidence reads the published copy, never the file dbt writes, so a page or `npm run sources` never holds a
lock on the warehouse. Evidence resolves a DuckDB `filename` relative to its source folder, so the build
points `reports/sources/warehouse/warehouse.duckdb` at the published copy with a relative symlink.
"""

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from ingestion.settings import Settings, load_settings

from ..project import REPO_ROOT
from ..resources import WRITER_POOL
from .transform import dbt_models

REPORTS_DIR = REPO_ROOT / "reports"
SOURCE_DIR = REPORTS_DIR / "sources" / "warehouse"
SOURCE_LINK = SOURCE_DIR / "warehouse.duckdb"  # connection.yaml's filename
BUILD_DIR = REPORTS_DIR / "build"
BUILD_LOCK = ".build.lock"  # builds share reports/ (the link, .evidence/, build/): one at a time
INSTALL_HINT = "run `make dashboards-install` (npm ci in reports/)"
DASHBOARDS_KEY = dg.AssetKey(["reports", "dashboards"])


def publish_warehouse(settings: Settings) -> Path:
    """Copy the warehouse to the published path atomically: readers see the old copy or the new one."""
    target = settings.published_warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(settings.warehouse_path, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def link_source(warehouse: Path) -> None:
    """Point Evidence's warehouse source at this DuckDB file (a relative symlink, as Evidence needs)."""
    SOURCE_LINK.unlink(missing_ok=True)
    SOURCE_LINK.symlink_to(os.path.relpath(warehouse.resolve(), SOURCE_DIR))


@contextmanager
def _reports_locked(warehouse: Path) -> Iterator[None]:
    """Hold reports/' build lock with Evidence's source pointed at this warehouse file."""
    if not (REPORTS_DIR / "node_modules").is_dir():
        raise RuntimeError(f"the dashboards' Node packages are missing from {REPORTS_DIR}: {INSTALL_HINT}")
    with open(REPORTS_DIR / BUILD_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        link_source(warehouse)
        yield


def _npm_run(script: str, log: Callable[[str], None]) -> None:
    log(f"npm run {script} in {REPORTS_DIR}")
    env = {**os.environ, "SEND_ANONYMOUS_USAGE_STATS": "no"}
    done = subprocess.run(["npm", "run", script], cwd=REPORTS_DIR, env=env, text=True, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"`npm run {script}` in {REPORTS_DIR} failed (exit {done.returncode}):\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )


def refresh_sources(warehouse: Path, log: Callable[[str], None] = print) -> None:
    """`npm run sources` alone: the dashboards' data extracted from this warehouse file, no site build."""
    with _reports_locked(warehouse):
        _npm_run("sources", log)


def build_dashboards(warehouse: Path, log: Callable[[str], None] = print) -> Path:
    """`npm run sources` then a strict `npm run build` over this warehouse file; returns the site folder."""
    with _reports_locked(warehouse):
        shutil.rmtree(BUILD_DIR, ignore_errors=True)  # Evidence leaves stale chunks behind otherwise
        for script in ("sources", "build:strict"):
            _npm_run(script, log)
    return BUILD_DIR


@dg.asset(
    key=["reports", "published_warehouse"],
    deps=[dbt_models],
    group_name="reports",
    kinds={"duckdb"},
    pool=WRITER_POOL,
    description="A copy of the built warehouse for readers ($FBAUDIT_DATA_DIR/published/warehouse.duckdb).",
)
def published_warehouse() -> dg.MaterializeResult:
    target = publish_warehouse(load_settings())
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})


@dg.asset(
    key=DASHBOARDS_KEY,
    deps=[published_warehouse],
    group_name="reports",
    kinds={"evidence"},
    description="The Evidence site (reports/build) over the published warehouse.",
)
def dashboards(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    try:
        site = build_dashboards(load_settings().published_warehouse_path, log=context.log.info)
    except RuntimeError as error:
        raise dg.Failure(str(error)) from None
    pages = sum(1 for _ in site.rglob("index.html"))
    return dg.MaterializeResult(metadata={"site": str(site), "pages": pages})
