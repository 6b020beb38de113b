"""Reads of the knowledge base: the API's read views and the engine's index."""

import gc
import logging
import math
import threading
import time

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch, QuerySet

from screening.engine import KnowledgeIndex, build_index
from screening.knowledge.snapshot import snapshot_from_database
from screening.models import (
    DrugClass,
    Ingredient,
    KnowledgeBaseVersion,
    Supplement,
    SupplementCaution,
)

logger = logging.getLogger(__name__)


def drug_class_list() -> QuerySet[DrugClass]:
    return DrugClass.objects.prefetch_related(
        "references",
        "evidence_references",
        Prefetch(
            "ingredients", queryset=Ingredient.objects.order_by("name").only("name", "rxcui", "atc")
        ),
    ).order_by("slug")


def supplement_list() -> QuerySet[Supplement]:
    return Supplement.objects.prefetch_related(
        "references",
        Prefetch(
            "cautions",
            queryset=SupplementCaution.objects.select_related("drug_class", "ingredient")
            .prefetch_related("references")
            .order_by("key"),
        ),
    ).order_by("slug")


def _latest_version() -> tuple[str, str]:
    latest = (
        KnowledgeBaseVersion.objects.order_by("-created", "-id")
        .values_list("version", "content_hash")
        .first()
    )
    return latest if latest else ("empty", "")


def _exempt_from_garbage_collection() -> None:
    """The index is ~160,000 long-lived objects with no cycles to find; left to the cyclic
    collector, every full collection walks all of them, which made a 100-line screening
    ~15% slower (docs/benchmark.md). Frozen, they are left out; an index that is replaced
    is still freed by reference counting. The freeze takes whatever else is alive at that
    moment too (the request that asked): its cyclic garbage, a few kilobytes once per
    knowledge-base version, is never collected."""
    gc.collect()
    gc.freeze()


class _IndexCache:
    """One immutable index per process, rebuilt when the knowledge-base version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: KnowledgeIndex | None = None
        self._content_hash: str | None = None
        self._checked_at = -math.inf

    def get(self) -> KnowledgeIndex:
        # The version is asked for at most once per KNOWLEDGE_VERSION_CHECK_SECONDS per
        # process: a reload or admin edit reaches every process within that time, and a
        # busy process does not pay a query per request for it.
        now = time.monotonic()
        if (
            self._index is not None
            and now - self._checked_at < settings.KNOWLEDGE_VERSION_CHECK_SECONDS
        ):
            return self._index
        version, content_hash = _latest_version()
        self._checked_at = now
        if self._index is not None and content_hash == self._content_hash:
            return self._index
        with self._lock:
            while self._index is None or content_hash != self._content_hash:
                snapshot = snapshot_from_database()
                # The snapshot takes several queries; a reload or an admin edit that
                # committed in between would mix two versions. Each commits its version row
                # with its content, so an unchanged version means an unmixed snapshot.
                latest = _latest_version()
                if latest != (version, content_hash):
                    version, content_hash = latest
                    continue
                self._index = build_index(snapshot, version=version)
                self._content_hash = content_hash
                del snapshot
                _exempt_from_garbage_collection()
        return self._index

    def clear(self) -> None:
        with self._lock:
            self._index = None
            self._content_hash = None
            self._checked_at = -math.inf


knowledge_index_cache = _IndexCache()


def get_knowledge_index() -> KnowledgeIndex:
    return knowledge_index_cache.get()


def warm_knowledge_index() -> bool:
    """Build this process's index before it serves anyone (wsgi.py), so the first screening
    after a deploy or a worker restart does not wait a second or more for it. True when it
    was built. Nothing here may stop a server from starting: a database not migrated or
    not reachable yet (PostgreSQL gives up connecting after DATABASE_CONNECT_TIMEOUT) only
    defers the build to the first screening, which then reports the real error. The
    connections it opened are closed, so a server that forks after loading the app
    (gunicorn --preload) gives each worker its own; one inside a transaction is left as it
    is (closing it would break the caller's transaction)."""
    try:
        get_knowledge_index()
        return True
    except Exception as error:  # noqa: BLE001 - optional at start; the first use raises it
        logger.warning("knowledge index not built at start (built on first use): %s", error)
        return False
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
