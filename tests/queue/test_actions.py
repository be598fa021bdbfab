"""`mark`: each action path is recorded with the claim's snapshot; each refusal writes nothing."""

import json
import re

import pytest

from ingestion.queue.actions import NoWarehouse, RefusedAction, current_claims, mark
from ingestion.queue.log import actions_path, read_actions


def status(settings, claim_id: str) -> tuple[str, str | None]:
    (claim,) = current_claims(settings, [claim_id])
    return claim["status"], claim["case_id"]


def test_filing_records_the_case_id_and_a_snapshot_of_the_claim(queue_data):
    recorded = mark(queue_data, " CLM-claimable ", filed=True, case_id=" 12345678901\n", note="via SC")
    assert (recorded.action, recorded.claim_id, recorded.case_id, recorded.note) == (
        "filed", "CLM-claimable", "12345678901", "via SC")
    assert re.fullmatch(r"[0-9a-f]{32}", recorded.action_id)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", recorded.recorded_at)
    assert (recorded.claim_amount, recorded.unit_value_amount, recorded.quantity, recorded.deadline_date) == (
        "120.00", "60.00", 2, "2026-12-20")
    assert recorded.case_text == "Please reimburse CLM-claimable."
    (line,) = actions_path(queue_data).read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["claim_amount"] == "120.00"
    assert read_actions(queue_data) == [recorded]
    assert status(queue_data, "CLM-claimable") == ("filed", "12345678901")


def test_a_filed_case_can_be_denied_reopened_and_filed_again(queue_data):
    mark(queue_data, "CLM-claimable", filed=True, case_id="12345678901")
    assert mark(queue_data, "CLM-claimable", denied=True, note="no proof of loss").action == "denied"
    assert status(queue_data, "CLM-claimable") == ("denied", None)
    assert mark(queue_data, "CLM-claimable", reopen=True).action == "reopened"
    assert status(queue_data, "CLM-claimable") == ("claimable", None)
    mark(queue_data, "CLM-claimable", filed=True, case_id="22345678901")
    assert status(queue_data, "CLM-claimable") == ("filed", "22345678901")
    assert [a.action for a in read_actions(queue_data)] == ["filed", "denied", "reopened", "filed"]


def test_dismissing_needs_a_reason_and_can_be_reopened(queue_data):
    recorded = mark(queue_data, "CLM-due-soon", dismissed=True, reason="  below the effort  ")
    assert (recorded.action, recorded.reason) == ("dismissed", "below the effort")
    assert status(queue_data, "CLM-due-soon") == ("dismissed", None)
    mark(queue_data, "CLM-due-soon", reopen=True)
    assert status(queue_data, "CLM-due-soon") == ("claimable", None)


@pytest.mark.parametrize("claim_id", ["CLM-claimable", "CLM-expired", "CLM-reimbursed", "CLM-waiting"])
def test_a_note_is_allowed_on_any_claim_and_changes_nothing(queue_data, claim_id):
    before = status(queue_data, claim_id)
    assert mark(queue_data, claim_id, note="called support").action == "note"
    assert status(queue_data, claim_id) == before


def test_a_partially_reimbursed_claim_can_be_filed_for_the_rest_and_denied(queue_data):
    mark(queue_data, "CLM-partial", filed=True, case_id="12345678901")
    assert status(queue_data, "CLM-partial") == ("partially_reimbursed", "12345678901")
    mark(queue_data, "CLM-partial", denied=True)
    assert status(queue_data, "CLM-partial") == ("denied", None)


def test_a_claim_without_a_filing_window_can_be_filed(queue_data):
    assert mark(queue_data, "CLM-no-window", filed=True, case_id="12345678901").action == "filed"


# (actions recorded first, claim id, mark's keyword arguments, what the refusal says)
REFUSALS = {
    "unknown id, a prefix of one": ([], "CLM-claim", {"note": "x"}, "no claim 'CLM-claim'.*did you mean "
                                    "CLM-claimable, CLM-claimable-small"),
    "unknown id": ([], "CLM-nothing-like-it-zz", {"note": "x"},
                   "no claim 'CLM-nothing-like-it-zz'.*claims list"),
    "two actions": ([], "CLM-claimable", {"filed": True, "case_id": "12345678901", "denied": True},
                    "one way at a time, not --filed and --denied"),
    "no action": ([], "CLM-claimable", {}, "say what to record for CLM-claimable: --filed --case-id N"),
    "blank note": ([], "CLM-claimable", {"note": "   "}, "--note needs some text"),
    "filed without case id": ([], "CLM-claimable", {"filed": True},
                              "needs Amazon's case id.*got no --case-id"),
    "case id not Amazon's": ([], "CLM-claimable", {"filed": True, "case_id": "CASE-12"},
                             "5 to 20 digits.*got case id 'CASE-12'"),
    "case id without filed": ([], "CLM-claimable", {"note": "x", "case_id": "12345678901"},
                              "--case-id goes with --filed"),
    "reason without dismissed": ([], "CLM-claimable", {"denied": True, "reason": "x"},
                                 "--reason goes with --dismissed"),
    "dismissed without reason": ([], "CLM-claimable", {"dismissed": True}, "needs --reason TEXT"),
    "filing an expired claim": ([], "CLM-expired", {"filed": True, "case_id": "12345678901"},
                                "CLM-expired \\(warehouse_lost REF-CLM-expired\\) is expired; its deadline "
                                "was 2026-09-01"),
    "filing a waiting claim": ([], "CLM-waiting", {"filed": True, "case_id": "12345678901"},
                               "is waiting; Amazon's window opens on 2026-12-10 "
                               "\\(12 days from 2026-11-28\\)"),
    "filing twice, same case": ([("filed", "12345678901")], "CLM-claimable",
                                {"filed": True, "case_id": "12345678901"},
                                "is filed \\(case 12345678901\\); already filed under that case id"),
    "filing twice, another case": ([("filed", "12345678901")], "CLM-claimable",
                                   {"filed": True, "case_id": "99945678901"}, "filed under one case"),
    "filing a reimbursed claim": ([], "CLM-reimbursed", {"filed": True, "case_id": "12345678901"},
                                  "is reimbursed; Amazon has paid it"),
    "filing a resolved claim": ([], "CLM-resolved", {"filed": True, "case_id": "12345678901"},
                                "is resolved_by_amazon; Amazon has paid it"),
    "filing a denied claim": ([("filed", "12345678901"), ("denied", None)], "CLM-claimable",
                              {"filed": True, "case_id": "99945678901"}, "is denied; record --reopen first"),
    "denying a claim not filed": ([], "CLM-claimable", {"denied": True}, "is claimable; only a filed case"),
    "denying a reimbursed claim": ([], "CLM-reimbursed", {"denied": True}, "cannot be denied"),
    "dismissing a resolved claim": ([], "CLM-resolved", {"dismissed": True, "reason": "x"},
                                    "cannot be dismissed"),
    "dismissing twice": ([("dismissed", None)], "CLM-claimable", {"dismissed": True, "reason": "x"},
                         "is dismissed; already dismissed"),
    "denying twice": ([("filed", "12345678901"), ("denied", None)], "CLM-claimable", {"denied": True},
                      "is denied; already denied"),
    "reopening an open claim": ([], "CLM-claimable", {"reopen": True}, "only a denied or dismissed claim"),
    "reopening twice": ([("dismissed", None), ("reopened", None)], "CLM-claimable", {"reopen": True},
                        "is claimable; only a denied or dismissed claim"),
}


@pytest.mark.parametrize(("before", "claim_id", "kwargs", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_action_says_why_and_writes_nothing(queue_data, before, claim_id, kwargs, message):
    flags = {"filed": "filed", "denied": "denied", "dismissed": "dismissed", "reopened": "reopen"}
    for action, case_id in before:
        mark(queue_data, claim_id, **{flags[action]: True}, case_id=case_id,
             reason="not worth it" if action == "dismissed" else None)
    log = actions_path(queue_data).read_bytes() if before else None
    with pytest.raises(RefusedAction, match=message):
        mark(queue_data, claim_id, **kwargs)
    if before:
        assert actions_path(queue_data).read_bytes() == log
    else:
        assert not actions_path(queue_data).exists() or actions_path(queue_data).read_bytes() == b""


def test_without_a_published_warehouse_mark_says_to_run_first(settings):
    with pytest.raises(NoWarehouse, match="run `fbaudit run` first"):
        mark(settings, "CLM-claimable", note="x")
    assert read_actions(settings) == []
