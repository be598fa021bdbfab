"""`fbaudit claims list|show|export|mark`: the user's view of the queue; refusals exit 2 on stderr."""

import argparse
import csv
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.claims_cli import add_claims_parser, run_claims
from ingestion.queue.actions import mark
from ingestion.queue.log import actions_path


def claims(settings, *argv: str) -> int:
    """`fbaudit claims ...` as cli.py's main runs it."""
    parser = argparse.ArgumentParser(prog="fbaudit")
    add_claims_parser(parser.add_subparsers(dest="command", required=True))
    return run_claims(settings, parser.parse_args(["claims", *argv]))


def listed(settings, capsys, *argv: str) -> list[dict[str, str]]:
    assert claims(settings, "list", "--format", "csv", *argv) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_list_is_by_deadline_then_amount_with_a_total_per_currency(queue_data, capsys):
    assert claims(queue_data, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["claim", "id", "type"]
    ids = [line.split()[0] for line in lines[1:-2]]
    assert ids == ["CLM-expired", "CLM-due-soon", "CLM-claimable", "CLM-claimable-small", "CLM-resolved",
                   "CLM-partial", "CLM-reimbursed", "CLM-waiting", "CLM-no-window"]
    claimable = next(line for line in lines if line.startswith("CLM-claimable "))
    assert claimable.split() == ["CLM-claimable", "warehouse_lost", "claimable", "S1", "US",
                                 "REF-CLM-claimable", "120.00", "USD", "2026-12-20", "22"]
    assert lines[-2:] == ["total EUR: 31.35 in 2 claims", "total USD: 324.49 in 7 claims"]


def test_list_shows_actions_recorded_since_the_build(queue_data, capsys):
    mark(queue_data, "CLM-claimable", filed=True, case_id="12345678901")
    assert [r["claim_id"] for r in listed(queue_data, capsys, "--status", "filed")] == ["CLM-claimable"]
    assert "CLM-claimable" not in [r["claim_id"] for r in listed(queue_data, capsys, "--status", "claimable")]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--status", "claimable", "waiting"],
         {"CLM-claimable", "CLM-claimable-small", "CLM-due-soon", "CLM-no-window", "CLM-waiting"}),
        (["--status", "expired", "--status", "resolved_by_amazon"], {"CLM-expired", "CLM-resolved"}),
        (["--type", "warehouse_lost"], {"CLM-claimable", "CLM-expired", "CLM-resolved"}),
        (["--marketplace", "de"], {"CLM-due-soon", "CLM-no-window"}),
        (["--seller", "S2"], set()),
        (["--due-within", "3"], {"CLM-due-soon"}),
        (["--due-within", "30", "--marketplace", "US", "--status", "claimable"],
         {"CLM-claimable", "CLM-claimable-small"}),
    ],
)
def test_list_filters(queue_data, capsys, argv, expected):
    assert {r["claim_id"] for r in listed(queue_data, capsys, *argv)} == expected


def test_list_as_csv_has_plain_values(queue_data, capsys):
    (row,) = listed(queue_data, capsys, "--type", "refund_not_returned")
    assert row == {"claim_id": "CLM-due-soon", "claim_type": "refund_not_returned", "status": "claimable",
                   "seller_id": "S1", "marketplace": "DE", "reference_id": "REF-CLM-due-soon",
                   "claim_amount": "30.25", "currency_code": "EUR", "deadline_date": "2026-12-01",
                   "days_left": "3"}


def test_show_prints_every_column_the_evidence_case_text_and_actions(queue_data, capsys):
    mark(queue_data, "CLM-claimable", filed=True, case_id="12345678901", note="opened today")
    mark(queue_data, "CLM-claimable", note="Amazon asked for an invoice")
    assert claims(queue_data, "show", "CLM-claimable") == 0
    out = capsys.readouterr().out
    for line in ("claim_id:           CLM-claimable", "marketplace_id:     ATVPDKIKX0DER (US)",
                 "deadline_date:      2026-12-20 (22 days left on 2026-11-28)", "status:             filed",
                 "case_id:            12345678901", "reimbursed_amount:  0.00",
                 "valuation_basis:    manufacturing_cost",
                 "evidence:\nevidence of CLM-claimable", "case_text:\nPlease reimburse CLM-claimable."):
        assert line in out
    assert "filed     case 12345678901; note: opened today" in out
    assert "note      note: Amazon asked for an invoice" in out


def test_mark_records_and_says_where(queue_data, capsys):
    assert claims(queue_data, "mark", "CLM-claimable", "--dismissed", "--reason", "too small") == 0
    assert "recorded: CLM-claimable dismissed" in capsys.readouterr().out
    assert claims(queue_data, "mark", "CLM-claimable", "--reopen", "--note", "worth it after all") == 0
    assert actions_path(queue_data).read_text(encoding="utf-8").count("\n") == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mark", "CLM-expired", "--filed", "--case-id", "12345678901"],
         "is expired; its deadline was 2026-09-01"),
        (["mark", "CLM-reimbursed", "--denied"], "Amazon has paid it, so it cannot be denied"),
        (["mark", "CLM-claimable"], "say what to record"),
        (["mark", "CLM-claim", "--note", "x"], "did you mean CLM-claimable"),
        (["show", "CLM-nope"], "no claim 'CLM-nope'"),
        (["export", "--claim", "CLM-nope"], "no claim 'CLM-nope'"),
    ],
)
def test_a_refusal_exits_2_on_stderr_and_writes_nothing(queue_data, capsys, argv, message):
    mark(queue_data, "CLM-due-soon", note="already there")
    log = actions_path(queue_data).read_bytes()
    assert claims(queue_data, *argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and captured.out == ""
    assert actions_path(queue_data).read_bytes() == log


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--marketplace", "ZZ"], "unknown marketplace 'ZZ'"),
        (["list", "--status", "paid"], "invalid choice: 'paid'"),
        (["list", "--due-within", "0"], "not a positive whole number: '0'"),
        (["mark", "CLM-claimable", "--denied", "--dismissed"], "not allowed with argument --denied"),
    ],
)
def test_bad_arguments_exit_2(queue_data, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        claims(queue_data, *argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_without_a_published_warehouse_it_says_to_run_first(settings, capsys):
    assert claims(settings, "list") == 1
    assert "no published warehouse" in capsys.readouterr().err


@pytest.mark.slow
def test_export_writes_the_packets_of_the_claims_open_today(demo_data, capsys):
    (claim,) = listed(demo_data, capsys, "--status", "claimable", "--due-within", "30")[:1]
    assert claims(demo_data, "export", "--claim", claim["claim_id"]) == 0
    (folder, summary) = capsys.readouterr().out.splitlines()
    assert Path(folder).is_dir() and Path(folder).name == claim["claim_id"]
    assert summary.startswith("1 case packet(s) and 0 batch file(s)")
    assert claims(demo_data, "export") == 0
    assert "case packet(s)" in capsys.readouterr().out


@pytest.mark.slow
def test_list_on_the_demo_seller_totals_the_mart(demo_data, capsys):
    with duckdb.connect(str(demo_data.warehouse_path), read_only=True) as con:
        expected = dict(con.execute("select currency_code, sum(claim_amount) "
                                    "from marts.fct_claim_opportunities group by all").fetchall())
    rows = listed(demo_data, capsys)
    assert len(rows) == len({r["claim_id"] for r in rows}) > 0
    for currency, total in expected.items():
        assert sum(Decimal(r["claim_amount"]) for r in rows if r["currency_code"] == currency) == total
