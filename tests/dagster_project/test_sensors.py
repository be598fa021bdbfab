"""inbox_sensor: a run request only when the inbox holds files in a state not seen before."""

import os

import dagster as dg

from dagster_project.sensors import inbox_sensor


def evaluate(cursor: str | None):
    return inbox_sensor(dg.build_sensor_context(cursor=cursor))


def test_no_run_for_a_missing_or_empty_inbox(data_dir):
    assert isinstance(evaluate(None), dg.SkipReason)
    (data_dir / "inbox" / "S1" / "US").mkdir(parents=True)
    assert isinstance(evaluate(None), dg.SkipReason)


def test_a_run_for_new_files_and_none_while_nothing_changes(data_dir):
    folder = data_dir / "inbox" / "S1" / "US"
    folder.mkdir(parents=True)
    (folder / "returns.tsv").write_text("a\tb\n")
    first = evaluate(None)
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    assert first.run_requests[0].job_name in (None, "daily_refresh_job")
    assert isinstance(evaluate(first.cursor), dg.SkipReason)

    (folder / ".partial.tsv").write_text("still copying")
    assert isinstance(evaluate(first.cursor), dg.SkipReason)

    (folder / "ledger.tsv").write_text("c\n")
    second = evaluate(first.cursor)
    assert isinstance(second, dg.SensorResult) and second.cursor != first.cursor
    assert second.run_requests[0].run_key == second.cursor


def test_a_run_when_a_file_is_replaced(data_dir):
    path = data_dir / "inbox" / "S1" / "DE" / "fees.tsv"
    path.parent.mkdir(parents=True)
    path.write_text("a\n")
    first = evaluate(None)
    path.write_text("ab\n")
    os.utime(path, ns=(1, 1))  # a copy that kept an old mtime still differs by size
    assert isinstance(evaluate(first.cursor), dg.SensorResult)
