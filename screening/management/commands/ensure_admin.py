import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from screening.models import Pharmacist, Pharmacy


class Command(BaseCommand):
    help = "Make sure an admin login exists; a new one gets a generated password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    @transaction.atomic
    def handle(self, *args, username: str, **options):
        user_model = get_user_model()
        pharmacy, _ = Pharmacy.objects.get_or_create(name=settings.PHARMACY_DEFAULT_NAME)
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            Pharmacist.objects.get_or_create(user=user, defaults={"pharmacy": pharmacy})
            self.stdout.write(
                f"Login: {username} (password unchanged; it was printed when created)"
            )
            return
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_superuser(username=username, email="", password=password)
        Pharmacist.objects.create(user=user, pharmacy=pharmacy)
        self.stdout.write(f"Login: {username}  password: {password}  (shown once; keep it)")
