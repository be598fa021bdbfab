"""`fbaudit emulator` serves in the foreground, writes the sellers file and stops cleanly on a signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

FBAUDIT = Path(sys.executable).with_name("fbaudit")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_fbaudit_emulator_serves_until_signalled(tmp_path: Path, signum: int) -> None:
    sellers_file = tmp_path / "sellers.yml"
    env = {**os.environ, "FBAUDIT_AS_OF": "2026-06-30", "FBAUDIT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [str(FBAUDIT), "emulator", "--days", "40", "--skus", "3", "--sellers", "2", "--sellers-file",
         str(sellers_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        assert process.stdout is not None
        lines = []
        while not (lines and "SP-API emulator serving" in lines[-1]):
            line = process.stdout.readline()
            assert line, f"the emulator exited early: {process.stderr.read() if process.stderr else ''}"
            lines.append(line)
        url = lines[-1].split(" at ")[1].split(";")[0]
        assert url.startswith("http://127.0.0.1:")
        form = {"grant_type": "refresh_token", "client_id": "a", "client_secret": "b",
                "refresh_token": "demo-refresh-DEMO2"}
        token = httpx.post(f"{url}/auth/o2/token", data=form)
        assert token.json()["access_token"].startswith("demo-access-DEMO2-")

        sellers = yaml.safe_load(sellers_file.read_text())["sellers"]
        assert [(s["seller_id"], s["region"], s["marketplaces"]) for s in sellers] == [
            ("DEMO1", "NA", ["US"]), ("DEMO1", "EU", ["DE"]),
            ("DEMO2", "NA", ["US"]), ("DEMO2", "EU", ["DE"])]
        assert sellers[0] == {
            "seller_id": "DEMO1", "region": "NA", "marketplaces": ["US"],
            "lwa_client_id_env": "DEMO1_LWA_CLIENT_ID", "lwa_client_secret_env": "DEMO1_LWA_CLIENT_SECRET",
            "refresh_token_env": "DEMO1_REFRESH_TOKEN", "endpoint": url}
        assert "demo-refresh" not in sellers_file.read_text()  # names of variables only, never values

        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "stopped" in out
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/_emulator/requests")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
