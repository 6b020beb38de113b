from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from screening.knowledge.files import KnowledgeBaseFileError
from screening.knowledge.loading import load_knowledge_base
from screening.knowledge.validation import KnowledgeBaseInvalid


class Command(BaseCommand):
    help = "Validate the curated knowledge-base files and upsert them in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=settings.KNOWLEDGE_BASE_DIR)
        parser.add_argument(
            "--no-external",
            action="store_true",
            help="Skip the open drug-name vocabulary (drug-named-entity-recognition).",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Do nothing if these exact files were loaded before (keeps admin edits).",
        )

    def handle(self, *args, directory: Path, no_external: bool, if_changed: bool, **options):
        try:
            report = load_knowledge_base(
                directory, include_external=not no_external, only_if_files_changed=if_changed
            )
        except KnowledgeBaseFileError as exc:
            raise CommandError(f"Knowledge base not loaded: {exc}") from None
        except KnowledgeBaseInvalid as exc:
            listing = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"Knowledge base not loaded: {len(exc.problems)} problem(s); "
                f"the database is unchanged.\n{listing}"
            ) from None
        if report.skipped:
            self.stdout.write(
                f"Knowledge base files unchanged since they were loaded ({report.version})."
            )
            return
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for label in sorted(report.created):
            created, updated, deleted = (
                report.created.get(label, 0),
                report.updated.get(label, 0),
                report.deleted.get(label, 0),
            )
            if created or updated or deleted:
                self.stdout.write(
                    f"{label}: {created} created, {updated} updated, {deleted} deleted"
                )
        state = "new version" if report.version_is_new else "unchanged"
        self.stdout.write(self.style.SUCCESS(f"Knowledge base {report.version.version} ({state})."))
