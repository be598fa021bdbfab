"""The deadline digest: money whose filing window closes within DUE_DAYS of `as_of`, and the data gaps that
may hide claims, written to `$FBAUDIT_DATA_DIR/claims/digests/<as_of>.md` and sent to a webhook and/or by
e-mail when configured.

Due claims are those a person can still act on and would lose by waiting: claimable, or partially reimbursed
and not filed, with money left (packets.offered). A filed claim that Amazon has not paid yet is not a deadline
risk: the case was opened in time. Waiting, expired and closed claims are not listed.

Configuration (environment): FBAUDIT_DIGEST_WEBHOOK_URL (a JSON POST: `text` holds the Markdown, so Slack-
and Teams-style incoming webhooks show it as is), FBAUDIT_SMTP_HOST, FBAUDIT_SMTP_PORT (default 25),
FBAUDIT_SMTP_FROM, FBAUDIT_SMTP_TO (comma-separated), FBAUDIT_SMTP_USER and FBAUDIT_SMTP_PASSWORD (login),
FBAUDIT_SMTP_STARTTLS (1/0; default 1 when a login is configured). Neither the webhook URL (it often holds a
token) nor the password is ever logged or put in an error message."""

from __future__ import annotations

import json
import logging
import os
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import duckdb

from ..catalog import marketplace
from ..settings import Settings
from .actions import current_claims
from .packets import amount_to_claim, filing_order, offered, text, write_private

log = logging.getLogger(__name__)

DUE_DAYS = 7
GAPS_TABLE = "marts.fct_coverage_gaps"
TIMEOUT_SECONDS = 15
WEBHOOK_ENV = "FBAUDIT_DIGEST_WEBHOOK_URL"


@dataclass(frozen=True)
class DueClaim:
    claim_id: str
    seller_id: str
    code: str  # marketplace code
    claim_type: str
    reference_id: str
    deadline_date: date | None
    amount: Decimal  # left to claim
    currency_code: str
    confidence: str


@dataclass(frozen=True)
class Gap:
    seller_id: str
    code: str
    report: str
    gap_from_date: date
    gap_to_date: date
    days: int


@dataclass(frozen=True)
class Digest:
    as_of: date
    due: list[DueClaim] = field(default_factory=list)  # filing order: deadline, then amount
    gaps: list[Gap] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "text": render(self),
            "due": [{k: text(v) for k, v in vars(c).items()} for c in self.due],
            "gaps": [{k: text(v) for k, v in vars(g).items()} for g in self.gaps],
        }


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False


class DigestNotSent(RuntimeError):
    """At least one configured channel failed; the digest file is still where it was written."""


def build_digest(settings: Settings, warehouse: Path) -> Digest:
    """Due claims of the mart in `warehouse` (overlaid with the actions log) and its coverage gaps."""
    due_by = settings.as_of + timedelta(days=DUE_DAYS)
    claims = [c for c in current_claims(settings, warehouse=warehouse)
              if offered(c, settings.as_of) and c["deadline_date"] is not None and c["deadline_date"] <= due_by]
    due = [DueClaim(str(c["claim_id"]), str(c["seller_id"]), marketplace(str(c["marketplace_id"])).code,
                    str(c["claim_type"]), text(c["reference_id"]), c["deadline_date"], amount_to_claim(c),
                    str(c["currency_code"]), str(c["confidence"]))  # type: ignore[arg-type]
           for c in sorted(claims, key=filing_order)]
    return Digest(settings.as_of, due, coverage_gaps(warehouse))


def coverage_gaps(warehouse: Path) -> list[Gap]:
    """The gaps of marts.fct_coverage_gaps that would hide claims still open for filing (is_blocking_claims);
    none when the warehouse has no such table (yet)."""
    schema, table = GAPS_TABLE.split(".")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not con.execute("select count(*) from information_schema.tables where table_schema = ? and "
                           "table_name = ?", [schema, table]).fetchone()[0]:
            return []
        rows = con.execute(f"select seller_id, marketplace_id, report, gap_from_date, gap_to_date, days "
                           f"from {GAPS_TABLE} where is_blocking_claims order by all").fetchall()
    return [Gap(seller, marketplace(market).code, report, start, end, int(days))
            for seller, market, report, start, end, days in rows]


def money(totals: dict[str, Decimal]) -> str:
    return ", ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(totals.items())) or "nothing"


def render(digest: Digest) -> str:
    """The digest as short Markdown, in the seller's terms: money, deadlines, days left."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for claim in digest.due:
        totals[claim.currency_code] += claim.amount
    lines = [f"# fbaudit: claims due by {digest.as_of + timedelta(days=DUE_DAYS)} (as of {digest.as_of})", ""]
    if digest.due:
        lines += [f"**{len(digest.due)} claim(s) worth {money(totals)} must be filed within {DUE_DAYS} days** "
                  "or the money is lost.", ""]
        for c in digest.due:
            days = (c.deadline_date - digest.as_of).days if c.deadline_date else None
            left = "today" if days == 0 else f"in {days} day(s)"
            review = " (look before filing)" if c.confidence == "review" else ""
            lines.append(f"- {c.amount:,.2f} {c.currency_code}, deadline {c.deadline_date} ({left}): "
                         f"{c.claim_type} {c.reference_id}, {c.seller_id} {c.code}, `{c.claim_id}`{review}")
        lines += ["", "Packets and today's batch: `$FBAUDIT_DATA_DIR/claims/`; record filing with "
                      "`fbaudit claims mark CLAIM_ID --filed --case-id N`.", ""]
    else:
        lines += [f"No claim's deadline falls in the next {DUE_DAYS} days.", ""]
    if digest.gaps:
        lines += ["## Data gaps that may hide claims", ""]
        lines += [f"- {g.seller_id} {g.code}: {g.report} missing {g.gap_from_date} to {g.gap_to_date} "
                  f"({g.days} day(s))" for g in digest.gaps]
        lines.append("")
    return "\n".join(lines)


def digest_path(settings: Settings) -> Path:
    return settings.claims_dir / "digests" / f"{settings.as_of.isoformat()}.md"


def write_digest(settings: Settings, digest: Digest) -> Path:
    path = digest_path(settings)
    write_private(path, render(digest))
    return path


def smtp_from_env() -> SmtpConfig | None:
    """The SMTP settings of the environment; None when FBAUDIT_SMTP_HOST is not set."""
    env = {k: os.environ.get(f"FBAUDIT_SMTP_{k}", "").strip()
           for k in ("HOST", "PORT", "FROM", "TO", "USER", "PASSWORD", "STARTTLS")}
    if not env["HOST"]:
        return None
    missing = [f"FBAUDIT_SMTP_{k}" for k in ("FROM", "TO") if not env[k]]
    if missing:
        raise ValueError(f"FBAUDIT_SMTP_HOST is set but {' and '.join(missing)} is not: say who sends the "
                         "digest and to whom")
    if env["PORT"] and not env["PORT"].isdigit():
        raise ValueError(f"FBAUDIT_SMTP_PORT must be a port number, not {env['PORT']!r}")
    if env["STARTTLS"] not in ("", "0", "1"):
        raise ValueError(f"FBAUDIT_SMTP_STARTTLS must be 1 or 0, not {env['STARTTLS']!r}")
    return SmtpConfig(
        host=env["HOST"], port=int(env["PORT"] or 25), sender=env["FROM"],
        recipients=tuple(r.strip() for r in env["TO"].split(",") if r.strip()),
        user=env["USER"] or None, password=env["PASSWORD"] or None,
        starttls=env["STARTTLS"] == "1" if env["STARTTLS"] else bool(env["USER"]),
    )


def post_webhook(digest: Digest, url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or "?"  # the host only: the rest of a webhook URL is a secret
    request = urllib.request.Request(url, data=json.dumps(digest.as_json()).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DigestNotSent(f"the webhook at {host} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DigestNotSent(f"the webhook at {host} could not be reached: {reason}") from None
    log.info("digest for %s posted to the webhook at %s", digest.as_of, host)


def send_mail(digest: Digest, smtp: SmtpConfig) -> None:
    message = EmailMessage()
    message["Subject"] = f"fbaudit: {len(digest.due)} claim(s) due within {DUE_DAYS} days ({digest.as_of})"
    message["From"], message["To"] = smtp.sender, ", ".join(smtp.recipients)
    message.set_content(render(digest))
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise DigestNotSent(f"the SMTP server {smtp.host}:{smtp.port} refused or failed: "
                            f"{type(error).__name__}: {error}") from None
    log.info("digest for %s mailed via %s:%s to %s", digest.as_of, smtp.host, smtp.port, message["To"])


def send_digest(digest: Digest, *, webhook_url: str | None = None, smtp: SmtpConfig | None = None) -> list[str]:
    """Send to the webhook and by e-mail (arguments, else the environment); returns the channels used.
    Every configured channel is tried; DigestNotSent names each one that failed."""
    webhook_url = webhook_url or os.environ.get(WEBHOOK_ENV, "").strip() or None
    smtp = smtp or smtp_from_env()
    sent, failures = [], []
    if webhook_url:
        try:
            post_webhook(digest, webhook_url)
            sent.append("webhook")
        except DigestNotSent as error:
            failures.append(str(error))
    if smtp:
        try:
            send_mail(digest, smtp)
            sent.append("smtp")
        except DigestNotSent as error:
            failures.append(str(error))
    if failures:
        raise DigestNotSent("the digest was not sent: " + "; ".join(failures))
    return sent
