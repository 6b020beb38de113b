"""Writes to the knowledge base that happen outside a file load (admin edits)."""

from django.db import transaction
from django.utils import timezone

from screening.knowledge.snapshot import snapshot_from_database, snapshot_hash
from screening.models import KnowledgeBaseVersion


@transaction.atomic
def knowledge_base_record_edit(*, source: str) -> KnowledgeBaseVersion:
    """Record a new version if the content changed, so the engine index is rebuilt."""
    snapshot = snapshot_from_database()
    content_hash = snapshot_hash(snapshot)
    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    if latest is not None and latest.content_hash == content_hash:
        return latest
    return KnowledgeBaseVersion.objects.create(
        version=f"{timezone.now().date().isoformat()}.{content_hash[:10]}",
        content_hash=content_hash,
        source=source[:200],
        counts={kind: len(entries) for kind, entries in snapshot.items()},
    )
