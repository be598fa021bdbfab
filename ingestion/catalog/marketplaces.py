"""Amazon marketplaces fbaudit knows: ids, regions, currencies, time zones and file conventions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marketplace:
    code: str  # the country code sellers use on the command line (UK, not GB)
    marketplace_id: str
    region: str  # NA, EU or FE: the SP-API endpoint and the scope of region-wide reports
    country_codes: tuple[str, ...]  # how report rows spell the country
    currency_code: str
    timezone: str  # a marketplace-local calendar date (`*_date`) is a date in this zone
    encoding: str = "utf-8"  # what Amazon's documents for it are usually encoded in
    decimal_comma: bool = False  # localized numbers ("1.234,56") in settlement files


MARKETPLACES: tuple[Marketplace, ...] = (
    Marketplace("US", "ATVPDKIKX0DER", "NA", ("US",), "USD", "America/Los_Angeles"),
    Marketplace("CA", "A2EUQ1WTGCTBG2", "NA", ("CA",), "CAD", "America/Los_Angeles"),
    Marketplace("MX", "A1AM78C64UM0Y8", "NA", ("MX",), "MXN", "America/Los_Angeles"),
    Marketplace("BR", "A2Q3Y263D00KWC", "NA", ("BR",), "BRL", "America/Sao_Paulo"),
    Marketplace("UK", "A1F83G8C2ARO7P", "EU", ("GB", "UK"), "GBP", "Europe/London"),
    Marketplace("DE", "A1PA6795UKMFR9", "EU", ("DE",), "EUR", "Europe/Berlin", decimal_comma=True),
    Marketplace("FR", "A13V1IB3VIYZZH", "EU", ("FR",), "EUR", "Europe/Paris", decimal_comma=True),
    Marketplace("IT", "APJ6JRA9NG5V4", "EU", ("IT",), "EUR", "Europe/Rome", decimal_comma=True),
    Marketplace("ES", "A1RKKUPIHCS9HS", "EU", ("ES",), "EUR", "Europe/Madrid", decimal_comma=True),
    Marketplace("NL", "A1805IZSGTT6HS", "EU", ("NL",), "EUR", "Europe/Amsterdam", decimal_comma=True),
    Marketplace("SE", "A2NODRKZP88ZB9", "EU", ("SE",), "SEK", "Europe/Stockholm", decimal_comma=True),
    Marketplace("PL", "A1C3SOZRARQ6R3", "EU", ("PL",), "PLN", "Europe/Warsaw", decimal_comma=True),
    Marketplace("JP", "A1VC38T7YXB528", "FE", ("JP",), "JPY", "Asia/Tokyo", encoding="cp932"),
    Marketplace("AU", "A39IBJ37TRP1C6", "FE", ("AU",), "AUD", "Australia/Sydney"),
)

_BY_CODE = {m.code: m for m in MARKETPLACES}
_BY_ID = {m.marketplace_id: m for m in MARKETPLACES}
_BY_COUNTRY = {c: m for m in MARKETPLACES for c in m.country_codes}


def marketplace(code_or_id: str) -> Marketplace:
    """Look a marketplace up by its code (US), its Amazon id (ATVPDKIKX0DER) or a report's country (GB)."""
    key = code_or_id.strip()
    found = _BY_CODE.get(key.upper()) or _BY_ID.get(key) or _BY_COUNTRY.get(key.upper())
    if found is None:
        known = ", ".join(m.code for m in MARKETPLACES)
        raise ValueError(f"unknown marketplace {code_or_id!r} (known: {known})")
    return found


def region_marketplaces(region: str) -> tuple[Marketplace, ...]:
    return tuple(m for m in MARKETPLACES if m.region == region)
