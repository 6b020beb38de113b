"""Security as an operator and an attacker would try it: production checks, the content
security policy, sign-in lockout, API tokens that expire and are revoked, the product's own
error pages, and read-only audit records in the admin."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from screening.models import ApiClient, Decision, Handout, KnowledgeBaseVersion, Screening

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def test_the_deploy_check_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pharmacy.example.org",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_carries_a_content_security_policy_without_inline_script(
    client, pharmacist, knowledge_base
):
    client.force_login(pharmacist)
    for path in ["/", "/screenings/", "/decisions/", "/api/v1/docs/", "/accounts/login/"]:
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy
        html = response.content.decode()
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S):
            assert script.strip() == "", f"inline script on {path}"


def test_forms_refuse_a_post_without_the_csrf_token_and_say_what_to_do(pharmacist, knowledge_base):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pharmacist)

    response = client.post("/", {"medications": "Lasix"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "The form had expired" in page and "reload the page" in page
    assert Screening.objects.count() == 0


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_sign_in_is_locked_after_repeated_failures_for_that_user_and_address(
    pharmacist, colleague, settings
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "alice", "wrong password").status_code == 200
    assert _sign_in(client, "alice", "wrong password").status_code == 429

    locked = _sign_in(client, "alice", PASSWORD)

    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # the same person from another address, and a colleague from this one, still sign in
    assert _sign_in(Client(), "alice", PASSWORD, address="10.0.0.8").status_code == 302
    assert _sign_in(Client(), "bob", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(pharmacist, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "alice", "wrong password")
    assert _sign_in(client, "alice", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(Client(), "alice", "wrong password")

    assert _sign_in(Client(), "alice", PASSWORD).status_code == 302


def _token_api(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def _new_client(name: str, **options) -> str:
    out = StringIO()
    call_command("create_api_client", name, stdout=out, stderr=StringIO(), **options)
    return out.getvalue().strip().splitlines()[-1]


def test_api_tokens_expire(knowledge_base, settings):
    token = _new_client("Dispensing system")
    client = ApiClient.objects.get(name="Dispensing system")
    lifetime = client.expiry_date - timezone.now()
    assert abs(lifetime - datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)).days <= 1
    assert _token_api(token).get("/api/v1/supplements/").status_code == 200

    client.expiry_date = timezone.now() - datetime.timedelta(seconds=1)
    client.save(update_fields=["expiry_date"])

    response = _token_api(token).get("/api/v1/supplements/")
    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_a_revoked_token_is_refused_at_once(knowledge_base):
    token = _new_client("Old terminal", expires_in_days=30)
    api = _token_api(token)
    assert api.get("/api/v1/supplements/").status_code == 200
    prefix = token.split(".")[0]

    out = StringIO()
    call_command("revoke_api_client", prefix, stdout=out)

    assert "revoked" in out.getvalue()
    assert api.get("/api/v1/supplements/").status_code == 401
    with pytest.raises(CommandError, match="No API client"):
        call_command("revoke_api_client", "no-such-client", stdout=StringIO())


def test_a_login_without_a_pharmacy_gets_a_page_that_says_what_to_do(django_user_model):
    stranger = django_user_model.objects.create_user(username="temp", password=PASSWORD)
    client = Client()
    client.force_login(stranger)

    response = client.get("/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "does not belong to a pharmacy" in page
    assert "ask your pharmacy" in page.lower() and "Forbidden" not in page


def test_a_missing_page_is_the_products_own_page(client, pharmacist):
    client.force_login(pharmacist)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "New screening" in page
    assert "Not Found</h1>" not in page  # Django's bare page


def test_an_expired_session_sends_the_pharmacist_to_sign_in_and_says_why(client, pharmacist):
    client.force_login(pharmacist)
    client.session.flush()
    client.cookies.clear()

    response = client.get("/screenings/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "your session ended" in response.content.decode()


def test_the_admin_is_for_staff_only(client, pharmacist):
    client.force_login(pharmacist)

    response = client.get("/admin/screening/decision/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", [Decision, Screening, Handout, KnowledgeBaseVersion])
def test_audit_records_cannot_be_added_changed_or_deleted_in_the_admin(
    admin_client, model, knowledge_base
):
    from django.contrib import admin

    model_admin = admin.site._registry[model]
    request = admin_client.get("/admin/").wsgi_request

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    opts = model._meta
    assert admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").status_code == 403


def test_the_admin_login_is_locked_out_too(django_user_model, settings):
    django_user_model.objects.create_superuser(username="root", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "root", "password": "nope"},
            REMOTE_ADDR="10.0.0.9",
        )

    response = client.post(
        reverse("admin:login"),
        {"username": "root", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 429


def test_behind_the_proxy_lockout_follows_the_address_the_proxy_saw(pharmacist, settings):
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request arrives from the proxy
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(
            "/accounts/login/",
            {"username": "alice", "password": "guess"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **proxy,
        )

    # alice, at the counter behind the same proxy, still signs in
    response = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert response.status_code == 302
    # and the address the proxy appended is the one counted, not one the client made up
    spoofed = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
        **proxy,
    )
    assert spoofed.status_code == 429
