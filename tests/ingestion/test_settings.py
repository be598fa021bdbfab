"""Settings from the environment and a `.env` file."""

import os

from ingestion.settings import load_env_file


def test_env_file_sets_what_the_environment_lacks_and_empty_values_mean_unset(tmp_path, monkeypatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# copied from .env.example\nFBAUDIT_DBT_TARGET=\nFBAUDIT_AS_OF=2026-11-28\n"
                        "FBAUDIT_SELLERS='other.yml'\n", encoding="utf-8")
    for name in ("FBAUDIT_DBT_TARGET", "FBAUDIT_AS_OF"):  # set then removed: restored after the test either way
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("FBAUDIT_SELLERS", "mine.yml")
    load_env_file(env_file)
    assert "FBAUDIT_DBT_TARGET" not in os.environ  # dbt's env_var default applies, not ''
    assert os.environ["FBAUDIT_AS_OF"] == "2026-11-28"
    assert os.environ["FBAUDIT_SELLERS"] == "mine.yml"  # the environment wins
