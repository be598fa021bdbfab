"""The `fbaudit` console script: argument errors exit 2 naming the problem; ingest lands files."""

import fcntl
import shutil
import threading

import pytest

from dagster_project.cli import RUN_LOCK, main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "required: COMMAND"),
        (["run", "--as-of", "28/11/2026"], "not a date like 2026-11-28: '28/11/2026'"),
        (["ingest", "--marketplace", "US", "."], "required: --seller"),
        (["ingest", "--seller", "S1", "--marketplace", "ZZ", "."], "unknown marketplace 'ZZ'"),
        (["ingest", "--seller", "S1", "--marketplace", "US", "no/such/file.tsv"], "no such file or folder"),
        (["demo", "--skus", "0"], "not a positive whole number: '0'"),
        (["pull", "--since", "soon"], "not a date like 2026-11-28: 'soon'"),
        (["claims"], "required: ACTION"),
    ],
)
def test_argument_errors_exit_2_with_a_clear_message(argv, message, capsys, data_dir):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_bad_as_of_in_the_environment_is_an_argument_error(capsys, data_dir, monkeypatch):
    monkeypatch.setenv("FBAUDIT_AS_OF", "yesterday")
    with pytest.raises(SystemExit) as exit_info:
        main(["demo"])
    assert exit_info.value.code == 2
    assert "FBAUDIT_AS_OF must be a date" in capsys.readouterr().err


def test_ingest_lands_each_file_and_exits_1_when_one_is_quarantined(reports_dir, tmp_path, capsys, data_dir):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(reports_dir / "reimbursements" / "reimbursements_us.tsv", drop)
    assert main(["ingest", "--seller", "S1", "--marketplace", "us", str(drop)]) == 0
    out = capsys.readouterr().out
    assert "landed reimbursements" in out and "1 files: 1 landed, 0 duplicate, 0 quarantined" in out

    shutil.copy(reports_dir / "bad" / "unknown_header.tsv", drop)
    assert main(["ingest", "--seller", "S1", "--marketplace", "US", str(drop)]) == 1
    captured = capsys.readouterr()
    assert "2 files: 0 landed, 1 duplicate, 1 quarantined" in captured.out
    assert f"error files in {data_dir / 'quarantine'}" in captured.err


def test_ingest_waits_while_a_run_holds_the_lock_then_lands(reports_dir, tmp_path, capsys, data_dir):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(reports_dir / "reimbursements" / "reimbursements_us.tsv", drop)
    data_dir.mkdir(parents=True)
    codes = []
    with open(data_dir / RUN_LOCK, "a+", encoding="utf-8") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        ingest = threading.Thread(target=lambda: codes.append(
            main(["ingest", "--seller", "S1", "--marketplace", "US", str(drop)])))
        ingest.start()
        ingest.join(timeout=2)
        assert ingest.is_alive() and not (data_dir / "lake").exists()  # nothing landed while the run builds
    ingest.join(timeout=60)
    assert codes == [0]
    captured = capsys.readouterr()
    assert "waiting for it to end" in captured.err and "1 files: 1 landed" in captured.out
