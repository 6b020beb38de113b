"""Writes to the knowledge base that happen outside a file load (admin edits)."""

from django.db import transaction

from screening.knowledge.snapshot import knowledge_base_version_record
from screening.models import KnowledgeBaseVersion


@transaction.atomic
def knowledge_base_record_edit(*, source: str) -> KnowledgeBaseVersion:
    """Record a new version if the content changed, so every process rebuilds its index."""
    version, _is_new = knowledge_base_version_record(source=source)
    return version
