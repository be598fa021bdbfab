"""No secret reaches a log, the console or a file; an interrupted pull resumes, duplicating nothing."""

import gzip
import logging
import os
import signal
import subprocess
import sys
import time

from ingestion.sp_api import Ledger, pull


def test_no_secret_token_or_signature_appears_in_logs_output_or_files(sp, emulator, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    settings = sp.settings_for(emulator, tmp_path)
    emulator.state.set_faults(
        [
            {"kind": "fatal", "report_type": "GET_FBA_REIMBURSEMENTS_DATA"},
            {"kind": "throttle", "operation": "createReport", "count": 2},
            {"kind": "truncate", "report_type": "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"},
        ]
    )
    summary = pull(settings, since=sp.since, progress=print)
    print("\n".join(summary.lines()))
    assert summary.failures  # the error paths ran too
    captured = capfd.readouterr()
    texts = {"log": caplog.text, "stdout": captured.out, "stderr": captured.err}
    for path in settings.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            texts[str(path)] = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("latin-1")
    forbidden = [*sp.secrets.values(), "demo-access-", "X-Amz-Signature", "Signature="]
    for where, text in texts.items():
        for secret in forbidden:
            assert secret not in text, f"{secret!r} appears in {where}"
    assert "FATAL" in captured.out and len(texts) > 10


def test_an_interrupted_pull_resumes_without_duplicates(sp, emulator, reference, tmp_path):
    settings = sp.settings_for(emulator, tmp_path)
    script = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from ingestion.settings import Settings\nfrom ingestion.sp_api import http, pull\n"
        "http.POLICY = http.Policy(speedup=20)\n"
        "pull(Settings(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), Path(sys.argv[3])),"
        " since=date.fromisoformat(sys.argv[4]))\n"
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            str(settings.data_dir),
            sp.as_of.isoformat(),
            str(settings.sellers_file),
            sp.since.isoformat(),
        ],
        env=os.environ.copy(),
    )
    ledger = Ledger(settings.data_dir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len([e for e in _lines(ledger) if e.state == "done"]) < 5:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    interrupted = ledger.latest()
    assert any(e.state == "requested" for e in interrupted.values()), "the pull was not interrupted mid-way"
    summary = pull(settings, since=sp.since)
    assert summary.failures == [] and summary.gaps == []
    assert sp.landed_documents(settings) == reference
    resumed = {e.key for e in summary.entries}
    assert {k for k, e in interrupted.items() if e.state == "requested"} <= resumed


def _lines(ledger: Ledger) -> list:
    try:
        return ledger.entries()
    except (FileNotFoundError, ValueError):
        return []
