"""Land report documents into the lake, exactly as ingestion/lake.py lays it out.

Per document: raw bytes kept (gzip) under landing/, one Parquet file per (document, marketplace), then the
documents row, written last: it is the commit marker. Every file is written to a temp name and renamed.
New documents of one shape (report and header) are read and written as Parquet in one DuckDB statement
(`parse_batch`) before each is committed: per-document statements cost more than the rows at scale.
A document already landed for the seller (same sha256) is a no-op. A file that fails goes to quarantine/
with a readable error file, and nothing of it is left in the lake."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import duckdb

from . import lake
from .catalog import REPORTS, Marketplace, marketplace
from .inbox_index import InboxIndex
from .parse import ParsedDocument, ParseError, Prepared, parse_batch, prepare, sql_literal
from .settings import Settings

Progress = Callable[[str], None]
QUARANTINE_STAMP = "%Y%m%dT%H%M%S%fZ"  # the UTC prefix of a quarantined copy's name
BATCH_BYTES = 64 * 1024 * 1024  # new documents' bytes (raw + decoded) read in one DuckDB statement
RAW_GZIP_LEVEL = 1  # level 6 took 2.8x the time (9: 6x) for raw copies 20 % smaller


@dataclass(frozen=True)
class LandingResult:
    path: Path
    status: Literal["landed", "duplicate", "quarantined"]
    report: str | None
    seller_id: str
    marketplace_id: str
    document_id: str | None
    rows: int  # rows written by this call (0 for a duplicate or a quarantined file)
    error: str | None
    error_file: Path | None = None  # the quarantined copy's .error.txt

    def describe(self) -> str:
        """The one-line progress message for this file."""
        if self.status == "landed":
            return f"landed {self.report} {self.rows:,} rows from {self.path}"
        if self.status == "duplicate":
            return f"duplicate {self.report} {self.path} (already landed as {self.document_id})"
        return f"quarantined {self.path}: {(self.error or '').splitlines()[0]}"


def land_file(path: Path, *, seller_id: str, marketplace_code: str, settings: Settings,
              created_at: datetime | None = None, load_source: str = "file", source_name: str | None = None,
              covers: tuple[date, date] | None = None,
              con: duckdb.DuckDBPyConnection | None = None) -> LandingResult:
    """Land one document. Bad input is quarantined, never raised; unknown `marketplace_code` raises.
    `con`: a DuckDB connection to parse on (opening one costs tens of ms)."""
    mp = marketplace(marketplace_code)
    source = _Source(Path(path), created_at, load_source, source_name, covers)
    with nullcontext(con) if con is not None else duckdb.connect() as con:
        with _Landing(settings, seller_id, mp, con) as landing:
            return landing.add(source) or landing.flush()[0][1]


@dataclass(frozen=True)
class _Source:
    path: Path
    created_at: datetime | None = None  # None: the file's mtime
    load_source: str = "file"
    source_name: str | None = None  # None: the file's name
    covers: tuple[date, date] | None = None  # None: the rows' dates


@dataclass(frozen=True)
class _Pending:
    source: _Source
    data: bytes
    doc: Prepared


class _Landing:
    """New documents of one seller and marketplace, landed in batches: documents of one shape are read and
    written as Parquet in one DuckDB statement each, then committed one by one (raw copy, its Parquet files
    moved into the lake, documents row last). A document with a problem is parsed alone for its message.
    Raw copies are compressed on a thread of their own while DuckDB parses (zlib releases the GIL)."""

    def __init__(self, settings: Settings, seller_id: str, mp: Marketplace, con: duckdb.DuckDBPyConnection):
        self.settings, self.seller_id, self.mp, self.con = settings, seller_id, mp, con
        self.compressing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fbaudit-gzip")
        self.pending: dict[tuple[str, ...], list[_Pending]] = {}
        self.pending_ids: set[str] = set()
        self.repeats: list[tuple[_Source, str]] = []  # files repeating a pending document, and its id
        self.pending_bytes = 0

    def __enter__(self) -> _Landing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.compressing.shutdown(cancel_futures=True)

    def add(self, source: _Source) -> LandingResult | None:
        """A duplicate's or a quarantined file's result now; None when the document waits for flush()."""
        data = source.path.read_bytes()
        document_id = hashlib.sha256(data).hexdigest()
        if document_id in self.pending_ids:  # a copy of a pending document: it gets the original's outcome
            self.repeats.append((source, document_id))
            return None
        documents_file = lake.document_path(self.settings.lake_dir, self.seller_id, document_id)
        if documents_file.exists():
            report = _landed_report(self.settings, self.seller_id, document_id, documents_file)
            return LandingResult(source.path, "duplicate", report, self.seller_id, self.mp.marketplace_id,
                                 document_id, rows=0, error=None)
        try:
            doc = prepare(data, file_name=str(source.path), seller_id=self.seller_id,
                          marketplace_code=self.mp.code, document_id=document_id)
        except ParseError as exc:
            return self._quarantine(source.path, str(exc))
        self.pending.setdefault(doc.shape, []).append(_Pending(source, data, doc))
        self.pending_ids.add(document_id)
        self.pending_bytes += len(data) + len(doc.text)
        return None

    def flush(self) -> list[tuple[Path, LandingResult]]:
        """Land the pending documents: (path, result) of each file added since the last flush."""
        pending, repeats = self.pending, self.repeats
        self.pending, self.pending_ids, self.repeats, self.pending_bytes = {}, set(), [], 0
        if pending:
            lake.ensure_lake(self.settings.lake_dir)
        results = [result for batch in pending.values() for result in self._land(batch)]
        ids = {item.source.path: item.doc.document_id for batch in pending.values() for item in batch}
        outcome = {ids[path]: result for path, result in results}
        for source, document_id in repeats:
            first = outcome[document_id]
            results.append((source.path, LandingResult(
                source.path, "duplicate", first.report, self.seller_id, self.mp.marketplace_id, document_id,
                rows=0, error=None) if first.status == "landed" else self._quarantine(source.path, first.error)))
        return results

    def _land(self, batch: list[_Pending]) -> list[tuple[Path, LandingResult]]:
        raw = [self.compressing.submit(gzip.compress, item.data, compresslevel=RAW_GZIP_LEVEL, mtime=0)
               for item in batch]
        try:
            parsed = parse_batch([item.doc for item in batch], self.con)
        except ParseError as exc:  # only a lone document raises
            return [(batch[0].source.path, self._quarantine(batch[0].source.path, str(exc)))]
        staged = Path(tempfile.mkdtemp(prefix=".landing-", dir=self.settings.lake_dir))
        try:
            if parsed.rows is not None:
                parsed.rows.to_parquet(str(staged / "rows"), partition_by=["_document_id", "marketplace_id"],
                                       write_partition_columns=True)
                documents = [self._document_values(item, doc)
                             for item, doc in zip(batch, parsed.documents, strict=True) if doc is not None]
                self.con.sql(" UNION ALL ".join(f"SELECT {_typed(lake.DOCUMENT_COLUMNS, values)}"
                                                for values in documents)
                             ).to_parquet(str(staged / "documents"), partition_by=["document_id"],
                                          write_partition_columns=True)
            results = []
            for item, doc, gzipped in zip(batch, parsed.documents, raw, strict=True):
                if doc is None:  # parsed alone, after the batch's Parquet is written: it replaces the batch's rows
                    results += self._land([item])
                else:
                    results.append((item.source.path, self._commit(item, doc, gzipped.result(), staged)))
            return results
        finally:
            shutil.rmtree(staged, ignore_errors=True)

    def _commit(self, item: _Pending, doc: ParsedDocument, gzipped: bytes, staged: Path) -> LandingResult:
        """Move the document's staged files into the lake: raw copy, rows per marketplace, documents row last."""
        document_id, settings = item.doc.document_id, self.settings
        _write_atomic(lake.raw_path(settings.landing_dir, doc.spec, self.seller_id, document_id),
                      lambda tmp: tmp.write_bytes(gzipped))
        for market in doc.marketplaces:
            _move_staged(staged / "rows" / f"_document_id={document_id}" / f"marketplace_id={market}",
                         lake.rows_path(settings.lake_dir, doc.spec, self.seller_id, market, document_id))
        _move_staged(staged / "documents" / f"document_id={document_id}",
                     lake.document_path(settings.lake_dir, self.seller_id, document_id))
        return LandingResult(item.source.path, "landed", doc.spec.name, self.seller_id, self.mp.marketplace_id,
                             document_id, rows=doc.row_count, error=None)

    def _document_values(self, item: _Pending, doc: ParsedDocument) -> dict[str, object]:
        """The documents row (lake.DOCUMENT_COLUMNS) of a parsed document."""
        source = item.source
        created_at = source.created_at or datetime.fromtimestamp(source.path.stat().st_mtime, UTC)
        covers_from, covers_to = source.covers or (doc.covers_from, doc.covers_to)
        return {
            "document_id": item.doc.document_id,
            "report": doc.spec.name, "report_type": doc.spec.report_type, "seller_id": self.seller_id,
            "marketplace_id": self.mp.marketplace_id, "scope": doc.scope,
            "covers_from": covers_from, "covers_to": covers_to,
            "created_at": _naive_utc(created_at), "landed_at": _naive_utc(datetime.now(UTC)),
            "load_source": source.load_source, "source_name": source.source_name or source.path.name,
            "encoding": doc.encoding, "row_count": doc.row_count,
        }

    def _quarantine(self, path: Path, message: str) -> LandingResult:
        return quarantine(path, message, seller_id=self.seller_id, marketplace_id=self.mp.marketplace_id,
                          settings=self.settings)


def _landed_report(settings: Settings, seller_id: str, document_id: str, documents_file: Path) -> str:
    """The report of a landed document: named by its raw copy's folder (a few stat calls), else read from its
    documents row (a Parquet read: ~2 ms, which a daily run over a large inbox of landed files repeats)."""
    for spec in REPORTS:
        if lake.raw_path(settings.landing_dir, spec, seller_id, document_id).exists():
            return spec.name
    query = f"SELECT report FROM read_parquet('{documents_file}', hive_partitioning = false)"
    return duckdb.sql(query).fetchone()[0]


def land_paths(paths: Iterable[Path], *, seller_id: str, marketplace_code: str, settings: Settings,
               progress: Progress | None = None) -> list[LandingResult]:
    """Land files and folders (recursively); every file is attempted even when some fail. New documents are
    read in batches of up to BATCH_BYTES; progress reports each file as its batch lands."""
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    mp = marketplace(marketplace_code)
    files = [f for p in paths for f in (_files_under(p) if p.is_dir() else [p])]
    results: dict[Path, list[LandingResult]] = {}
    with duckdb.connect() as con, _Landing(settings, seller_id, mp, con) as landing:
        for number, path in enumerate(files, start=1):
            result = landing.add(_Source(path))
            finished = [(path, result)] if result else []
            if landing.pending_bytes > BATCH_BYTES or number == len(files):
                finished += landing.flush()
            for done_path, done_result in finished:
                results.setdefault(done_path, []).append(_report(done_result, progress))
    return [results[f].pop(0) for f in files]


def land_inbox(settings: Settings, progress: Progress | None = None) -> list[LandingResult]:
    """Land every file under inbox/<seller_id>/<CODE>/. Files stay where they are: re-runs are no-ops, and a file
    unchanged since it landed is not read again (ingestion/inbox_index.py); progress counts those in one line."""
    index = InboxIndex(settings)
    results, stats, unchanged = [], {}, 0
    for seller_dir in _subdirs(settings.inbox_dir):
        for market_dir in _subdirs(seller_dir):
            files = _files_under(market_dir)
            try:
                mp = marketplace(market_dir.name)
            except ValueError as exc:
                message = (f"{market_dir}: the folder name is not a marketplace code ({exc})\n"
                           f"What to do: move the files to {settings.inbox_dir}/{seller_dir.name}/<CODE>/")
                results += [_report(quarantine(f, message, seller_id=seller_dir.name, marketplace_id="",
                                               settings=settings), progress) for f in files]
                continue
            outcome: dict[Path, LandingResult] = {}
            for f in files:
                stats[f] = f.stat()  # before it is read: see InboxIndex.record
                if found := index.landed(f, stats[f], seller_dir.name):
                    document_id, report = found
                    outcome[f] = LandingResult(f, "duplicate", report, seller_dir.name, mp.marketplace_id,
                                               document_id, rows=0, error=None)
            unchanged += len(outcome)
            new = [f for f in files if f not in outcome]
            if new:
                outcome.update(zip(new, land_paths(new, seller_id=seller_dir.name, marketplace_code=market_dir.name,
                                                   settings=settings, progress=progress), strict=True))
            results += [outcome[f] for f in files]
    index.record((r.path, stats[r.path], r.document_id, r.report) for r in results if r.status != "quarantined")
    if unchanged and progress:
        progress(f"{unchanged:,} files already landed and unchanged since: not read again")
    return results


def quarantine(path: Path, message: str, *, seller_id: str, marketplace_id: str,
               settings: Settings) -> LandingResult:
    """Copy the file to quarantine/<UTC stamp>-<name> beside <same>.error.txt (once per identical file), then
    record it in the lake's quarantine table (also for a file quarantined before that table existed)."""
    qdir = settings.quarantine_dir
    qdir.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes()
    already = [q for q in qdir.glob(f"*-{path.name}") if q.read_bytes() == data]
    target = already[0] if already else qdir / f"{datetime.now(UTC).strftime(QUARANTINE_STAMP)}-{path.name}"
    error_file = target.with_name(target.name + ".error.txt")
    if not already:
        _write_atomic(error_file, lambda tmp: tmp.write_text(f"{message}\n", encoding="utf-8"))
        _write_atomic(target, lambda tmp: shutil.copyfile(path, tmp))
    quarantine_id = hashlib.sha256(data).hexdigest()
    record = lake.quarantine_path(settings.lake_dir, seller_id, quarantine_id)
    if not record.exists():
        lake.ensure_lake(settings.lake_dir)
        stamp = target.name.split("-", 1)[0]
        values = {
            "quarantine_id": quarantine_id, "seller_id": seller_id, "marketplace_id": marketplace_id,
            "file_name": path.name, "quarantined_path": str(target), "error_path": str(error_file),
            "error": _short_error(message, path),
            "quarantined_at": datetime.strptime(stamp, QUARANTINE_STAMP),
        }
        with duckdb.connect() as con:
            _write_row(con, record, lake.QUARANTINE_COLUMNS, values)
    return LandingResult(path=path, status="quarantined", report=None, seller_id=seller_id,
                         marketplace_id=marketplace_id, document_id=None, rows=0, error=message,
                         error_file=error_file)


def _short_error(message: str, path: Path) -> str:
    """The first line of an error, the file named by its name rather than its full path, at most 500 chars."""
    lines = message.strip().splitlines() or [""]
    return lines[0].replace(str(path), path.name)[:500]


def _write_row(con: duckdb.DuckDBPyConnection, target: Path, columns: tuple[tuple[str, str], ...],
               values: dict[str, object]) -> None:
    """One row of these lake columns, written atomically as a Parquet file."""
    _write_atomic(target, lambda tmp: con.execute(f"COPY (SELECT {_typed(columns, values)}) TO '{tmp}' "
                                                  f"(FORMAT parquet)"))


def _typed(columns: tuple[tuple[str, str], ...], values: dict[str, object]) -> str:
    """A SELECT list of the values, typed as the lake columns declare."""
    return ", ".join(f"CAST({sql_literal(values[name])} AS {typ}) AS {name}" for name, typ in columns)


def _move_staged(partition: Path, target: Path) -> None:
    """Move the one Parquet file DuckDB wrote for a partition to its place in the lake."""
    files = list(partition.glob("*.parquet"))
    if len(files) != 1:
        raise RuntimeError(f"{partition}: {len(files)} Parquet files, expected one")
    _write_atomic(target, lambda tmp: files[0].replace(tmp))


def _write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _report(result: LandingResult, progress: Progress | None) -> LandingResult:
    if progress:
        progress(result.describe())
    return result


def _files_under(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and not f.name.startswith("."))


def _subdirs(folder: Path) -> list[Path]:
    return sorted(d for d in folder.iterdir() if d.is_dir()) if folder.is_dir() else []
