"""Writes to the knowledge base's bookkeeping: the version every screening records."""

from django.db import transaction
from django.utils import timezone

from screening.knowledge.snapshot import snapshot_from_database, snapshot_hash
from screening.models import KnowledgeBaseVersion


def knowledge_base_version_record(*, source: str) -> tuple[KnowledgeBaseVersion, bool]:
    """The version of the database's current content: the latest one if the content is
    unchanged, else a new one (content hash and date). Returns (version, is_new).

    Every process compares the latest version with the one its index was built from, so a
    new version here is what makes a load or an admin edit reach every worker."""
    snapshot = snapshot_from_database()
    content_hash = snapshot_hash(snapshot)
    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    if latest is not None and latest.content_hash == content_hash:
        return latest, False
    rxnorm = snapshot.get("rxnorm_release") or ()
    version = KnowledgeBaseVersion.objects.create(
        version=f"{timezone.now().date().isoformat()}.{content_hash[:10]}"
        + "".join(f"+rxnorm.{release['released_on']}" for release in rxnorm),
        content_hash=content_hash,
        source=source[:200],
        counts={kind: len(entries) for kind, entries in snapshot.items()},
    )
    return version, True


@transaction.atomic
def knowledge_base_record_edit(*, source: str) -> KnowledgeBaseVersion:
    """Record a new version if an admin edit changed the content."""
    version, _is_new = knowledge_base_version_record(source=source)
    return version
