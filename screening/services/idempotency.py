"""Idempotent POSTs: a request sent again with the same `Idempotency-Key` gets the first
answer instead of creating a second record (docs/reliability.md).

The record of the key is written in the same transaction as what the request created, so
either both exist or neither does. Two requests racing with one key meet at the unique
constraint: the loser's work is rolled back and it answers with the winner's record.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from screening.models import IdempotencyRecord, Pharmacy

Created = TypeVar("Created")


class IdempotencyConflict(Exception):
    """The key was already used for a different request."""


def request_fingerprint(body: Any) -> str:
    """The same JSON body, whatever its key order or spacing, has the same fingerprint."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def idempotent_create(
    *,
    pharmacy: Pharmacy,
    key: str,
    operation: str,
    fingerprint: str,
    create: Callable[[], Created],
    fetch: Callable[[Any], Created],
) -> tuple[Created, bool]:
    """(what `create` made, False), or (the first request's record via `fetch`, True)."""
    earlier = IdempotencyRecord.objects.filter(pharmacy=pharmacy, key=key).first()
    if earlier is None:
        try:
            with transaction.atomic():
                created = create()
                IdempotencyRecord.objects.create(
                    pharmacy=pharmacy,
                    key=key,
                    operation=operation,
                    fingerprint=fingerprint,
                    object_id=created.pk,
                )
            return created, False
        except IntegrityError:
            earlier = IdempotencyRecord.objects.filter(pharmacy=pharmacy, key=key).first()
            if earlier is None:
                raise
    if earlier.operation != operation or earlier.fingerprint != fingerprint:
        raise IdempotencyConflict(key)
    return fetch(earlier.object_id), True
