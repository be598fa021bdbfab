"""The deadline digest (ingestion/queue/digest.py): what it lists, the file, the webhook and SMTP sends."""

import base64
import json
import logging
import socket
import stat
import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest

from ingestion.queue.digest import (
    DigestNotSent,
    SmtpConfig,
    build_digest,
    send_digest,
    smtp_from_env,
    write_digest,
)
from ingestion.settings import Settings

from .conftest import AS_OF
from .test_packets import write_warehouse

SECRET_PATH = "/hooks/T0KEN-s3cret"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("FBAUDIT_DIGEST_WEBHOOK_URL", "FBAUDIT_SMTP_HOST", "FBAUDIT_SMTP_USER", "FBAUDIT_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(data_dir=tmp_path / "data", as_of=AS_OF, sellers_file=tmp_path / "sellers.yml")
    write_warehouse(settings.warehouse_path)
    return settings


class Webhook(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, type[Webhook]]]:
    handler = type("Handler", (Webhook,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{SECRET_PATH}", handler
    server.shutdown()
    server.server_close()


class TinySmtp:
    """Enough of SMTP (RFC 5321) for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT; one session."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commands: list[str] = []
        self.message = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn, conn.makefile("rb") as incoming:
            conn.sendall(b"220 tiny ESMTP\r\n")
            while line := incoming.readline():
                command = line.decode().strip()
                self.commands.append(command)
                verb = command.split(" ")[0].upper()
                if verb == "EHLO":
                    conn.sendall(b"250-tiny\r\n250 AUTH PLAIN\r\n")
                elif verb == "AUTH":
                    conn.sendall(b"235 ok\r\n")
                elif verb == "DATA":
                    conn.sendall(b"354 go on\r\n")
                    while (part := incoming.readline()) != b".\r\n":
                        self.message += part
                    conn.sendall(b"250 queued\r\n")
                elif verb == "QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.listener.close()


def test_digest_lists_open_claims_due_within_seven_days_in_deadline_order(data: Settings):
    digest = build_digest(data, data.warehouse_path)
    assert [c.claim_id for c in digest.due] == ["CLM-de-first", "CLM-us-review", "CLM-us-soon"]
    first = digest.due[0]
    assert (first.code, first.amount, first.currency_code, first.deadline_date) == (
        "DE", Decimal("12.00"), "EUR", AS_OF + timedelta(days=1))
    assert digest.gaps == []  # no marts.fct_coverage_gaps yet: skipped quietly
    text = write_digest(data, digest).read_text(encoding="utf-8")
    assert "**3 claim(s) worth 12.00 EUR, 505.00 USD must be filed within 7 days**" in text
    assert f"- 12.00 EUR, deadline {AS_OF + timedelta(days=1)} (in 1 day(s)): refund_not_returned" in text
    assert "`CLM-us-review` (look before filing)" in text
    assert "CLM-us-mid-big" not in text and "CLM-expired" not in text  # due in 10 days; closed


def test_digest_lists_coverage_gaps_hiding_open_claims_and_is_a_private_file(data: Settings):
    with duckdb.connect(str(data.warehouse_path)) as con:
        con.execute("create table marts.fct_coverage_gaps as select 'S1' seller_id, 'ATVPDKIKX0DER' "
                    "marketplace_id, 'ledger_detail' report, date '2026-10-01' gap_from_date, "
                    "date '2026-10-05' gap_to_date, 5 as days, true as is_blocking_claims union all "
                    "select 'S1', 'ATVPDKIKX0DER', 'reimbursements', date '2025-01-01', date '2025-01-09', 9, false")
    digest = build_digest(data, data.warehouse_path)
    path = write_digest(data, digest)
    assert path == data.claims_dir / "digests" / f"{AS_OF}.md"
    assert "- S1 US: ledger_detail missing 2026-10-01 to 2026-10-05 (5 day(s))" in path.read_text()
    assert "reimbursements" not in path.read_text()  # its gap is older than any open filing window
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_webhook_receives_the_digest_as_json(data: Settings, webhook, monkeypatch: pytest.MonkeyPatch):
    url, handler = webhook
    monkeypatch.setenv("FBAUDIT_DIGEST_WEBHOOK_URL", url)
    digest = build_digest(data, data.warehouse_path)
    assert send_digest(digest) == ["webhook"]
    [(path, content_type, body)] = handler.received
    sent = json.loads(body)
    assert (path, content_type) == (SECRET_PATH, "application/json")
    assert sent["as_of"] == AS_OF.isoformat() and sent["text"].startswith("# fbaudit: claims due by")
    assert [c["claim_id"] for c in sent["due"]] == ["CLM-de-first", "CLM-us-review", "CLM-us-soon"]
    assert sent["due"][0]["amount"] == "12.00" and sent["gaps"] == []


def test_smtp_server_receives_the_digest_with_login(data: Settings, caplog: pytest.LogCaptureFixture):
    server = TinySmtp()
    smtp = SmtpConfig(host="127.0.0.1", port=server.port, sender="fbaudit@example.com",
                      recipients=("ops@example.com", "boss@example.com"), user="mailer", password="pa55word")
    with caplog.at_level(logging.DEBUG):
        assert send_digest(build_digest(data, data.warehouse_path), smtp=smtp) == ["smtp"]
    server.close()
    assert "mail FROM:<fbaudit@example.com>" in server.commands
    assert {"rcpt TO:<ops@example.com>", "rcpt TO:<boss@example.com>"} <= set(server.commands)
    auth = next(c for c in server.commands if c.startswith("AUTH PLAIN"))
    assert base64.b64decode(auth.split()[-1]) == b"\0mailer\0pa55word"
    message = server.message.decode()
    assert "Subject: fbaudit: 3 claim(s) due within 7 days (2026-11-28)" in message
    assert "CLM-de-first" in message
    assert "pa55word" not in caplog.text


def test_smtp_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    assert smtp_from_env() is None
    monkeypatch.setenv("FBAUDIT_SMTP_HOST", "mail.example.com")
    with pytest.raises(ValueError, match="FBAUDIT_SMTP_FROM and FBAUDIT_SMTP_TO"):
        smtp_from_env()
    for name, value in {"FROM": "a@example.com", "TO": "b@example.com, c@example.com", "PORT": "587",
                        "USER": "u", "PASSWORD": "p"}.items():
        monkeypatch.setenv(f"FBAUDIT_SMTP_{name}", value)
    smtp = smtp_from_env()
    assert (smtp.port, smtp.recipients, smtp.starttls) == (587, ("b@example.com", "c@example.com"), True)
    assert smtp.password == "p" and "password" not in repr(smtp)  # never printed with the settings


def test_a_failed_send_names_the_channel_keeps_the_file_and_hides_the_url(data: Settings, webhook):
    url, handler = webhook
    handler.status = 500
    digest = build_digest(data, data.warehouse_path)
    path = write_digest(data, digest)
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    smtp = SmtpConfig(host="127.0.0.1", port=port, sender="a@example.com", recipients=("b@example.com",))
    with pytest.raises(DigestNotSent) as failed:
        send_digest(digest, webhook_url=url, smtp=smtp)
    message = str(failed.value)
    assert "webhook at 127.0.0.1 answered HTTP 500" in message and f"SMTP server 127.0.0.1:{port}" in message
    assert "T0KEN" not in message
    assert path.is_file() and "CLM-de-first" in path.read_text()


def test_digest_job_writes_the_file_and_fails_clearly_when_the_send_fails(data: Settings, webhook,
                                                                          monkeypatch: pytest.MonkeyPatch):
    from dagster_project.cli import ensure_manifest

    monkeypatch.setenv("FBAUDIT_DATA_DIR", str(data.data_dir))
    monkeypatch.setenv("FBAUDIT_AS_OF", AS_OF.isoformat())
    assert ensure_manifest(), "dbt parse failed"
    from dagster_project.assets.claims import deadline_digest_job

    url, handler = webhook
    handler.status = 503
    monkeypatch.setenv("FBAUDIT_DIGEST_WEBHOOK_URL", url)
    result = deadline_digest_job.execute_in_process(raise_on_error=False)
    assert not result.success  # no published warehouse yet
    assert "run `fbaudit run` first" in str(result.all_events)
    (data.data_dir / "published").mkdir()
    data.warehouse_path.rename(data.data_dir / "published" / "warehouse.duckdb")
    result = deadline_digest_job.execute_in_process(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.error.message
    path = data.claims_dir / "digests" / f"{AS_OF}.md"
    assert "answered HTTP 503" in failure and f"kept at {path}" in failure and "T0KEN" not in failure
    assert "CLM-de-first" in path.read_text()
    handler.status = 200
    assert deadline_digest_job.execute_in_process().success
    assert len(handler.received) == 2
