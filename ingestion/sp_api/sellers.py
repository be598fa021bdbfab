"""The sellers file (which sellers, regions and marketplaces to pull) and credentials from the environment.

    sellers:
      - seller_id: DEMO1
        region: NA
        marketplaces: [US]
        lwa_client_id_env: DEMO1_LWA_CLIENT_ID        # names of environment variables, never values
        lwa_client_secret_env: DEMO1_LWA_CLIENT_SECRET
        refresh_token_env: DEMO1_REFRESH_TOKEN
        endpoint: http://127.0.0.1:8123               # optional: the emulator

A seller selling in several regions is listed once per region. Secret values are read when a client is built
and are never formatted into any message."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..catalog import marketplace

CREDENTIAL_KEYS = ("lwa_client_id_env", "lwa_client_secret_env", "refresh_token_env")


class SellersFileError(ValueError):
    pass


@dataclass(frozen=True)
class Seller:
    seller_id: str
    region: str
    marketplaces: tuple[str, ...]  # marketplace codes, in the file's order
    lwa_client_id_env: str
    lwa_client_secret_env: str
    refresh_token_env: str
    endpoint: str | None = None

    def credentials(self) -> dict[str, str]:
        """python-amazon-sp-api's credentials dict, read from the environment variables the file names."""
        names = dict(
            lwa_app_id=self.lwa_client_id_env,
            lwa_client_secret=self.lwa_client_secret_env,
            refresh_token=self.refresh_token_env,
        )
        missing = [name for name in names.values() if not os.environ.get(name)]
        if missing:
            raise SellersFileError(
                f"seller {self.seller_id} ({self.region}): the environment variable(s) "
                f"{', '.join(missing)} named in the sellers file are not set"
            )
        return {key: os.environ[name] for key, name in names.items()}


def load_sellers(path: Path) -> list[Seller]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SellersFileError(f"{path}: no such sellers file (set FBAUDIT_SELLERS)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SellersFileError(
            f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})"
        ) from None
    entries = document.get("sellers") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SellersFileError(f"{path}: expected a top-level 'sellers:' list with at least one seller")
    sellers = [_seller(path, number, entry) for number, entry in enumerate(entries, start=1)]
    keys = [(s.seller_id, s.region) for s in sellers]
    if len(set(keys)) != len(keys):
        raise SellersFileError(f"{path}: a (seller_id, region) pair is listed twice")
    return sellers


def _seller(path: Path, number: int, entry: object) -> Seller:
    where = f"{path}: seller #{number}"
    if not isinstance(entry, dict):
        raise SellersFileError(f"{where}: expected a mapping with seller_id, region, marketplaces, ...")
    missing = [k for k in ("seller_id", "region", "marketplaces", *CREDENTIAL_KEYS) if not entry.get(k)]
    if missing:
        raise SellersFileError(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - {"seller_id", "region", "marketplaces", "endpoint", *CREDENTIAL_KEYS}
    if unknown:
        raise SellersFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    region = str(entry["region"]).upper()
    codes = entry["marketplaces"]
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",")]
    places = []
    for code in codes:
        try:
            place = marketplace(str(code))
        except ValueError as error:
            raise SellersFileError(f"{where} ({entry['seller_id']}): {error}") from None
        if place.region != region:
            raise SellersFileError(
                f"{where} ({entry['seller_id']}): marketplace {place.code} is in region "
                f"{place.region}, not {region}; list the seller once per region"
            )
        places.append(place.code)
    return Seller(
        seller_id=str(entry["seller_id"]),
        region=region,
        marketplaces=tuple(places),
        endpoint=str(entry["endpoint"]).rstrip("/") if entry.get("endpoint") else None,
        **{k: str(entry[k]) for k in CREDENTIAL_KEYS},
    )
