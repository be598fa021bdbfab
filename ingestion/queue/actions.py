"""What a person did with a claim, validated before it is written to the actions log.

Commands read the published copy of the warehouse (never the file a build is writing), and the actions log
decides what was done since: the log is the only record of actions, so the latest non-note action of a claim
in it (filed / denied / dismissed; reopened clears them) wins over the status the copy shows, and marking a
claim twice before a rebuild is still checked. Payments and filing windows come from the copy.

Case ids are Amazon's Seller Central case ids: digits only (CASE_ID_DIGITS long), surrounding whitespace
stripped; that is how the reimbursements report's case-id column spells them, which settles filed claims."""

from __future__ import annotations

import difflib
import fcntl
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from ..settings import Settings
from .log import (
    CLAIMS_MART,
    REGISTERED_STATUSES,
    Action,
    actions_path,
    append_action,
    ensure_claim_files,
    mart_rows,
    read_actions,
    snapshot_of,
)

CASE_ID = re.compile(r"\d{5,20}")
CASE_ID_DIGITS = "5 to 20"
PAID = ("reimbursed", "resolved_by_amazon")  # Amazon paid in full: nothing left to file, deny or dismiss
ACTION_FLAGS = {"filed": "--filed", "denied": "--denied", "dismissed": "--dismissed", "reopened": "--reopen"}
HOW_TO_MARK = "--filed --case-id N, --denied, --dismissed --reason TEXT, --note TEXT or --reopen"


class RefusedAction(ValueError):
    """An action that contradicts the claim or the command line: nothing was written."""


class NoWarehouse(RuntimeError):
    """No published warehouse (or no claims mart in it) to read claims from yet."""


def date_status(claim: dict[str, object], as_of: date) -> str:
    """waiting / claimable / expired on `as_of` by the claim's filing window (no window: claimable)."""
    eligible, deadline = claim.get("eligible_from_date"), claim.get("deadline_date")
    if isinstance(eligible, date) and as_of < eligible:
        return "waiting"
    if isinstance(deadline, date) and as_of > deadline:
        return "expired"
    return "claimable"


def decisive(actions: list[Action]) -> Action | None:
    """The latest non-note action, or None when there is none or it is a reopening."""
    latest = next((a for a in reversed(actions) if a.action != "note"), None)
    return None if latest is None or latest.action == "reopened" else latest


def overlay(claim: dict[str, object], actions: list[Action], as_of: date) -> dict[str, object]:
    """The claim with its status on `as_of` and the case id it is filed under (`case_id`, or None)."""
    last, status = decisive(actions), claim["status"]
    if last is not None and last.action in ("denied", "dismissed"):
        status = last.action
    elif last is not None:  # filed: a payment the build matched to it may have settled it
        status = status if status in ("reimbursed", "partially_reimbursed") else "filed"
    elif status in REGISTERED_STATUSES or status in ("filed", "denied", "dismissed"):  # or reopened since
        status = date_status(claim, as_of)
    return {**claim, "status": status, "case_id": last.case_id if last is not None else None}


def current_claims(
    settings: Settings, claim_ids: list[str] | None = None, *, warehouse: Path | None = None
) -> list[dict[str, object]]:
    """The mart's claims (all, or these ids), each overlaid with the actions log, in claim id order. The mart
    is the published copy's unless `warehouse` says otherwise (a pipeline asset reads the one it built)."""
    path = warehouse or settings.published_warehouse_path
    if not path.is_file():
        raise NoWarehouse(f"no published warehouse at {path}: run `fbaudit run` first")
    try:
        rows = (mart_rows(path, "claim_id in (select unnest(?))", [claim_ids]) if claim_ids is not None
                else mart_rows(path))
    except duckdb.CatalogException:
        raise NoWarehouse(f"{path} has no {CLAIMS_MART}: run `fbaudit run` first") from None
    by_claim: dict[str, list[Action]] = {}
    for action in read_actions(settings):
        by_claim.setdefault(action.claim_id, []).append(action)
    return [overlay(row, by_claim.get(str(row["claim_id"]), []), settings.as_of) for row in rows]


def find_claim(settings: Settings, claim_id: str) -> dict[str, object]:
    """One claim by its exact id; an unknown id is refused, naming the ids it may have meant."""
    found = current_claims(settings, [claim_id])
    if found:
        return found[0]
    with duckdb.connect(str(settings.published_warehouse_path), read_only=True) as con:
        known = [r[0] for r in con.execute(f"select claim_id from {CLAIMS_MART}").fetchall()]
    typed = claim_id.upper()
    close = [k for k in known if typed and k.upper().startswith(typed)][:5]
    close = close or difflib.get_close_matches(claim_id, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `fbaudit claims list` shows the claim ids"
    raise RefusedAction(f"no claim {claim_id!r} in {settings.published_warehouse_path}{hint}")


def describe(claim: dict[str, object]) -> str:
    """How a refusal names a claim: id, type, reference and status."""
    reference = f" {claim.get('reference_id')}" if claim.get("reference_id") else ""
    filed = f" (case {claim['case_id']})" if claim.get("case_id") else ""
    return f"claim {claim['claim_id']} ({claim['claim_type']}{reference}) is {claim['status']}{filed}"


def refuse_contradiction(claim: dict[str, object], action: str, case_id: str | None, as_of: date) -> None:
    """Raise RefusedAction when `action` contradicts what is known of the claim on `as_of`."""
    status, filed_case = claim["status"], claim.get("case_id")
    eligible, deadline = claim.get("eligible_from_date"), claim.get("deadline_date")
    problem = None
    if action == "filed":
        if filed_case == case_id:
            problem = "already filed under that case id: nothing to record"
        elif filed_case:
            problem = ("a claim is filed under one case; if that case was denied, record --denied, then "
                       "--reopen and file again")
        elif status in PAID:
            problem = "Amazon has paid it: filing again would claim the money twice"
        elif status in ("denied", "dismissed"):
            problem = "record --reopen first if you filed it again"
        elif isinstance(deadline, date) and deadline < as_of:
            problem = (f"its deadline was {deadline}: Amazon no longer accepts a case for it "
                       "(keep a record with --note)")
        elif isinstance(eligible, date) and as_of < eligible:
            problem = (f"Amazon's window opens on {eligible} ({(eligible - as_of).days} days from {as_of}); "
                       "filing earlier puts the account at risk and Amazon may still pay it on its own")
    elif action in ("denied", "dismissed") and status in PAID:
        problem = f"Amazon has paid it, so it cannot be {action}"
    elif action in ("denied", "dismissed") and status == action:
        problem = f"already {action}: nothing to record"
    elif action == "denied" and not filed_case:
        problem = "only a filed case can be denied: record the filing first with --filed --case-id N"
    elif action == "reopened" and status not in ("denied", "dismissed"):
        problem = "only a denied or dismissed claim can be reopened"
    if problem:
        raise RefusedAction(f"refused: {describe(claim)}; {problem}. Nothing was recorded.")


def clean(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    if not text.strip():
        raise RefusedAction(f"{option} needs some text")
    return text.strip()


@contextmanager
def locked_log(settings: Settings) -> Iterator[None]:
    """Hold the actions log exclusively: two marks of one claim are checked one after the other."""
    ensure_claim_files(settings)
    with actions_path(settings).open("rb") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        yield


def mark(
    settings: Settings,
    claim_id: str,
    *,
    filed: bool = False,
    case_id: str | None = None,
    denied: bool = False,
    dismissed: bool = False,
    reason: str | None = None,
    note: str | None = None,
    reopen: bool = False,
) -> Action:
    """Validate one action on a claim and append it to the actions log; RefusedAction writes nothing."""
    claim_id = claim_id.strip()
    case_id, reason, note = clean(case_id, "--case-id"), clean(reason, "--reason"), clean(note, "--note")
    chosen = [name for name, on in (("filed", filed), ("denied", denied), ("dismissed", dismissed),
                                    ("reopened", reopen)) if on]
    if len(chosen) > 1:
        flags = " and ".join(ACTION_FLAGS[name] for name in chosen)
        raise RefusedAction(f"refused: {claim_id} can be marked one way at a time, not {flags}")
    if not chosen and note is None:
        raise RefusedAction(f"refused: say what to record for {claim_id}: {HOW_TO_MARK}")
    action = chosen[0] if chosen else "note"
    if case_id is not None and action != "filed":
        raise RefusedAction(f"refused: --case-id goes with --filed (claim {claim_id})")
    if reason is not None and action != "dismissed":
        raise RefusedAction(f"refused: --reason goes with --dismissed (claim {claim_id})")
    if action == "filed" and (case_id is None or not CASE_ID.fullmatch(case_id)):
        given = "no --case-id" if case_id is None else f"case id {case_id!r}"
        raise RefusedAction(f"refused: filing {claim_id} needs Amazon's case id, {CASE_ID_DIGITS} digits "
                            f"like 12345678901 (--case-id N); got {given}")
    if action == "dismissed" and reason is None:
        raise RefusedAction(f"refused: dismissing {claim_id} needs --reason TEXT (why it is not worth "
                            "filing)")
    with locked_log(settings):
        claim = find_claim(settings, claim_id)
        refuse_contradiction(claim, action, case_id, settings.as_of)
        record = Action(
            action_id=uuid.uuid4().hex,
            recorded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            action=action,
            claim_id=claim_id,
            case_id=case_id,
            reason=reason,
            note=note,
            **snapshot_of(claim),
        )
        append_action(settings, record)
    return record
