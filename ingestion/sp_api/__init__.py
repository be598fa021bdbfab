"""Pulling from the Selling Partner API: the sellers file, the HTTP policy, the Reports flow, the Inbound and
Finances adapters, the ingestion ledger, and `pull`, which ties them together."""

from .ledger import Entry, Ledger
from .pull import PullSummary, pull
from .sellers import Seller, SellersFileError, load_sellers

__all__ = ["Entry", "Ledger", "PullSummary", "Seller", "SellersFileError", "load_sellers", "pull"]
