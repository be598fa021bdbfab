"""`fbaudit pull` and `fbaudit demo --no-reports`."""

import pytest

from dagster_project.cli import main


@pytest.fixture
def configured(sp, emulator, tmp_path, monkeypatch):
    settings = sp.settings_for(emulator, tmp_path)
    monkeypatch.setenv("FBAUDIT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("FBAUDIT_AS_OF", sp.as_of.isoformat())
    monkeypatch.setenv("FBAUDIT_SELLERS", str(settings.sellers_file))
    return settings


def test_pull_exits_non_zero_naming_each_failure_and_the_gaps(sp, emulator, configured, capsys):
    emulator.state.set_faults([{"kind": "fatal", "report_type": "GET_FBA_REIMBURSEMENTS_DATA"}])
    assert main(["pull", "--since", sp.since.isoformat()]) == 1
    out, err = capsys.readouterr()
    assert "GET_FBA_REIMBURSEMENTS_DATA 2026-09-01..2026-09-29 report " in out and " FATAL: " in out
    assert "window(s) failed" in err
    assert main(["pull", "--gaps", "--since", sp.since.isoformat()]) == 1
    assert "FATAL" in capsys.readouterr().out
    emulator.state.set_faults([])
    assert main(["pull", "--since", sp.since.isoformat()]) == 0
    assert main(["pull", "--gaps", "--since", sp.since.isoformat()]) == 0
    assert "every window is covered" in capsys.readouterr().out


def test_pull_names_a_missing_credential_variable(configured, monkeypatch, capsys):
    monkeypatch.delenv("DEMO1_REFRESH_TOKEN")
    assert main(["pull"]) == 2
    assert "DEMO1_REFRESH_TOKEN" in capsys.readouterr().err


def test_demo_without_reports_writes_only_truth_and_the_sellers_own_files(configured):
    assert main(["demo", "--no-reports", "--skus", "3", "--days", "20"]) == 0
    files = [p for p in configured.inbox_dir.rglob("*") if p.is_file()]
    assert files and all(p.name.startswith("product_costs_") for p in files)
    assert configured.ground_truth_path.exists()
