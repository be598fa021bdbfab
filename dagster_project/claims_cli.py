"""`fbaudit claims list|show|export|mark`: work the claim queue from the published warehouse and the actions
log. Refusals and bad input exit 2 with a message on stderr; nothing is written then."""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ingestion.catalog import marketplace
from ingestion.claims import CLAIM_TYPES
from ingestion.queue.actions import (
    NoWarehouse,
    RefusedAction,
    current_claims,
    find_claim,
    mark,
)
from ingestion.queue.log import actions_path, read_actions
from ingestion.queue.packets import export_packets
from ingestion.settings import Settings

STATUSES = ("waiting", "claimable", "filed", "reimbursed", "partially_reimbursed", "denied", "dismissed",
            "expired", "resolved_by_amazon")
TEXT_COLUMNS = ("evidence", "case_text")  # shown last, as blocks


def add_claims_parser(commands: argparse._SubParsersAction) -> None:
    from .cli import marketplace_code, positive_int  # late: cli.py imports this module

    claims = commands.add_parser("claims", help="work the claim queue: list, show, export packets, mark")
    actions = claims.add_subparsers(dest="claims_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="the claims, soonest deadline first, with totals per currency")
    listing.add_argument("--status", nargs="+", action="extend", choices=STATUSES, metavar="S",
                         help=f"only these statuses: {', '.join(STATUSES)}")
    listing.add_argument("--type", nargs="+", action="extend", choices=CLAIM_TYPES, dest="types", metavar="T",
                         help="only these claim types (inbound_shortage, warehouse_lost ...)")
    listing.add_argument("--seller", metavar="ID", help="only this seller id")
    listing.add_argument("--marketplace", type=marketplace_code, metavar="CODE", help="only this marketplace")
    listing.add_argument("--due-within", type=positive_int, metavar="DAYS",
                         help="only claims whose deadline falls within the next DAYS days")
    listing.add_argument("--format", choices=("table", "csv"), default="table")

    show = actions.add_parser("show", help="one claim: every column, its evidence, case text and actions")
    show.add_argument("claim_id", metavar="CLAIM_ID")

    export = actions.add_parser("export", help="write case packets under $FBAUDIT_DATA_DIR/claims/")
    export.add_argument("--claim", action="append", dest="claim_ids", metavar="ID",
                        help="only this claim (repeatable; default: every claimable claim)")

    marking = actions.add_parser("mark", help="record what you did with a claim (append-only)")
    marking.add_argument("claim_id", metavar="CLAIM_ID")
    what = marking.add_mutually_exclusive_group()
    what.add_argument("--filed", action="store_true", help="you filed a case for it (needs --case-id)")
    what.add_argument("--denied", action="store_true", help="Amazon denied its case")
    what.add_argument("--dismissed", action="store_true", help="you decided not to file it (needs --reason)")
    what.add_argument("--reopen", action="store_true", help="undo --denied or --dismissed")
    marking.add_argument("--case-id", metavar="N", help="Amazon's case id (digits)")
    marking.add_argument("--reason", metavar="TEXT", help="why it is dismissed")
    marking.add_argument("--note", metavar="TEXT", help="a note, alone or with the action")


def run_claims(settings: Settings, args: argparse.Namespace) -> int:
    command = {"list": list_claims, "show": show_claim, "export": export_claims, "mark": mark_claim}
    try:
        return command[args.claims_command](settings, args)
    except RefusedAction as error:
        print(f"fbaudit claims {args.claims_command}: {error}", file=sys.stderr)
        return 2
    except (NoWarehouse, ValueError) as error:  # ValueError: an unreadable line in a claims file
        print(f"fbaudit claims {args.claims_command}: {error}", file=sys.stderr)
        return 1


def marketplace_label(marketplace_id: object) -> str:
    try:
        return marketplace(str(marketplace_id)).code
    except ValueError:
        return str(marketplace_id)


def days_left(claim: dict[str, object], as_of: date) -> int | None:
    deadline = claim.get("deadline_date")
    return (deadline - as_of).days if isinstance(deadline, date) else None


def selected(settings: Settings, args: argparse.Namespace) -> list[dict[str, object]]:
    """The claims matching the filters, by deadline (none last) then amount, largest first."""
    marketplace_id = marketplace(args.marketplace).marketplace_id if args.marketplace else None
    horizon = settings.as_of + timedelta(days=args.due_within) if args.due_within else None
    claims = [
        c for c in current_claims(settings)
        if (not args.status or c["status"] in args.status)
        and (not args.types or c["claim_type"] in args.types)
        and (not args.seller or c["seller_id"] == args.seller)
        and (not marketplace_id or c["marketplace_id"] == marketplace_id)
        and (not horizon or (isinstance(c["deadline_date"], date)
                             and settings.as_of <= c["deadline_date"] <= horizon))
    ]
    return sorted(claims, key=lambda c: (c["deadline_date"] is None, c["deadline_date"] or date.max,
                                         -(c["claim_amount"] or Decimal(0))))


LIST_COLUMNS = ("claim id", "type", "status", "seller", "mkt", "reference", "amount", "cur", "deadline",
                "days left")
CSV_COLUMNS = ("claim_id", "claim_type", "status", "seller_id", "marketplace", "reference_id", "claim_amount",
               "currency_code", "deadline_date", "days_left")
AMOUNT = LIST_COLUMNS.index("amount")


def list_row(claim: dict[str, object], as_of: date) -> list[str]:
    """The row's values as text; the amount plain ("1234.50"), the table adds thousands separators."""
    left = days_left(claim, as_of)
    values = (claim["claim_id"], claim["claim_type"], claim["status"], claim["seller_id"],
              marketplace_label(claim["marketplace_id"]), claim["reference_id"], claim["claim_amount"],
              claim["currency_code"], claim["deadline_date"], left)
    return ["" if v is None else str(v) for v in values]


def list_claims(settings: Settings, args: argparse.Namespace) -> int:
    claims = selected(settings, args)
    rows = [list_row(c, settings.as_of) for c in claims]
    if args.format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(CSV_COLUMNS)
        out.writerows(rows)
        return 0
    if not rows:
        print("no claims match")
        return 0
    for row in rows:
        row[AMOUNT] = f"{Decimal(row[AMOUNT]):,.2f}" if row[AMOUNT] else ""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(LIST_COLUMNS)]
    right = {AMOUNT, LIST_COLUMNS.index("days left")}
    for row in (LIST_COLUMNS, *rows):
        print("  ".join(v.rjust(w) if i in right else v.ljust(w)
                        for i, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    totals: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for claim in claims:
        total = totals[str(claim["currency_code"] or "")]
        total[0] += 1
        total[1] += claim["claim_amount"] or Decimal(0)
    for currency, (count, amount) in sorted(totals.items()):
        print(f"total {currency}: {amount:,.2f} in {count} claim{'s' if count != 1 else ''}")
    return 0


def show_claim(settings: Settings, args: argparse.Namespace) -> int:
    claim = find_claim(settings, args.claim_id.strip())
    claim["marketplace_id"] = f"{claim['marketplace_id']} ({marketplace_label(claim['marketplace_id'])})"
    left = days_left(claim, settings.as_of)
    if left is not None:
        claim["deadline_date"] = f"{claim['deadline_date']} ({left} days left on {settings.as_of})"
    fields = [name for name in claim if name not in TEXT_COLUMNS]
    width = max(len(name) for name in fields) + 2
    for name in fields:
        print(f"{name + ':':<{width}}{'' if claim[name] is None else claim[name]}")
    for name in TEXT_COLUMNS:
        print(f"\n{name}:\n{claim.get(name) or ''}")
    history = [a for a in read_actions(settings) if a.claim_id == claim["claim_id"]]
    print(f"\nactions ({actions_path(settings)}):" if history else "\nactions: none recorded")
    for a in history:
        details = [f"case {a.case_id}" if a.case_id else "", a.reason or "",
                   f"note: {a.note}" if a.note else ""]
        print(f"  {a.recorded_at}  {a.action:<9} " + "; ".join(d for d in details if d))
    return 0


def export_claims(settings: Settings, args: argparse.Namespace) -> int:
    for claim_id in args.claim_ids or []:
        find_claim(settings, claim_id.strip())  # an unknown id is refused before anything is written
    claim_ids = [c.strip() for c in args.claim_ids] if args.claim_ids else None
    try:
        paths = export_packets(settings, claim_ids=claim_ids, warehouse=settings.published_warehouse_path)
    except ValueError as error:  # a claim not open for filing today
        raise RefusedAction(str(error)) from None
    for path in paths:
        print(path)
    packets = sum(path.is_dir() for path in paths)
    print(f"{packets} case packet(s) and {len(paths) - packets} batch file(s) written under "
          f"{settings.claims_dir}")
    return 0


def mark_claim(settings: Settings, args: argparse.Namespace) -> int:
    action = mark(settings, args.claim_id, filed=args.filed, case_id=args.case_id, denied=args.denied,
                  dismissed=args.dismissed, reason=args.reason, note=args.note, reopen=args.reopen)
    case = f" (case {action.case_id})" if action.case_id else ""
    print(f"recorded: {action.claim_id} {action.action}{case} in {actions_path(settings)}; `claims list` "
          f"shows it now, the marts and dashboards after the next `fbaudit run`")
    return 0
