"""The accuracy benchmark's comparison and scores, on hand-made claims (no pipeline run)."""

from decimal import Decimal

import pytest

from benchmarks.accuracy import Claim, Score, add_scores, compare, format_report, parse_args
from ingestion.catalog import marketplace

US, DE = marketplace("US").marketplace_id, marketplace("DE").marketplace_id


def claim(claim_type: str, reference_id: str, quantity: int | None, amount: str, market: str = US) -> Claim:
    return Claim("S1", market, claim_type, reference_id, "X001", quantity, Decimal(amount))


TRUTH = [
    claim("warehouse_lost", "R1", 2, "10.00"),
    claim("warehouse_lost", "R2", 1, "5.00"),  # missed
    claim("inbound_shortage", "FBA1", 3, "30.00", DE),  # found with the wrong quantity
    claim("storage_fee_overcharge", "2026-10", None, "1.25"),
]
DETECTED = [
    claim("warehouse_lost", "R1", 2, "10.00"),
    claim("inbound_shortage", "FBA1", 2, "30.00", DE),
    claim("storage_fee_overcharge", "2026-10", None, "1.250"),  # Decimal equality, not text
    claim("removal_lost", "RO1", 1, "4.00"),  # not in the truth
]


def test_compare_sorts_every_claim_into_exactly_one_outcome():
    result = compare(TRUTH, DETECTED)
    assert [c.reference_id for c in result.matched] == ["R1", "2026-10"]
    assert [c.reference_id for c in result.missing] == ["R2"]
    assert [c.reference_id for c in result.extra] == ["RO1"]
    assert [(m.truth.quantity, m.detected.quantity) for m in result.mismatched] == [(3, 2)]


def test_an_amount_mismatch_and_a_duplicate_detection_do_not_match():
    truth = [claim("refund_fee_error", "O1", None, "2.00")]
    result = compare(truth, [claim("refund_fee_error", "O1", None, "2.01"),
                             claim("refund_fee_error", "O1", None, "2.00")])
    outcomes = (result.matched, result.mismatched, result.extra, result.missing)
    assert [len(o) for o in outcomes] == [0, 1, 1, 0]


def test_scores_count_per_type_and_keep_currencies_apart():
    scores: dict[str, Score] = {}
    add_scores(scores, compare(TRUTH, DETECTED))
    lost, shortage = scores["warehouse_lost"], scores["inbound_shortage"]
    assert (lost.truth, lost.detected, lost.matched, lost.perfect) == (2, 1, 1, False)
    assert lost.true_amount == {"USD": Decimal("15.00")}
    assert (shortage.matched, shortage.claimed_amount) == (0, {"EUR": Decimal("30.00")})
    assert scores["storage_fee_overcharge"].perfect
    assert (scores["removal_lost"].truth, scores["removal_lost"].detected) == (0, 1)

    report = format_report(scores, ["warehouse_lost", "inbound_damaged", "storage_fee_overcharge"])
    lines = report.splitlines()
    assert lines[0].split()[-8:] == ["true", "EUR", "claimed", "EUR", "true", "USD", "claimed", "USD"]
    assert lines[1].split()[:10] == ["warehouse_lost", "2", "1", "1", "50.0%", "100.0%",
                                     "0.00", "0.00", "15.00", "10.00"]
    assert lines[1].endswith("<- not 100 %")
    assert lines[2].split()[:6] == ["inbound_damaged", "0", "0", "0", "-", "-"]
    assert lines[-1].split()[:6] == ["total", "3", "2", "2", "66.7%", "100.0%"]


def test_types_are_checked_and_put_in_contract_order(capsys):
    args = parse_args(["--seeds", "1,3", "--types", "refund_fee_error,inbound_shortage"])
    assert (args.seeds, args.types) == ([1, 3], ["inbound_shortage", "refund_fee_error"])
    with pytest.raises(SystemExit):
        parse_args(["--types", "lost_forever"])
    assert "unknown claim type(s) lost_forever" in capsys.readouterr().err
