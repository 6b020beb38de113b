"""Importing an RxNorm release: validated first, then loaded in one transaction."""

from dataclasses import dataclass
from itertools import islice

from django.db import transaction

from screening.knowledge import rxnorm_files
from screening.knowledge.rxnorm_files import Release
from screening.models import KnowledgeBaseVersion, RxNormConcept, RxNormNdc, RxNormRelease
from screening.services.knowledge import knowledge_base_version_record

_BATCH = 5000


@dataclass(frozen=True)
class RxNormImport:
    release: RxNormRelease
    knowledge_base_version: KnowledgeBaseVersion
    imported: bool  # False when this release was already the current one


def rxnorm_import(release: Release, *, force: bool = False) -> RxNormImport:
    """Replace the stored RxNorm release with `release`.

    Raises rxnorm_files.ReleaseInvalid, having written nothing, when a file is missing or
    malformed. Importing the release that is already current does nothing (unless forced),
    so running the command twice is safe. The release date becomes part of the
    knowledge-base version, so every screening records which release read its codes."""
    current = RxNormRelease.objects.order_by("-imported_at", "-id").first()
    if current is not None and current.version == release.version and not force:
        version, _ = knowledge_base_version_record(source=f"RxNorm {release.version}")
        return RxNormImport(current, version, imported=False)
    rxnorm_files.validate(release)
    concepts = rxnorm_files.read_concepts(release)
    steps = rxnorm_files.read_paths(release, concepts)
    with transaction.atomic():
        RxNormNdc.objects.all().delete()
        RxNormConcept.objects.all().delete()
        RxNormRelease.objects.all().delete()
        _in_batches(
            RxNormConcept,
            (
                RxNormConcept(rxcui=str(rxcui), tty=tty, name=name, ingredients=ingredients)
                for rxcui, tty, name, ingredients in rxnorm_files.ingredients_of(concepts, steps)
            ),
        )
        _in_batches(
            RxNormNdc,
            (RxNormNdc(ndc=ndc, rxcui=rxcui) for ndc, rxcui in rxnorm_files.read_ndcs(release)),
            ignore_conflicts=True,  # an NDC listed twice keeps its first concept
        )
        stored = RxNormRelease.objects.create(
            version=release.version,
            released_on=release.released_on,
            source=str(release.path)[-300:],
            concepts=len(concepts),
            ndcs=RxNormNdc.objects.count(),
        )
        version, _ = knowledge_base_version_record(source=f"RxNorm {release.version}")
    return RxNormImport(stored, version, imported=True)


def _in_batches(model, objects, *, ignore_conflicts: bool = False) -> int:
    written = 0
    iterator = iter(objects)
    while batch := list(islice(iterator, _BATCH)):
        model.objects.bulk_create(batch, ignore_conflicts=ignore_conflicts)
        written += len(batch)
    return written
