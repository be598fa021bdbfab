"""Case packets and the day's filing batch, written under `$FBAUDIT_DATA_DIR/claims/`:

    packets/<seller_id>/<CODE>/<claim_id>/case.txt        the case text, amount, ids and filing window
                                          evidence.csv     the staging rows behind the claim
                                          checklist.md     the documents Amazon asks for, by claim type
    batches/<as_of>/<seller_id>-<CODE>.csv                 today's claims to file, in filing order
    batches/<as_of>/review-<seller_id>-<CODE>.csv          claims a person must look at first (never batched)

A claim is offered when it is claimable (or partially reimbursed and not filed) with money left to claim, its
window is open on `as_of` (never before eligible_from_date, never after the deadline) and the actions log
does not say it was filed, denied or dismissed since the build. The batch follows the account pace:
FBAUDIT_CLAIMS_PER_DAY (default 10) per seller account and day across its marketplaces, minus the claims the
actions log says were filed on `as_of`; ordered by deadline, then amount (largest first).

Every file is written whole to a temporary name and renamed (0600, folders 0700); the same inputs write the
same bytes, so a re-run on the same day rewrites the same files."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import duckdb

from ..catalog import marketplace
from ..settings import Settings
from .actions import current_claims
from .log import Action, read_actions

PACE_ENV = "FBAUDIT_CLAIMS_PER_DAY"
DEFAULT_PACE = 10
STAGING = "staging"
OFFERED_STATUSES = ("claimable", "partially_reimbursed")
Claim = dict[str, object]  # a mart row, overlaid with the actions log (actions.overlay)


class EvidenceSource(NamedTuple):
    relation: str  # a staging model
    key: str  # its column holding the claim's reference_id
    product: str | None  # "fnsku" or "sku": also match the claim's own (when the claim has one)
    date: str | None = None  # the columns shown as date, quantity and amount of each evidence row
    quantity: str | None = None
    amount: str | None = None
    details: tuple[str, ...] = ()  # more columns, shown as name=value


# reference_type -> the staging rows that prove a claim about it (no personal data: the lake holds none).
EVIDENCE: dict[str, tuple[EvidenceSource, ...]] = {
    "ledger_reference_id": (
        EvidenceSource("stg_lake__ledger_detail", "reference_id", "fnsku", "event_date", "quantity", None,
                       ("event_type", "reason_code", "fulfillment_center", "disposition", "reconciled_quantity",
                        "unreconciled_quantity")),
    ),
    "shipment_id": (
        EvidenceSource("stg_lake__inbound_shipments", "shipment_id", None, None, None, None,
                       ("shipment_name", "shipment_status", "destination_fulfillment_center_id")),
        EvidenceSource("stg_lake__inbound_shipment_items", "shipment_id", "fnsku", None, "quantity_shipped", None,
                       ("quantity_shipped", "quantity_received", "quantity_in_case")),
        EvidenceSource("stg_lake__ledger_detail", "reference_id", "fnsku", "event_date", "quantity", None,
                       ("event_type", "reason_code", "fulfillment_center", "disposition")),
    ),
    "order_id": (
        EvidenceSource("stg_lake__customer_returns", "order_id", "fnsku", "returned_date", "quantity", None,
                       ("detailed_disposition", "return_reason_code", "status", "license_plate_number",
                        "fulfillment_center_id")),
        EvidenceSource("stg_lake__replacements", "original_amazon_order_id", "sku", "shipped_date", "quantity",
                       None, ("replacement_amazon_order_id", "replacement_reason_code")),
        EvidenceSource("stg_lake__reimbursements", "amazon_order_id", "fnsku", "approved_date",
                       "quantity_reimbursed_total", "total_amount", ("reimbursement_id", "case_id", "reason_code")),
        EvidenceSource("stg_lake__settlements", "order_id", "sku", "posted_date", "quantity_purchased", "amount",
                       ("transaction_type", "amount_type", "amount_description", "fulfillment_id")),
        EvidenceSource("stg_lake__financial_events", "amazon_order_id", "sku", "posted_date", "quantity",
                       "amount", ("event_type", "amount_category", "amount_type")),
    ),
    "reimbursement_id": (
        EvidenceSource("stg_lake__reimbursements", "reimbursement_id", "fnsku", "approved_date",
                       "quantity_reimbursed_total", "total_amount",
                       ("reason_code", "case_id", "amazon_order_id", "unit_amount", "original_reimbursement_id",
                        "original_reimbursement_type")),
    ),
    "case_id": (
        EvidenceSource("stg_lake__reimbursements", "case_id", "fnsku", "approved_date",
                       "quantity_reimbursed_total", "total_amount", ("reimbursement_id", "reason_code",
                                                                     "unit_amount")),
    ),
    "removal_order_id": (
        EvidenceSource("stg_lake__removal_orders", "removal_order_id", "fnsku", "requested_date",
                       "requested_quantity", "removal_fee_amount",
                       ("order_type", "order_status", "cancelled_quantity", "disposed_quantity", "shipped_quantity",
                        "in_process_quantity")),
        EvidenceSource("stg_lake__removal_shipments", "removal_order_id", "fnsku", "shipped_date",
                       "shipped_quantity", None, ("carrier", "tracking_number", "disposition")),
    ),
    "storage_month": (
        EvidenceSource("stg_lake__storage_fees", "month_of_charge", "fnsku", None, "average_quantity_on_hand",
                       "estimated_monthly_storage_fee",
                       ("fulfillment_center", "product_size_tier", "longest_side", "median_side", "shortest_side",
                        "measurement_units", "item_volume", "volume_units", "storage_rate")),
    ),
}
EVIDENCE_COLUMNS = ("report", "document_id", "line_number", "date", "sku", "fnsku", "quantity", "amount",
                    "currency_code", "details")


class Checklist(NamedTuple):
    source: str  # where in /work/shared/reference/amazon.md (§1.2 Catalogue) the list comes from
    items: tuple[str, ...]


INBOUND_PROOF = (
    "The Amazon shipment ID (FBA…); the shipment must be Closed and shown as eligible on its Reconcile tab",
    "Proof of ownership: a supplier invoice with purchase date, product names matching the units and "
    "quantities (manufacturers: a signed packing slip with date, shipment/PO ID, products, quantity and "
    "signature or stamp); pro-forma invoices are not accepted",
    "Proof of delivery: carrier tracking for small parcels (SPD); for LTL/FTL, carrier documents showing the "
    "box count and total weight",
    "Attach PDF, JPG, PNG or TIFF only (no Excel or Word files)",
)
WAREHOUSE_PROOF = (
    "FNSKU, ledger Reference ID / transaction item ID, date, fulfilment centre and quantity (evidence.csv)",
    "The claim as listed in the IDR portal's \"Eligible for claim\" tab",
    "A cost invoice if you dispute the amount Amazon pays",
)
RETURN_PROOF = (
    "The order ID (from the IDR portal's \"Eligible for claim\" or \"Resolved\" tab)",
    "The refund or replacement date: the window opens 60 days after it (US; EU 45) and closes at 120 (EU 105)",
)
DIMENSION_PROOF = (
    "Weight and dimensions of the product in its original packaging",
    "Photos of a unit with the same FNSKU on a scale and against a ruler or tape measure",
    "The transactions charged (evidence.csv); one request per fee charge, within 90 days of the charge",
    "The ASIN must have units available in a fulfilment centre",
)

# claim_type -> the documents to gather before filing (every type of ingestion/claims.py CLAIM_TYPES).
CHECKLISTS: dict[str, Checklist] = {
    "inbound_shortage": Checklist("C1 Inbound shipment received short", INBOUND_PROOF),
    "inbound_damaged": Checklist("C1/C2 Inbound damaged (partnered carrier)", (
        *INBOUND_PROOF, "Confirm the carrier was Amazon-partnered: damage by your own carrier is a claim against "
                        "that carrier")),
    "warehouse_lost": Checklist("C3 Lost in warehouse", WAREHOUSE_PROOF),
    "warehouse_damaged": Checklist("C4 Damaged in warehouse", (
        *WAREHOUSE_PROOF, "The transaction item ID the damage eligibility tool asks for")),
    "disposed_without_order": Checklist("C5 Disposed without authorization (review only)", (
        "Check that no removal order, automatic unfulfillable removal setting, expiry, recall or hazmat rule "
        "explains the disposal",
        "FNSKU, ledger Reference ID, date and quantity of the disposal (evidence.csv)",
        "Proof of ownership (supplier invoice) for the disposed units")),
    "refund_not_returned": Checklist("C6 Customer refunded, item never returned", (
        *RETURN_PROOF, "Confirm Amazon issued the refund (refunds you issued yourself are not reimbursed)")),
    "replacement_not_returned": Checklist("C7 Replacement shipped, original never returned", (
        *RETURN_PROOF, "The replacement order ID, its shipment date and replacement reason code")),
    "return_not_restocked": Checklist("C8a Returned but not restocked", (
        "The order ID and the return date",
        "The return's LPN (license plate number) and detailed disposition (evidence.csv)")),
    "return_amazon_damaged": Checklist("C8b/C8d Return damaged by Amazon or its carrier", (
        "The order ID and the return date",
        "The return's LPN (license plate number) and detailed disposition (evidence.csv)",
        "If a wrong item or an empty box came back: photos showing the difference and of the LPN label, and "
        "proof the unit was yours (invoice or serial number)")),
    "reimbursement_short": Checklist("C9 Reimbursed less than owed", (
        "The reimbursement ID (or the case ID it was paid under)",
        "Your manufacturing cost on file in \"Manage Your Manufacturing Cost\", with a supplier invoice",
        "For refunds: the refunded principal of the order and SKU; for quantities: the unreconciled units")),
    "reimbursement_reversal": Checklist("C11 Reimbursement reversed incorrectly", (
        "The original and the reversal reimbursement IDs",
        "Ledger extracts showing no units found after the original approval (evidence.csv)")),
    "removal_lost": Checklist("C10 Removal order lost, short or damaged", (
        "The removal order ID",
        "The shipment ID and an active tracking ID or proof of delivery",
        "ASINs/FNSKUs and quantities, and the LPN if available",
        "Photos of the units, the product packaging and the shipping box")),
    "fulfillment_fee_overcharge": Checklist("C12 Fulfillment-fee overcharge", DIMENSION_PROOF),
    "storage_fee_overcharge": Checklist("C13 Storage-fee overcharge (dimension policy)", (
        *DIMENSION_PROOF[:2], "The storage fee report rows of the month charged (evidence.csv)")),
    "referral_fee_overcharge": Checklist("C14 Referral-fee overcharge", (
        "Transaction dates, the transactions and the fee amounts charged (evidence.csv)",
        "The fee you believe is correct, with your rationale and the category guidelines",
        "File within 90 calendar days of the charge")),
    "refund_fee_error": Checklist("C15 Refund administration fee / commission errors", (
        "The order ID and the refund transaction (evidence.csv)",
        "The original Commission, the Commission credited back and the RefundCommission kept",
        "The rule: Amazon keeps the lesser of $5 (EUR/GBP 5) or 20% of the referral fee on a full refund")),
}


@dataclass(frozen=True)
class Batch:
    path: Path
    seller_id: str
    code: str
    claims: list[Claim]
    review: bool  # the review list (a person looks first), not a filing batch


def claim_pace() -> int:
    text = os.environ.get(PACE_ENV, "").strip()
    if not text:
        return DEFAULT_PACE
    if not text.isdigit():
        raise ValueError(f"{PACE_ENV} must be a whole number of claims per seller account and day, not {text!r}")
    return int(text)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (temporary file + rename), 0600, its folders 0700."""
    make_private_dirs(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8",
                       newline="") as out:
            out.write(text)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def make_private_dirs(folder: Path) -> None:
    for missing in reversed([p for p in (folder, *folder.parents) if not p.exists()]):
        missing.mkdir(mode=0o700, exist_ok=True)
        os.chmod(missing, 0o700)  # whatever the umask


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[text(v) for v in row] for row in rows])
    return out.getvalue()


def amount_to_claim(claim: Claim) -> Decimal:
    return Decimal(claim["remaining_amount"])  # type: ignore[arg-type]


def offered(claim: Claim, as_of: date) -> bool:
    """Whether the claim may be filed on `as_of` (see the module docstring)."""
    eligible, deadline = claim["eligible_from_date"], claim["deadline_date"]
    return (
        claim["status"] in OFFERED_STATUSES and claim.get("case_id") is None and amount_to_claim(claim) > 0
        and (eligible is None or eligible <= as_of) and (deadline is None or as_of <= deadline)  # type: ignore[operator]
    )


def packet_dir(settings: Settings, claim: Claim) -> Path:
    code = marketplace(str(claim["marketplace_id"])).code
    return settings.claims_dir / "packets" / str(claim["seller_id"]) / code / str(claim["claim_id"])


def evidence_rows(con: duckdb.DuckDBPyConnection, claim: Claim) -> list[tuple[object, ...]]:
    """The staging rows behind the claim, in EVIDENCE_COLUMNS order."""
    rows: list[tuple[object, ...]] = []
    for source in EVIDENCE.get(str(claim["reference_type"]), ()):
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [STAGING, source.relation]).fetchall()}
        if not columns:
            continue  # the warehouse has no such model (yet): nothing to show from it
        details = " || '; ' || ".join(
            f"coalesce('{c}=' || nullif(cast({c} as varchar), ''), '')" for c in source.details) or "''"
        where = "seller_id = ? and marketplace_id = ? and " + source.key + " = ?"
        params = [claim["seller_id"], claim["marketplace_id"], claim["reference_id"]]
        if source.product and claim.get(source.product):
            where += f" and {source.product} = ?"
            params.append(claim[source.product])
        select = ", ".join([
            f"'{source.relation.removeprefix('stg_lake__')}'", "_document_id", "_line_number",
            *(c or "null" for c in (source.date, "sku" if "sku" in columns else None,
                                     "fnsku" if "fnsku" in columns else None, source.quantity, source.amount,
                                     "currency_code" if "currency_code" in columns else None)),
            f"regexp_replace(trim({details}, '; '), '(; )+', '; ', 'g')",
        ])
        rows += con.execute(
            f"select {select} from {STAGING}.{source.relation} where {where} order by 4, 2, 3", params
        ).fetchall()
    return rows


def case_text(claim: Claim) -> str:
    code = marketplace(str(claim["marketplace_id"])).code
    amount, currency = amount_to_claim(claim), claim["currency_code"]
    facts = [
        ("Claim", claim["claim_id"]), ("Type", claim["claim_type"]),
        ("Seller", claim["seller_id"]), ("Marketplace", f"{code} ({claim['marketplace_id']})"),
        ("Reference", f"{claim['reference_type']} {claim['reference_id']}"),
        ("SKU / FNSKU / ASIN", " / ".join(text(claim[c]) or "-" for c in ("sku", "fnsku", "asin"))),
        ("Quantity", claim["quantity"]),
        ("Amount to claim", f"{text(amount)} {currency}"),
        ("Claim amount / paid so far", f"{text(claim['claim_amount'])} / {text(claim['reimbursed_amount'])} "
                                       f"{currency}"),
        ("Occurred", claim["occurred_date"]), ("File from", claim["eligible_from_date"]),
        ("Deadline", claim["deadline_date"]), ("Confidence", claim["confidence"]),
    ]
    lines = [f"{label}: {text(value) or '-'}" for label, value in facts]
    return "\n".join([
        "CASE TEXT (paste into the Seller Central case)", "", text(claim["case_text"]), "",
        "FACTS", *lines, "", "EVIDENCE", text(claim["evidence"]), "",
    ])


def checklist_text(claim: Claim) -> str:
    checklist = CHECKLISTS[str(claim["claim_type"])]
    return "\n".join([
        f"# Checklist: {claim['claim_type']} — {claim['claim_id']}", "",
        f"What Amazon asks for (reference: amazon.md §1.2 {checklist.source}):", "",
        *(f"- [ ] {item}" for item in checklist.items), "",
    ])


def write_packet(settings: Settings, con: duckdb.DuckDBPyConnection, claim: Claim) -> Path:
    folder = packet_dir(settings, claim)
    write_private(folder / "case.txt", case_text(claim))
    write_private(folder / "evidence.csv", to_csv(EVIDENCE_COLUMNS, evidence_rows(con, claim)))
    write_private(folder / "checklist.md", checklist_text(claim))
    return folder


def filing_order(claim: Claim) -> tuple[object, ...]:
    return (claim["deadline_date"] or date.max, -amount_to_claim(claim), claim["claim_id"])


def plan_batches(settings: Settings, claims: list[Claim], actions: list[Action]) -> list[Batch]:
    """The day's batch per seller and marketplace within the account pace, and the review lists apart."""
    pace = claim_pace()
    filed_today = Counter(
        a.seller_id for a in {a.claim_id: a for a in actions
                              if a.action == "filed" and a.recorded_at[:10] == settings.as_of.isoformat()}.values()
    )
    day = settings.claims_dir / "batches" / settings.as_of.isoformat()
    batches: dict[tuple[str, str, bool], list[Claim]] = {}
    taken: Counter[str] = Counter()
    for claim in sorted(claims, key=filing_order):
        seller, code = str(claim["seller_id"]), marketplace(str(claim["marketplace_id"])).code
        review = claim["confidence"] == "review"
        chosen = batches.setdefault((seller, code, review), [])  # a batch file even when the pace is spent
        if review:
            chosen.append(claim)
        elif taken[seller] < pace - filed_today[seller]:
            chosen.append(claim)
            taken[seller] += 1
    return [
        Batch(day / f"{'review-' if review else ''}{seller}-{code}.csv", seller, code, chosen, review)
        for (seller, code, review), chosen in sorted(batches.items())
    ]


BATCH_COLUMNS = ("claim_id", "seller_id", "marketplace_id", "claim_type", "reference_type", "reference_id",
                 "sku", "fnsku", "asin", "quantity", "amount_to_claim", "currency_code", "eligible_from_date",
                 "deadline_date", "confidence", "packet", "case_text")


def write_batches(settings: Settings, batches: list[Batch]) -> None:
    """Write each batch file, and remove any other file an earlier run wrote in the same day's folder."""
    for batch in batches:
        rows = []
        for claim in batch.claims:
            row = {**claim, "amount_to_claim": amount_to_claim(claim),
                   "packet": packet_dir(settings, claim).relative_to(settings.claims_dir)}
            rows.append(tuple(row[name] for name in BATCH_COLUMNS))
        write_private(batch.path, to_csv(BATCH_COLUMNS, rows))
    day = settings.claims_dir / "batches" / settings.as_of.isoformat()
    for stale in set(day.glob("*.csv")) - {b.path for b in batches}:
        stale.unlink()


def export_day(settings: Settings, *, warehouse: Path | None = None) -> tuple[list[Path], list[Batch]]:
    """Packets for every offered claim and the day's batches; returns the packet folders and the batches."""
    actions = read_actions(settings)
    warehouse = warehouse or settings.warehouse_path
    claims = [c for c in current_claims(settings, warehouse=warehouse) if offered(c, settings.as_of)]
    batches = plan_batches(settings, claims, actions)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        folders = [write_packet(settings, con, claim) for claim in claims]
    write_batches(settings, batches)
    return folders, batches


def export_packets(settings: Settings, claim_ids: list[str] | None = None, *,
                   warehouse: Path | None = None) -> list[Path]:
    """Packets for these claims (each must be offered today, else ValueError and nothing is written), or for
    every offered claim plus the day's batch files. Returns the packet folders (then the batch files)."""
    if claim_ids is None:
        folders, batches = export_day(settings, warehouse=warehouse)
        return folders + [b.path for b in batches]
    warehouse = warehouse or settings.warehouse_path
    by_id = {str(c["claim_id"]): c for c in current_claims(settings, warehouse=warehouse)}
    problems = [f"no claim {i!r} in {warehouse}" if i not in by_id else
                f"claim {i} is {by_id[i]['status']} (window {text(by_id[i]['eligible_from_date']) or '-'} to "
                f"{text(by_id[i]['deadline_date']) or '-'}, {text(by_id[i]['remaining_amount'])} left to claim)"
                for i in claim_ids if i not in by_id or not offered(by_id[i], settings.as_of)]
    if problems:
        raise ValueError("no packets written, as only claims open for filing today get one: "
                         + "; ".join(problems))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [write_packet(settings, con, by_id[i]) for i in dict.fromkeys(claim_ids)]
