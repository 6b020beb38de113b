"""Fetching what a CDS client did not prefetch, from its own FHIR server.

Only the request's `fhirServer` is asked, with the request's `fhirAuthorization` token, a
short timeout, and no redirect to any other host (a redirect to the same scheme, host and
port is followed, at most three times). Plain http, and a server on loopback or a private
network, are refused unless allowed (development). Answers are capped in size and time, and
the host's proxy settings are not used. Pages of a searchset are followed the same way, up to
a few. The host name is resolved once for the check and again by the request: pinning the
address is left to the network's egress policy.
"""

import ipaddress
import json
import socket
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

MAX_REDIRECTS = 3
MAX_PAGES = 5
MAX_BYTES = 5 * 2**20  # a page of a patient's medicines is far smaller
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
    if not settings.CDS_HOOKS_ALLOW_PRIVATE_FHIR:
        _refuse_private(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def _refuse_private(host: str, port: int) -> None:
    """A caller must not make this service ask its own network (loopback, private ranges,
    link-local cloud metadata): every address the name resolves to must be public."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        raise FetchFailed("the fhirServer's host name does not resolve") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            raise FetchFailed("the fhirServer is not a public address")


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
        if not isinstance(page, dict) or page.get("resourceType") != "Bundle":
            raise FetchFailed("the FHIR server did not answer with a Bundle")
        entry, links = page.get("entry") or [], page.get("link") or []
        if not isinstance(entry, list) or not isinstance(links, list):
            raise FetchFailed("the FHIR server's Bundle is malformed")
        entries.extend(entry)
        url = next(
            (
                link.get("url")
                for link in links
                if isinstance(link, dict) and link.get("relation") == "next"
            ),
            None,
        )
        if not isinstance(url, str) or not url:
            break
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def _get_json(url: str, fhir_server: str, headers: Mapping[str, str]) -> dict:
    allowed = _origin(fhir_server)
    timeout = settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        if _origin(url) != allowed:
            raise FetchFailed("the FHIR server pointed to another host")
        try:
            with _session() as session, session.get(
                url, headers=headers, timeout=(timeout, timeout), allow_redirects=False,
                stream=True,
            ) as response:  # fmt: skip
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                if response.status_code != 200:
                    raise FetchFailed(f"the FHIR server answered {response.status_code}")
                body = _read_capped(response, deadline=time.monotonic() + 3 * timeout)
        except requests.RequestException as error:
            raise FetchFailed(
                f"the FHIR server could not be reached ({type(error).__name__})"
            ) from None
        try:
            return json.loads(body)
        except ValueError:
            raise FetchFailed("the FHIR server's answer is not JSON") from None
    raise FetchFailed("the FHIR server redirected too many times")


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy, .netrc or CA settings from this host's environment
    return session


def _read_capped(response: requests.Response, *, deadline: float) -> bytes:
    """The body, refused past MAX_BYTES or past the deadline (a slow drip resets no timer)."""
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed("the FHIR server's answer is too large")
        if time.monotonic() > deadline:
            raise FetchFailed("the FHIR server answered too slowly")
        chunks.append(chunk)
    return b"".join(chunks)
