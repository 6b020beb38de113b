import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from screening.models import ApiClient, Pharmacy


class Command(BaseCommand):
    help = (
        "Create an API client for a pharmacy and print its token (shown once) on the last "
        "line. The token expires (default API_TOKEN_LIFETIME_DAYS) and can be revoked with "
        "revoke_api_client."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--pharmacy", default=None, help="Pharmacy name (created if new).")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Days until the token stops working (default: API_TOKEN_LIFETIME_DAYS).",
        )

    def handle(self, *args, name: str, pharmacy: str | None, expires_in_days, **options):
        days = settings.API_TOKEN_LIFETIME_DAYS if expires_in_days is None else expires_in_days
        if days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        pharmacy_obj, _ = Pharmacy.objects.get_or_create(
            name=pharmacy or settings.PHARMACY_DEFAULT_NAME
        )
        expiry = timezone.now() + datetime.timedelta(days=days)
        client, token = ApiClient.objects.create_key(
            name=name, pharmacy=pharmacy_obj, expiry_date=expiry
        )
        self.stderr.write(
            f"API client {name!r} (prefix {client.prefix}) created for {pharmacy_obj.name}, "
            f"valid until {expiry:%Y-%m-%d %H:%M} UTC. The token is shown once:"
        )
        self.stdout.write(token)
