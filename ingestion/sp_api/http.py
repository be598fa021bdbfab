"""How fbaudit talks HTTP to the SP-API: timeouts, retries with backoff and jitter, shared rate limits.

Every call goes through `call`: it waits for the (seller, region, operation) token bucket, retries throttling
(429, also with an empty body), 5xx and timeouts with capped exponential backoff and full jitter, and adopts
the rate Amazon announces in `x-amzn-RateLimit-Limit`; the buckets are files, shared by every process. Errors
are described by operation and status only: URLs (presigned), headers and bodies are never formatted into a
message."""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
from sp_api.base import ApiResponse, SellingApiException

T = TypeVar("T")

# Amazon's default usage plans (amazon.md §3.1, §2.16, §2.17): (requests per second, burst).
DEFAULT_RATES: dict[str, tuple[float, int]] = {
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReports": (0.0222, 10),
    "getReportDocument": (0.0167, 15),
    "getShipments": (2.0, 30),
    "getShipmentItems": (2.0, 30),
    "listFinancialEvents": (0.5, 30),
}
RETRYABLE_STATUS = {429, 500, 502, 503, 504}


SPEEDUP_ENV = "FBAUDIT_SP_API_SPEEDUP"


@dataclass(frozen=True)
class Policy:
    timeout: float = 30.0  # seconds, every HTTP call
    attempts: int = 6  # per logical call
    backoff: float = 2.0  # first retry waits up to this many seconds (full jitter), doubling
    backoff_cap: float = 120.0
    poll_first: float = 1.0  # first getReport poll after this many seconds, growing 1.5x
    poll_cap: float = 30.0
    report_timeout: float = 1800.0  # a report not DONE/CANCELLED/FATAL by then is failed (retried next run)
    # Run Amazon's clocks this many times faster: rates multiplied, waits divided. Only for a local
    # emulator, which announces Amazon's real rates (createReport: one a minute).
    speedup: float = 1.0

    def wait(self, seconds: float) -> float:
        return seconds / self.speedup


def policy_from_environment() -> Policy:
    text = os.environ.get(SPEEDUP_ENV, "").strip()
    try:
        speedup = float(text) if text else 1.0
    except ValueError:
        raise ValueError(f"{SPEEDUP_ENV} must be a number like 100, not {text!r}") from None
    if speedup <= 0:
        raise ValueError(f"{SPEEDUP_ENV} must be positive, not {text!r}")
    return Policy(speedup=speedup)


POLICY = policy_from_environment()


class RetryableError(Exception):
    """A call that may succeed later: throttled, server error, timeout, empty answer."""


class CallFailed(Exception):
    """A call that failed for good (after retries, or not retryable)."""


class RateLimiter:
    """Token buckets per (seller, region, operation), shared by every process pulling into the same data folder
    (two `fbaudit pull`s, a Dagster run and a CLI pull): each bucket is a small JSON file in `folder`, read and
    rewritten under an exclusive flock. The file holds Amazon's rate; each process runs it `speedup` times
    faster. A caller takes a token (the balance may go negative: a reservation) and sleeps outside the lock
    until its token is due, so all processes together make at most burst + rate x elapsed calls."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def acquire(self, key: tuple[str, str, str]) -> None:
        wait = self._update(key, lambda bucket: bucket.update(tokens=bucket["tokens"] - 1))
        if wait > 0:
            time.sleep(wait)

    def observe(self, key: tuple[str, str, str], header: str | None) -> None:
        """Adopt the rate Amazon announced for this operation (x-amzn-RateLimit-Limit)."""
        try:
            rate = float(header) if header else 0.0
        except ValueError:
            return
        if rate > 0:
            self._update(key, lambda bucket: bucket.update(rate=rate))

    def _update(self, key: tuple[str, str, str], change: Callable[[dict], None]) -> float:
        """Refill the bucket to now, apply `change`, save it; return how long a negative balance must wait."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / ("_".join(_SAFE.sub("_", part) for part in key) + ".json")
        with open(os.open(path, os.O_RDWR | os.O_CREAT, 0o644), "r+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes
            now = time.time()
            default_rate, burst = DEFAULT_RATES.get(key[2], (1.0, 10))
            try:
                bucket = json.loads(file.read())
            except ValueError:  # new (empty) or torn by a crash: start full
                bucket = {"rate": default_rate, "tokens": float(burst), "stamp": now}
            rate = bucket["rate"] * POLICY.speedup
            bucket["tokens"] = min(burst, bucket["tokens"] + max(0.0, now - bucket["stamp"]) * rate)
            bucket["stamp"] = now
            change(bucket)
            file.seek(0)
            file.truncate()
            file.write(json.dumps(bucket))
        return max(0.0, -bucket["tokens"] / rate)


_SAFE = re.compile(r"[^A-Za-z0-9.-]")
LIMITER: RateLimiter | None = None


def share_limits(folder: Path) -> None:
    """Keep the rate-limit buckets in `folder` (a data folder's ledger/limits)."""
    global LIMITER
    if LIMITER is None or LIMITER.folder != folder:
        LIMITER = RateLimiter(folder)


def _limiter() -> RateLimiter:
    if LIMITER is None:
        raise RuntimeError("no rate-limit folder: call http.share_limits(<data dir>/ledger/limits) first")
    return LIMITER


def call(key: tuple[str, str, str], request: Callable[[], T], *, expect: str | None = None) -> T:
    """Run one SP-API request with the rate limit and retry policy. `key` is (seller, region, operation);
    `expect` names a payload field a good answer holds (an empty answer is retried like throttling)."""
    policy = POLICY
    operation = key[2]
    last = ""
    for attempt in range(policy.attempts):
        if attempt:
            time.sleep(
                policy.wait(random.uniform(0, min(policy.backoff_cap, policy.backoff * 2 ** (attempt - 1))))
            )
        _limiter().acquire(key)
        try:
            response = request()
        except SellingApiException as error:
            status = getattr(error, "code", 0)
            last = f"HTTP {status} {getattr(error, 'amzn_code', '') or ''}".strip()
            if status in RETRYABLE_STATUS:
                continue
            raise CallFailed(
                f"{operation} failed: {last} {getattr(error, 'message', '') or ''}".strip()
            ) from None
        except RetryableError as error:
            last = str(error)
            continue
        except (httpx.TimeoutException, httpx.TransportError) as error:
            last = type(error).__name__
            continue
        if isinstance(response, ApiResponse):
            _limiter().observe(key, response.rate_limit)
            if expect and not (isinstance(response.payload, dict) and expect in response.payload):
                last = "an empty answer (throttled without an error body?)"
                continue
        return response
    raise CallFailed(f"{operation} failed after {policy.attempts} attempts: {last}")


def download(key: tuple[str, str, str], url: str) -> httpx.Response:
    """GET a presigned document URL (no auth header); the response keeps the raw body as sent.
    The URL carries a signature: it never appears in a message."""

    def fetch() -> httpx.Response:
        with httpx.Client(timeout=POLICY.timeout, follow_redirects=True) as client:
            response = client.get(url, headers={"Accept-Encoding": "identity"})
        if response.status_code in RETRYABLE_STATUS:
            raise RetryableError(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise CallFailed(f"{key[2]} failed: HTTP {response.status_code}")
        return response

    return call(key, fetch)
