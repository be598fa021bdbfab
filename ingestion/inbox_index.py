"""What landing already knows about the inbox's files, so a run reads only what is new or changed.

Inbox files stay where they are, so every run finds every file ever dropped or pulled. Reading and hashing them
all again made a daily run's landing grow with the seller's history (4,358 files, 4.2 GB at 10^7 ledger rows).
The index records, per inbox file that landed (or was a duplicate), its size, modification time and document.
A file whose size and mtime are unchanged, and whose document is still in the lake, is that document again
without being read: the quick check rsync and make rely on. Any other file is read and landed as before.

The index is a cache: lose it and the next run reads every file once, with the same outcome.

    landing/inbox-index.json   {"<path under inbox/>": [size, mtime_ns, document_id, report], ...}
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from . import lake
from .settings import Settings

INDEX_FILE = "inbox-index.json"


class InboxIndex:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.path = settings.landing_dir / INDEX_FILE
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # none yet, or unreadable: read every file once
            entries = {}
        self.entries: dict[str, list] = entries if isinstance(entries, dict) else {}

    def landed(self, path: Path, stat: os.stat_result, seller_id: str) -> tuple[str, str] | None:
        """(document_id, report) of an inbox file unchanged since it landed, if its document is in the lake."""
        entry = self.entries.get(self._key(path))
        if not isinstance(entry, list) or len(entry) != 4:
            return None
        size, mtime_ns, document_id, report = entry
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return None
        if not lake.document_path(self.settings.lake_dir, seller_id, document_id).exists():
            return None
        return document_id, report

    def record(self, landed: Iterable[tuple[Path, os.stat_result, str, str]]) -> None:
        """Remember these (path, its stat before it was read, document_id, report) and forget files no longer in
        the inbox; written atomically, and only when something changed. A file changed while it was landing no
        longer matches its stat, so the next run reads it."""
        entries = dict(self.entries)
        for path, stat, document_id, report in landed:
            entries[self._key(path)] = [stat.st_size, stat.st_mtime_ns, document_id, report]
        inbox = self.settings.inbox_dir
        entries = {key: entry for key, entry in entries.items() if (inbox / key).is_file()}
        if entries == self.entries:  # a run that changed nothing writes nothing
            return
        self.entries = entries
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.entries, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.path)

    def _key(self, path: Path) -> str:
        return path.relative_to(self.settings.inbox_dir).as_posix()
