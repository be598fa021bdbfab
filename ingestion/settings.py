"""Settings from the environment (a `.env` file in the working directory is read if present)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ENV_FILE = ".env"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments ignored; surrounding quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def load_env_file(path: Path = Path(ENV_FILE)) -> None:
    """Put `.env` values into os.environ without overriding what the environment already says. An empty value
    (`FBAUDIT_DBT_TARGET=`, as .env.example has them) means unset: the setting keeps its default."""
    for key, value in read_env_file(path).items():
        if value:
            os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    as_of: date
    sellers_file: Path

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def claims_dir(self) -> Path:
        return self.data_dir / "claims"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def published_warehouse_path(self) -> Path:
        """The read-only copy published after each build: dashboards and people's commands read it."""
        return self.data_dir / "published" / "warehouse.duckdb"

    @property
    def ground_truth_path(self) -> Path:
        return self.data_dir / "ground_truth.csv"

    def export(self) -> None:
        """Make these settings the environment of child processes (dbt, Dagster), as absolute paths."""
        os.environ["FBAUDIT_DATA_DIR"] = str(self.data_dir)
        os.environ["FBAUDIT_AS_OF"] = self.as_of.isoformat()
        os.environ["FBAUDIT_SELLERS"] = str(self.sellers_file)


def load_settings() -> Settings:
    load_env_file()
    as_of_text = os.environ.get("FBAUDIT_AS_OF", "").strip()
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
    except ValueError:
        raise ValueError(f"FBAUDIT_AS_OF must be a date like 2026-11-28, not {as_of_text!r}") from None
    return Settings(
        data_dir=Path(os.environ.get("FBAUDIT_DATA_DIR") or "data").resolve(),
        as_of=as_of,
        sellers_file=Path(os.environ.get("FBAUDIT_SELLERS") or "sellers.yml").resolve(),
    )
