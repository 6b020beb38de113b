"""python manage.py import_rxnorm RxNorm_full_MMDDYYYY.zip (or its folder, or its rrf/)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening.knowledge.rxnorm_files import ReleaseInvalid, find_release
from screening.services.terminology import rxnorm_import


class Command(BaseCommand):
    help = (
        "Import an RxNorm release (NLM's RxNorm_full_MMDDYYYY.zip) so product-level RxNorm "
        "codes and NDCs are read. Validates every file first, then replaces the stored "
        "release in one transaction; importing the current release again does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The zip, its unpacked folder, or rrf/.")
        parser.add_argument(
            "--release-date",
            type=datetime.date.fromisoformat,
            help="YYYY-MM-DD, when the path does not carry NLM's RxNorm_full_MMDDYYYY name.",
        )
        parser.add_argument("--force", action="store_true", help="Import even if current.")

    def handle(self, *args, path: Path, release_date, force: bool, **options):
        try:
            release = find_release(path, release_date)
            outcome = rxnorm_import(release, force=force)
        except ReleaseInvalid as error:
            raise CommandError(f"Not imported: {error}. Nothing was changed.") from error
        stored = outcome.release
        if not outcome.imported:
            self.stdout.write(f"RxNorm {stored.released_on} is already imported; nothing to do.")
        else:
            self.stdout.write(
                f"Imported RxNorm {stored.released_on}: {stored.concepts} concepts, "
                f"{stored.ndcs} NDCs."
            )
        self.stdout.write(f"Knowledge-base version: {outcome.knowledge_base_version.version}")
