"""Rate limits are shared across processes: two pulling processes together stay within one token bucket."""

import json
import os
import subprocess
import sys

from ingestion.catalog import marketplace
from ingestion.sp_api import http, load_sellers, reports
from ingestion.sp_api.client import Reports, api_client

CALLS = 20  # per process
RATE, BURST = 5.0, 2  # getReport: Amazon's 2/s run 2.5x faster (FBAUDIT_SP_API_SPEEDUP), burst cut to 2

CHILD = f"""
import json, sys, time
from pathlib import Path
from ingestion.sp_api import http, load_sellers
from ingestion.sp_api.client import Reports, api_client
http.DEFAULT_RATES["getReport"] = (2.0, {BURST})
http.share_limits(Path(sys.argv[2]))
seller = load_sellers(Path(sys.argv[1]))[0]
client = api_client(Reports, seller, "US")
stamps = []
def get():
    stamps.append(time.time())
    return client.get_report(sys.argv[3])
for _ in range({CALLS}):
    http.call((seller.seller_id, seller.region, "getReport"), get, expect="processingStatus")
print(json.dumps(stamps))
"""


def test_two_processes_together_stay_within_the_bucket(sp, emulator, tmp_path):
    settings = sp.settings_for(emulator, tmp_path)
    limits = settings.data_dir / "ledger" / "limits"
    http.share_limits(tmp_path / "parent-limits")
    seller = load_sellers(settings.sellers_file)[0]
    report_id = reports.create_report(
        api_client(Reports, seller, "US"), (seller.seller_id, seller.region), "GET_FBA_REIMBURSEMENTS_DATA",
        marketplace("US").marketplace_id, (sp.since, sp.since), {},
    )
    emulator.state.reset()
    env = {**os.environ, http.SPEEDUP_ENV: str(RATE / 2.0)}
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(settings.sellers_file), str(limits), report_id],
                         env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert all(child.returncode == 0 for child in children)
    stamps = sorted(stamp for output in outputs for stamp in json.loads(output))
    made = [op for _, _, op in emulator.state.requests if op == "getReport"]
    assert len(made) == len(stamps) == 2 * CALLS
    # A full bucket lets BURST calls through at once; every further call waits 1/RATE s for its token.
    assert stamps[-1] - stamps[0] >= (2 * CALLS - BURST) / RATE - 0.1
    assert list(limits.glob("DEMO1_NA_getReport.json"))
