"""Accuracy of claim detection: `marts.fct_claim_opportunities` against the demo seller's ground truth.

For every seed and size, in a fresh data folder with a fixed FBAUDIT_AS_OF, run `fbaudit demo` and
`fbaudit run` as a user does (the real pipeline), then compare the mart with ground_truth.csv. A detection
matches a truth row on (seller_id, marketplace_id, claim_type, reference_id, fnsku) and must agree on quantity
and claim_amount. Exits 1 below 100 % recall or precision for any claim type with truth rows or detections.

    make bench-accuracy ARGS="--seeds 1 --sizes demo --types inbound_shortage,inbound_damaged"
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from ingestion.catalog import marketplace
from ingestion.claims import CLAIM_TYPES

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-28"
MART = "marts.fct_claim_opportunities"
# Detections only: not claims Amazon settled on its own (resolved_by_amazon: the truth lists what is still owed)
# nor the reimbursement_short follow-ups fbaudit derives from filed cases (reference_type case_id).
DETECTIONS = "status <> 'resolved_by_amazon' and coalesce(reference_type, '') <> 'case_id'"
SHOWN = 10  # mismatches printed per kind


@dataclass(frozen=True)
class Size:
    skus: int
    days: int
    sellers: int

    def __str__(self) -> str:
        return f"{self.skus} skus, {self.days} days, {self.sellers} seller(s)"


SIZES = {"demo": Size(skus=24, days=300, sellers=1), "large": Size(skus=48, days=400, sellers=2)}


@dataclass(frozen=True)
class Claim:
    seller_id: str
    marketplace_id: str
    claim_type: str
    reference_id: str
    fnsku: str
    quantity: int | None
    claim_amount: Decimal

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.seller_id, self.marketplace_id, self.claim_type, self.reference_id, self.fnsku)

    @property
    def currency_code(self) -> str:
        return marketplace(self.marketplace_id).currency_code

    def __str__(self) -> str:
        return f"{'/'.join(self.key)} quantity={self.quantity} amount={self.claim_amount}"


@dataclass(frozen=True)
class Mismatch:
    truth: Claim
    detected: Claim


@dataclass(frozen=True)
class Comparison:
    truth: list[Claim]
    detected: list[Claim]
    matched: list[Claim]  # detections equal to their truth row
    missing: list[Claim]  # truth rows nothing detected
    extra: list[Claim]  # detections with no truth row (or a second detection of the same key)
    mismatched: list[Mismatch]  # same key, different quantity or amount


def compare(truth: Iterable[Claim], detected: Iterable[Claim]) -> Comparison:
    truth, detected = list(truth), list(detected)
    expected = {t.key: t for t in truth}
    seen: set[tuple[str, ...]] = set()
    matched, extra, mismatched = [], [], []
    for claim in detected:
        wanted = expected.get(claim.key)
        if wanted is None or claim.key in seen:
            extra.append(claim)
        elif (claim.quantity, claim.claim_amount) == (wanted.quantity, wanted.claim_amount):
            matched.append(claim)
        else:
            mismatched.append(Mismatch(wanted, claim))
        seen.add(claim.key)
    missing = [t for t in truth if t.key not in seen]
    return Comparison(truth, detected, matched, missing, extra, mismatched)


@dataclass
class Score:
    truth: int = 0
    detected: int = 0
    matched: int = 0
    true_amount: Counter[str] = field(default_factory=Counter)  # by currency: never add USD to EUR
    claimed_amount: Counter[str] = field(default_factory=Counter)

    @property
    def perfect(self) -> bool:
        return self.matched == self.truth == self.detected

    def add(self, other: Score) -> None:
        self.truth += other.truth
        self.detected += other.detected
        self.matched += other.matched
        self.true_amount.update(other.true_amount)
        self.claimed_amount.update(other.claimed_amount)


def add_scores(scores: dict[str, Score], comparison: Comparison) -> None:
    for claim in comparison.truth:
        score = scores.setdefault(claim.claim_type, Score())
        score.truth += 1
        score.true_amount[claim.currency_code] += claim.claim_amount
    for claim in comparison.detected:
        score = scores.setdefault(claim.claim_type, Score())
        score.detected += 1
        score.claimed_amount[claim.currency_code] += claim.claim_amount
    for claim in comparison.matched:
        scores[claim.claim_type].matched += 1


def read_truth(path: Path) -> list[Claim]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Claim(r["seller_id"], r["marketplace_id"], r["claim_type"], r["reference_id"], r["fnsku"],
                  int(r["quantity"]) if r["quantity"] else None, Decimal(r["claim_amount"]))
            for r in csv.DictReader(handle)
        ]


def read_detected(warehouse: Path) -> list[Claim]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            rows = con.execute(
                "select seller_id, marketplace_id, claim_type, reference_id, coalesce(fnsku, ''), quantity, "
                f"claim_amount from {MART} where {DETECTIONS}"
            ).fetchall()
        except duckdb.CatalogException:
            raise SystemExit(f"bench-accuracy: {warehouse} has no {MART}; did dbt build it?") from None
    return [Claim(*row[:5], row[5], Decimal(row[6])) for row in rows]


def fbaudit(args: Sequence[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it; the data folder is also the working directory (no .env)."""
    env = {**os.environ, "FBAUDIT_DATA_DIR": str(data_dir), "FBAUDIT_AS_OF": AS_OF}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run(["uv", "run", "--no-sync", "--project", str(REPO_ROOT), "fbaudit", *args],
                          cwd=data_dir, env=env, capture_output=True, text=True)


@dataclass(frozen=True)
class RunResult:
    label: str
    comparison: Comparison
    seconds: float
    failure: str | None  # `fbaudit run` exited non-zero: its last output lines
    kept: Path | None  # the run's data folder, with --keep


def run_one(seed: int, size_name: str, types: set[str], keep: bool) -> RunResult:
    size = SIZES[size_name]
    label = f"seed {seed}, {size_name}"
    data_dir = Path(tempfile.mkdtemp(prefix=f"fbaudit-bench-{size_name}-seed{seed}-"))
    try:
        started = time.monotonic()
        demo = fbaudit(["demo", "--seed", str(seed), "--skus", str(size.skus), "--days", str(size.days),
                        "--sellers", str(size.sellers)], data_dir)
        if demo.returncode != 0:
            raise SystemExit(f"bench-accuracy: fbaudit demo failed for {label}:\n{demo.stderr}")
        run = fbaudit(["run", "--no-dashboards"], data_dir)
        seconds = time.monotonic() - started
        failure = None if run.returncode == 0 else "\n".join(
            (run.stdout + run.stderr).splitlines()[-25:])
        truth = [c for c in read_truth(data_dir / "ground_truth.csv") if c.claim_type in types]
        if not (data_dir / "warehouse.duckdb").exists():
            raise SystemExit(f"bench-accuracy: fbaudit run built no warehouse for {label}:\n{failure}")
        detected = [c for c in read_detected(data_dir / "warehouse.duckdb")
                    if c.claim_type in types or c.claim_type not in CLAIM_TYPES]  # a typo is an extra
        return RunResult(label, compare(truth, detected), seconds, failure, data_dir if keep else None)
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def format_report(scores: dict[str, Score], types: Sequence[str]) -> str:
    currencies = sorted({c for s in scores.values() for c in (*s.true_amount, *s.claimed_amount)})
    money = "".join(f"{'true ' + c:>14}{'claimed ' + c:>14}" for c in currencies)
    lines = [f"{'claim type':<28}{'truth':>7}{'found':>7}{'matched':>8}{'recall':>8}{'precision':>10}{money}"]
    total = Score()
    for claim_type in types:
        score = scores.get(claim_type, Score())
        total.add(score)
        lines.append(score_line(claim_type, score, currencies))
    lines.append(score_line("total", total, currencies))
    return "\n".join(lines)


def score_line(name: str, score: Score, currencies: Sequence[str]) -> str:
    money = "".join(f"{score.true_amount[c]:>14,.2f}{score.claimed_amount[c]:>14,.2f}" for c in currencies)
    flag = "" if score.perfect else "  <- not 100 %"
    return (f"{name:<28}{score.truth:>7}{score.detected:>7}{score.matched:>8}"
            f"{percent(score.matched, score.truth):>8}{percent(score.matched, score.detected):>10}"
            f"{money}{flag}")


def format_mismatches(results: Sequence[RunResult]) -> str:
    kinds = {
        "missing (in the truth, not detected)": [(r.label, f"truth {c}") for r in results
                                                  for c in r.comparison.missing],
        "extra (detected, not in the truth)": [(r.label, f"found {c}") for r in results
                                                for c in r.comparison.extra],
        "wrong quantity or amount": [(r.label, f"truth {m.truth}\n      found {m.detected}") for r in results
                                     for m in r.comparison.mismatched],
    }
    lines = []
    for kind, items in kinds.items():
        if items:
            lines.append(f"{kind}: {len(items)}" + (f", first {SHOWN}" if len(items) > SHOWN else ""))
            lines += [f"  [{label}] {text}" for label, text in items[:SHOWN]]
    return "\n".join(lines)


def csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench-accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=csv_list, default=["1", "2", "3", "4", "5"], metavar="N,N...",
                        help="demo seeds (default 1,2,3,4,5)")
    parser.add_argument("--sizes", type=csv_list, default=list(SIZES), metavar="NAME,...",
                        help="; ".join(f"{name}: {size}" for name, size in SIZES.items()) + " (default: all)")
    parser.add_argument("--types", type=csv_list, default=list(CLAIM_TYPES), metavar="TYPE,...",
                        help="only these claim types (default: all 16)")
    parser.add_argument("--keep", action="store_true", help="keep each run's data folder")
    args = parser.parse_args(argv)
    if bad := [s for s in args.seeds if not s.isdigit()]:
        parser.error(f"--seeds: not whole numbers: {', '.join(bad)}")
    if bad := [s for s in args.sizes if s not in SIZES]:
        parser.error(f"--sizes: unknown {', '.join(bad)}; choose from {', '.join(SIZES)}")
    if bad := [t for t in args.types if t not in CLAIM_TYPES]:
        parser.error(f"--types: unknown claim type(s) {', '.join(bad)}; see CONTRACT.md")
    args.seeds = [int(s) for s in args.seeds]
    args.types = [t for t in CLAIM_TYPES if t in args.types]  # CONTRACT order
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = [(seed, size) for size in args.sizes for seed in args.seeds]
    print(f"bench-accuracy: {len(plan)} run(s) as of {AS_OF}, {len(args.types)} claim type(s); "
          "each run is `fbaudit demo` + `fbaudit run` (about a minute or more)", flush=True)
    results: list[RunResult] = []
    for number, (seed, size) in enumerate(plan, 1):
        print(f"[{number}/{len(plan)}] seed {seed}, {size} ({SIZES[size]}) ...", end=" ", flush=True)
        result = run_one(seed, size, set(args.types), args.keep)
        c = result.comparison
        print(f"{result.seconds:.0f} s: {len(c.truth)} truth, {len(c.detected)} found, "
              f"{len(c.matched)} matched", flush=True)
        if result.kept:
            print(f"  data kept in {result.kept}")
        if result.failure:
            print(f"  fbaudit run failed (compared what it built anyway):\n{result.failure}", flush=True)
        results.append(result)

    scores: dict[str, Score] = {}
    for result in results:
        add_scores(scores, result.comparison)
    print()
    shown = args.types + sorted(set(scores) - set(CLAIM_TYPES))
    print(format_report(scores, shown))
    if mismatches := format_mismatches(results):
        print()
        print(mismatches)
    print()
    print("wall time per run: " + ", ".join(f"{r.label} {r.seconds:.0f} s" for r in results))
    failing = [t for t in shown if not scores.get(t, Score()).perfect]
    if failing or any(r.failure for r in results):
        print(f"bench-accuracy FAILED: below 100 % for {', '.join(failing) or 'no type'}"
              + ("; fbaudit run failed" if any(r.failure for r in results) else ""), file=sys.stderr)
        return 1
    print("bench-accuracy: 100 % recall and precision for every claim type")
    return 0


if __name__ == "__main__":
    sys.exit(main())
