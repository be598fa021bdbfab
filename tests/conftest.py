"""Shared pytest fixtures."""

from datetime import date
from pathlib import Path

import pytest

from ingestion.settings import Settings

REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "reports"


@pytest.fixture
def reports_dir() -> Path:
    """Hand-written report documents: one folder per catalog report, plus `bad/`."""
    return REPORT_FIXTURES


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings over an empty data folder of this test."""
    data = tmp_path / "data"
    return Settings(data_dir=data, as_of=date(2026, 9, 30), sellers_file=tmp_path / "sellers.yml")
