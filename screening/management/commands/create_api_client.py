from django.conf import settings
from django.core.management.base import BaseCommand

from screening.models import ApiClient, Pharmacy


class Command(BaseCommand):
    help = "Create an API client for a pharmacy and print its token (shown once) on the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--pharmacy", default=None, help="Pharmacy name (created if new).")

    def handle(self, *args, name: str, pharmacy: str | None, **options):
        pharmacy_obj, _ = Pharmacy.objects.get_or_create(
            name=pharmacy or settings.PHARMACY_DEFAULT_NAME
        )
        _, token = ApiClient.objects.create_key(name=name, pharmacy=pharmacy_obj)
        self.stderr.write(
            f"API client {name!r} created for {pharmacy_obj.name}. The token is shown once:"
        )
        self.stdout.write(token)
