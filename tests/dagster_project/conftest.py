"""Fixtures for the Dagster code location. Loading it needs dbt/target/manifest.json."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def defs(tmp_path_factory: pytest.TempPathFactory):
    """The code location, loaded as `dagster dev` does; `dbt parse` runs first if the manifest is stale."""
    from dagster_project.cli import ensure_manifest

    with pytest.MonkeyPatch.context() as env:
        env.setenv("FBAUDIT_DATA_DIR", str(tmp_path_factory.mktemp("data")))  # the dbt profile needs it
        assert ensure_manifest(), "dbt parse failed"
    from dagster_project.definitions import defs

    return defs


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder that `load_settings()` points at."""
    data = tmp_path / "data"
    monkeypatch.setenv("FBAUDIT_DATA_DIR", str(data))
    monkeypatch.delenv("FBAUDIT_AS_OF", raising=False)
    return data
