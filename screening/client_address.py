"""The address a request came from, for sign-in lockout (django-axes, settings.py).

Behind the TLS proxy production runs with, REMOTE_ADDR is the proxy's own address for every
caller: locking "this username from this address" would then lock the username for
everyone. The proxy appends the address it saw to X-Forwarded-For; its last entry is the
one to trust (earlier ones are whatever the client sent)."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or remote
