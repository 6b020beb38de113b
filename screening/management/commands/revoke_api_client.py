from django.core.management.base import BaseCommand, CommandError

from screening.models import ApiClient


class Command(BaseCommand):
    help = (
        "Revoke an API client's token at once, by its prefix (the part before the dot, shown "
        "when it was created and in the admin) or by its name. A revoked token cannot be "
        "restored: create a new client."
    )

    def add_arguments(self, parser):
        parser.add_argument("client", help="The token's prefix, or the client's name.")

    def handle(self, *args, client: str, **options):
        matches = list(ApiClient.objects.filter(prefix=client)) or list(
            ApiClient.objects.filter(name=client)
        )
        if not matches:
            raise CommandError(f"No API client has the prefix or name {client!r}.")
        if len(matches) > 1:
            prefixes = ", ".join(match.prefix for match in matches)
            raise CommandError(
                f"{len(matches)} API clients are named {client!r}: revoke by prefix ({prefixes})."
            )
        (api_client,) = matches
        if api_client.revoked:
            self.stdout.write(
                f"API client {api_client.name!r} ({api_client.prefix}) was already revoked."
            )
            return
        api_client.revoked = True
        api_client.save(update_fields=["revoked"])
        self.stdout.write(f"API client {api_client.name!r} ({api_client.prefix}) is revoked.")
