"""`make bench` at its smallest size (10^5 ledger rows), end to end without Evidence: the figures are printed,
only facts are asserted (no timings)."""

import pytest

from benchmarks.bench import fixed_cost, report, run_size
from benchmarks.scale import LEDGER_REPORTS, plan


def test_sizes_are_planned_in_blocks_near_their_ledger_rows():
    blocks = plan("1e7")
    assert len(blocks) > 1 and max(b.skus for b in blocks) <= 48
    assert {b.seller_id for b in blocks} == {"DEMO1"}
    assert [b.number for b in blocks] == list(range(1, len(blocks) + 1))
    agency = plan("agency")
    assert len({b.seller_id for b in agency}) == 20 == len(agency)
    with pytest.raises(ValueError, match="ledger rows like 1e6"):
        plan("big")


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_smallest_size_runs_every_stage(tmp_path):
    result = run_size("1e5", tmp_path, evidence=False)
    print()
    print(report([result]))

    gen = result.generated
    assert 0.85e5 <= gen.ledger_rows <= 1.15e5
    assert all(gen.rows[r] for r in LEDGER_REPORTS)
    assert not result.failures
    assert result.landed_rows == gen.document_rows
    assert result.floor_rows == result.landed_rows == result.stages["typed"].rows
    assert result.incremental_rows == sum(gen.newday_rows.values()) > 0
    assert gen.newday_rows["ledger_detail"] > 0
    assert not list((tmp_path / "1e5" / "newday").rglob("*.txt"))  # every new-day file moved and landed
    assert result.claims > 0
    for stage in ("build", "incremental"):  # where each build's time went, by layer
        note = result.stages[stage].note
        assert all(f"{part} " in note for part in ("staging", "intermediate", "marts", "tests")), note


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_dbt_fixed_cost_is_an_incremental_build_over_an_empty_lake(tmp_path):
    fixed = fixed_cost(tmp_path)
    print(f"\ndbt's fixed cost: {fixed.seconds:.1f} s ({fixed.note})")
    assert fixed.seconds > 0 and all(f"{part} " in fixed.note for part in ("staging", "intermediate", "tests"))
    assert not (tmp_path / "empty").exists()  # the empty lake and its warehouse are removed
    assert report([], fixed).startswith(f"dbt's fixed cost: {fixed.seconds:.1f} s, ")
