"""Fetching what a CDS client did not prefetch, from its own FHIR server.

Only the request's `fhirServer` is asked, with the request's `fhirAuthorization` token, a
short timeout, and no redirect to any other host (a redirect to the same scheme, host and
port is followed, at most three times). Plain http is refused unless allowed
(development). Pages of a searchset are followed the same way, up to a few.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

MAX_REDIRECTS = 3
MAX_PAGES = 5
FHIR_JSON = "application/fhir+json"


class FetchFailed(Exception):
    """The FHIR server could not give what was asked: the reason, for a card."""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def check_server(fhir_server: str) -> None:
    parts = urlsplit(fhir_server)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FetchFailed("the fhirServer is not an http(s) URL")
    if parts.scheme == "http" and not settings.CDS_HOOKS_ALLOW_HTTP_FHIR:
        raise FetchFailed("the fhirServer must use https")


def fetch_bundle(fhir_server: str, query: str, authorization: Mapping[str, Any] | None) -> dict:
    """GET {fhirServer}/{query} as JSON, all pages joined into one searchset Bundle."""
    check_server(fhir_server)
    headers = {"Accept": FHIR_JSON}
    token = (authorization or {}).get("access_token")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = urljoin(fhir_server.rstrip("/") + "/", query)
    entries: list = []
    for _ in range(MAX_PAGES):
        page = _get_json(url, fhir_server, headers)
        if page.get("resourceType") != "Bundle":
            raise FetchFailed("the FHIR server did not answer with a Bundle")
        entries.extend(page.get("entry") or [])
        url = next(
            (link.get("url") for link in page.get("link") or () if link.get("relation") == "next"),
            None,
        )
        if not url:
            break
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def _get_json(url: str, fhir_server: str, headers: Mapping[str, str]) -> dict:
    allowed = _origin(fhir_server)
    timeout = settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        if _origin(url) != allowed:
            raise FetchFailed("the FHIR server pointed to another host")
        try:
            response = requests.get(
                url, headers=headers, timeout=(timeout, timeout), allow_redirects=False
            )
        except requests.RequestException as error:
            raise FetchFailed(
                f"the FHIR server could not be reached ({type(error).__name__})"
            ) from None
        if response.is_redirect:
            url = urljoin(url, response.headers.get("Location", ""))
            continue
        if response.status_code != 200:
            raise FetchFailed(f"the FHIR server answered {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise FetchFailed("the FHIR server's answer is not JSON") from None
    raise FetchFailed("the FHIR server redirected too many times")
