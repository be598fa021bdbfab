"""Sized sellers for `make bench`: the demo simulation in blocks, merged on disk into one file per document.

`simulate` holds every row in memory, so a large seller is simulated in blocks of at most BLOCK_SKUS products
(each block its own seed, so its own products), and each block's documents are rendered and merged into one
file per (seller, marketplace folder, file name): the first block writes the whole document, later blocks
append their body lines. Settlements cannot be merged (each block's document has its own settlement id and
summary row): they keep one file per block (`..._b<k>.txt`).

The last simulated day (as_of - 1) is withheld as "the new day": rows of windowed reports covering that day go
into one-day documents under <data>/newday/<seller>/<CODE>/, the monthly document then ends the day before,
and the inventory snapshot of the new day's end goes there too. The bench moves them into the inbox later.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from ingestion import catalog
from ingestion.demo import seller_ids, simulate
from ingestion.demo.documents import Document, generated, row_date
from ingestion.render import render_document

DAYS = 365
BLOCK_SKUS = 48  # about 130,000 ledger rows and 350,000 rows in all per block held in memory
LEDGER_REPORTS = ("ledger_detail", "ledger_summary")
LEDGER_ROWS_PER_SKU = 64_000 / 24  # per SKU over DAYS days, US + DE (measured on the demo seller)
SKU_COLUMNS = ("sku", "msku")  # the columns holding the simulation's SKUs (`<seller_id>-0001`)
UNMERGED = ("settlements",)
AGENCY_SELLERS = 20
AGENCY_LEDGER_ROWS = 100_000  # per seller
INBOX, NEWDAY = "inbox", "newday"


@dataclass(frozen=True)
class Block:
    number: int  # 1.. within the size; also the simulation's seed
    skus: int
    seller_id: str


@dataclass(frozen=True)
class Rendered:
    folder: str  # INBOX or NEWDAY
    seller_id: str
    marketplace_code: str
    file_name: str
    data: bytes
    mtime: float
    report: str
    rows: int


@dataclass
class Generated:
    """What a size's generation wrote: rows per report in the inbox and in the new day, files, bytes."""

    rows: Counter[str] = field(default_factory=Counter)
    newday_rows: Counter[str] = field(default_factory=Counter)
    files: int = 0
    newday_files: int = 0
    bytes: int = 0  # of the inbox's distinct documents
    duplicate_rows: int = 0  # rows of inbox files byte-identical to another (landing skips: same document)

    @property
    def ledger_rows(self) -> int:
        return sum(self.rows[r] + self.newday_rows[r] for r in LEDGER_REPORTS)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def document_rows(self) -> int:
        """The rows landing should write: those of distinct documents."""
        return self.total_rows - self.duplicate_rows


def plan(size: str) -> list[Block]:
    """The blocks of a size: "agency" (AGENCY_SELLERS sellers of about AGENCY_LEDGER_ROWS ledger rows each) or
    a number of ledger rows for one seller ("1e6")."""
    if size == "agency":
        skus = skus_for(AGENCY_LEDGER_ROWS)
        return [Block(n, skus, seller) for n, seller in enumerate(seller_ids(AGENCY_SELLERS), start=1)]
    try:
        target = int(float(size))
    except ValueError:
        raise ValueError(f"size {size!r}: expected a number of ledger rows like 1e6, or 'agency'") from None
    if target < 1000:
        raise ValueError(f"size {size!r}: at least 1000 ledger rows")
    skus = skus_for(target)
    count = math.ceil(skus / BLOCK_SKUS)
    seller = seller_ids(1)[0]
    return [Block(n, skus // count + (n <= skus % count), seller) for n in range(1, count + 1)]


def skus_for(ledger_rows: int) -> int:
    return max(1, round(ledger_rows / LEDGER_ROWS_PER_SKU))


def generate(data_dir: Path, as_of: date, blocks: list[Block], workers: int = 2,
             progress=print) -> Generated:
    """Simulate and write every block (in block order, whatever the worker count); returns the counts."""
    result = Generated()
    written: set[Path] = set()
    with multiprocessing.get_context("fork").Pool(min(workers, len(blocks))) as pool:
        rendered = pool.imap(_render_block, [(b, as_of) for b in blocks])
        for block, docs in zip(blocks, rendered, strict=True):
            for doc in docs:
                _write(data_dir, doc, written, result)
            progress(f"  block {block.number}/{len(blocks)} ({block.seller_id}, {block.skus} skus) written")
    distinct, duplicates = documents(data_dir / INBOX)
    result.bytes = sum(p.stat().st_size for p in distinct)
    result.duplicate_rows = sum(p.read_bytes().count(b"\n") - 1 for p in duplicates)
    return result


def documents(inbox: Path) -> tuple[list[Path], list[Path]]:
    """The inbox's distinct documents (first file of each content) and the files repeating one of them."""
    seen: set[str] = set()
    distinct, duplicates = [], []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        (duplicates if digest in seen else distinct).append(path)
        seen.add(digest)
    return distinct, duplicates


def _write(data_dir: Path, doc: Rendered, written: set[Path], result: Generated) -> None:
    path = data_dir / doc.folder / doc.seller_id / doc.marketplace_code / doc.file_name
    if path in written:
        header, _, body = doc.data.partition(b"\n")
        with path.open("rb") as handle:
            if handle.readline().rstrip(b"\n") != header:
                raise ValueError(f"{path}: block header differs from the file's; cannot append its rows")
        with path.open("ab") as handle:
            handle.write(body)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.data)
        written.add(path)
        if doc.folder == INBOX:
            result.files += 1
        else:
            result.newday_files += 1
    os.utime(path, (doc.mtime, doc.mtime))
    (result.rows if doc.folder == INBOX else result.newday_rows)[doc.report] += doc.rows


def _render_block(job: tuple[Block, date]) -> list[Rendered]:
    block, as_of = job
    simulation = simulate(as_of, seed=block.number, skus=block.skus, days=DAYS)
    newday = as_of - timedelta(days=1)
    prefix = f"{seller_ids(1)[0]}-"
    sku_prefix = f"{block.seller_id}-B{block.number:03d}-"
    rendered, renamed = [], set()  # ids of rows already renamed: documents may share row dicts
    for document in simulation.documents:
        for row in document.rows:
            if id(row) not in renamed:
                renamed.add(id(row))
                for column in SKU_COLUMNS:
                    if row.get(column):
                        row[column] = sku_prefix + row[column].removeprefix(prefix)
        for folder, doc in _split_new_day(replace(document, seller_id=block.seller_id), newday):
            rendered.append(_render(folder, doc, block))
    return rendered


def _split_new_day(doc: Document, newday: date) -> Iterator[tuple[str, Document]]:
    """The document as the inbox gets it and, if it covers the new day, that day's part as a new document."""
    spec = catalog.get(doc.report)
    if spec.name == "inventory" and doc.first >= newday:  # the snapshot of the new day's end
        yield NEWDAY, doc
        return
    if spec.coverage != "window" or not doc.first <= newday <= doc.last:
        yield INBOX, doc
        return
    column = spec.coverage_column
    kept = [r for r in doc.rows if row_date(r[column]) != newday]
    new = [r for r in doc.rows if row_date(r[column]) == newday]
    if kept:
        yield INBOX, replace(doc, last=newday - timedelta(days=1), created_at=generated(newday), rows=kept)
    if new:
        created = generated(newday + timedelta(days=1))
        yield NEWDAY, replace(doc, first=newday, last=newday, created_at=created, rows=new)


def _render(folder: str, doc: Document, block: Block) -> Rendered:
    spec = catalog.get(doc.report)
    # every declared column in every file, so that each block's body lines fit the first block's header
    rows = [{c.name: None for c in spec.columns} | doc.rows[0], *doc.rows[1:]]
    data = render_document(spec, rows, doc.marketplace_code, dialect=doc.dialect)
    name = doc.file_name
    if doc.report in UNMERGED:
        stem, _, suffix = name.rpartition(".")
        name = f"{stem}_b{block.number}.{suffix}"
    return Rendered(folder, doc.seller_id, doc.marketplace_code, name, data, doc.created_at.timestamp(),
                    doc.report, len(doc.rows))
