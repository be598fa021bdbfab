"""python-amazon-sp-api clients for one seller and marketplace, pointed at Amazon or at a local endpoint.

The library's own loggers (and httpx's, which would print presigned URLs) are kept at WARNING: at DEBUG they
print request headers, access tokens included."""

from __future__ import annotations

import logging
import os
from types import SimpleNamespace
from typing import TypeVar
from urllib.parse import urlsplit

from sp_api.api import FinancesV0, FulfillmentInboundV0, Reports
from sp_api.auth import AccessTokenClient
from sp_api.base import Client, Marketplaces

from ..catalog import marketplace
from . import http
from .sellers import Seller

QUIET_LOGGERS = ("sp_api", "httpx", "httpcore")
C = TypeVar("C", bound=Client)


def quiet_logging() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # The library lets this variable override the marketplace a client is built for.
    os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)


def _token_client(endpoint: str) -> type[AccessTokenClient]:
    parts = urlsplit(endpoint)
    return type(
        "LocalAccessTokenClient", (AccessTokenClient,), {"scheme": f"{parts.scheme}://", "host": parts.netloc}
    )


def api_client(kind: type[C], seller: Seller, marketplace_code: str) -> C:
    """A `Reports`, `FinancesV0` or `FulfillmentInboundV0` client for this seller and marketplace."""
    quiet_logging()
    place = marketplace(marketplace_code)
    options = dict(credentials=seller.credentials(), timeout=http.POLICY.timeout)
    if seller.endpoint:
        target = SimpleNamespace(
            endpoint=seller.endpoint,
            marketplace_id=place.marketplace_id,
            region=Marketplaces[_library_code(place.code)].region,
        )
        return kind(target, auth_token_client_class=_token_client(seller.endpoint), **options)
    return kind(Marketplaces[_library_code(place.code)], **options)


def _library_code(code: str) -> str:
    return "GB" if code == "UK" else code


__all__ = ["FinancesV0", "FulfillmentInboundV0", "Reports", "api_client", "quiet_logging"]
