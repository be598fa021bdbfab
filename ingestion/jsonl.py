"""Append-only JSON Lines files (the ingestion ledger, the claim actions log, the claims register).

Lines are appended whole in one write, flushed and fsynced, so a crash can only tear the last line; a torn
line is ended before the next append, so it stays alone and unreadable, and readers skip it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def append_lines(path: Path, lines: Iterable[str]) -> None:
    """Append whole lines (each ending in a newline) in one write, flushed and fsynced."""
    data = "".join(lines)
    with path.open("a+b") as out:
        if out.tell() and (out.seek(-1, os.SEEK_END), out.read(1))[1] != b"\n":
            data = "\n" + data  # end a line torn by a crash first: it stays unreadable, alone
        out.write(data.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
