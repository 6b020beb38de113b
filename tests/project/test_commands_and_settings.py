"""The commands an operator runs, and the settings' refusal to run production on defaults."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from screening.models import ApiClient, Pharmacist

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_create_api_client_prints_a_working_token_alone_on_the_last_line(knowledge_base):
    out = StringIO()

    call_command(
        "create_api_client",
        "Dispensing system",
        pharmacy="Riverside Pharmacy",
        stdout=out,
        stderr=StringIO(),
    )

    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Dispensing system")
    assert client.pharmacy.name == "Riverside Pharmacy"
    assert token not in (client.hashed_key, client.id)  # only a hash is stored
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/drug-classes/").status_code == 200


def test_create_api_client_uses_the_default_pharmacy_unless_named(settings):
    call_command("create_api_client", "Kiosk", stdout=StringIO(), stderr=StringIO())

    assert ApiClient.objects.get(name="Kiosk").pharmacy.name == settings.PHARMACY_DEFAULT_NAME


def test_ensure_admin_generates_a_password_once_and_never_a_fixed_one():
    first, second = StringIO(), StringIO()

    call_command("ensure_admin", username="counter-admin", stdout=first)
    call_command("ensure_admin", username="counter-admin", stdout=second)

    assert "password:" in first.getvalue()
    assert "password:" not in second.getvalue()
    assert Pharmacist.objects.filter(user__username="counter-admin").exists()
    other = StringIO()
    call_command("ensure_admin", username="another-admin", stdout=other)
    assert (
        first.getvalue().split("password: ")[1].split()[0]
        != other.getvalue().split("password: ")[1].split()[0]
    )


def _django_check(**environment) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "CELERY_BROKER_URL", "DEBUG"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("environment", "complaint"),
    [
        (
            {
                "DEBUG": "False",
                "ALLOWED_HOSTS": "pharmacy.example.org",
                "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            },
            "SECRET_KEY",
        ),
        (
            {
                "DEBUG": "False",
                "SECRET_KEY": "x" * 50,
                "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            },
            "ALLOWED_HOSTS",
        ),
        (
            {"DEBUG": "False", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "pharmacy.example.org"},
            "CELERY_BROKER_URL",
        ),
    ],
    ids=["default-secret-key", "no-allowed-hosts", "no-broker"],
)
def test_production_refuses_to_start_on_development_defaults(environment, complaint):
    result = _django_check(**environment)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_real_settings():
    result = _django_check(
        DEBUG="False",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="pharmacy.example.org",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr


def test_no_migration_is_missing():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)
