"""The demo seller: a deterministic simulated FBA business with faults injected on purpose.

`generate` writes its report documents into the inbox and the claims the faults created into the ground-truth
file. Same seed and arguments, same bytes. See docs/demo-seller.md for every fault's exact meaning."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ..catalog import marketplace
from ..settings import Settings
from .business import Business
from .documents import Document, ledger_documents, marketplace_documents
from .faults import Picker, inject
from .products import Ids, make_products
from .rates import RateCard
from .truth import TruthRow, write_truth


@dataclass(frozen=True)
class DemoResult:
    documents: int
    files_by_report: dict[str, int]
    rows_by_report: dict[str, int]
    truth_rows: int


@dataclass(frozen=True)
class Simulation:
    documents: list[Document]  # every report document Amazon published, in the order they are written
    truth: list[TruthRow]


def seller_ids(sellers: int) -> list[str]:
    return [f"DEMO{n}" for n in range(1, sellers + 1)]


def simulate(as_of: date, *, seed: int = 7, skus: int = 24, days: int = 300, sellers: int = 1,
             marketplaces: tuple[str, ...] = ("US", "DE")) -> Simulation:
    """Simulate `sellers` sellers over the `days` days before `as_of`: their documents and ground truth.

    The file drop (`generate`) and the SP-API emulator both serve these very documents."""
    if skus < 1 or days < 1 or sellers < 1:
        raise ValueError("skus, days and sellers must be at least 1")
    places = [marketplace(code) for code in marketplaces]
    start = as_of - timedelta(days=days)
    documents: list[Document] = []
    truth: list[TruthRow] = []
    for seller_id in seller_ids(sellers):
        ids = Ids(random.Random(f"{seed}/{seller_id}/ids"))
        asins: dict[str, str] = {}
        fnskus: dict[str, dict[str, str]] = {}
        by_region: dict[str, list[Business]] = {}
        for place in places:
            rng = random.Random(f"{seed}/{seller_id}/{place.code}")
            rates = RateCard(place.marketplace_id)
            products = make_products(rng, ids, place, rates, skus, start, days,
                                     fnskus.setdefault(place.region, {}), asins, seller_id)
            biz = Business(seller_id, place, rates, products, rng, ids, start, days)
            inject(biz, Picker(products))
            biz.run()
            biz.charge_storage(as_of)
            truth.extend(biz.truth)
            documents.extend(marketplace_documents(biz, as_of))
            by_region.setdefault(place.region, []).append(biz)
        for businesses in by_region.values():
            documents.extend(ledger_documents(businesses, start, as_of - timedelta(days=1)))
    return Simulation(documents, truth)


def generate(settings: Settings, *, seed: int = 7, skus: int = 24, days: int = 300, sellers: int = 1,
             marketplaces: tuple[str, ...] = ("US", "DE")) -> DemoResult:
    """Simulate (see `simulate`) up to `settings.as_of` and write the documents to
    `settings.inbox_dir/<seller_id>/<CODE>/` and the ground truth to `settings.ground_truth_path`."""
    simulation = simulate(settings.as_of, seed=seed, skus=skus, days=days, sellers=sellers,
                          marketplaces=marketplaces)
    files: dict[str, int] = {}
    rows: dict[str, int] = {}
    for document in simulation.documents:
        document.write(settings.inbox_dir)
        files[document.report] = files.get(document.report, 0) + 1
        rows[document.report] = rows.get(document.report, 0) + len(document.rows)
    truth_rows = write_truth(settings.ground_truth_path, simulation.truth)
    return DemoResult(len(simulation.documents), files, rows, truth_rows)
