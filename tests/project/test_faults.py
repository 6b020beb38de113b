"""Faults injected into real components, and what the caller sees: the database away, the
broker away, a request that died after its work was saved and is sent again."""

import datetime
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from screening.models import Handout, IdempotencyRecord, Screening
from screening.services.handouts import handouts_requeue_stalled
from screening.tasks import render_handout

pytestmark = pytest.mark.django_db


@contextmanager
def database_unreachable():
    """Every new cursor fails as it does when the server is down or the network is cut."""

    def refuse(self):
        raise OperationalError("connection refused (injected)")

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


def test_the_database_away_is_a_503_everywhere_and_the_service_recovers(api, pharmacist):
    # As a browser sees it: the test client would re-raise what Django's handler answered.
    counter = Client(raise_request_exception=False)
    counter.force_login(pharmacist)

    with database_unreachable():
        from_api = api.post("/api/v1/screenings/", {"medications": ["Lasix"]}, format="json")
        from_counter = counter.get("/screenings/")
        health = Client().get("/healthz")

    assert from_api.status_code == 503
    assert from_api.json()["error"] == "unavailable" and from_api["Retry-After"]
    assert from_counter.status_code == 503
    page = from_counter.content.decode()
    assert "temporarily unavailable" in page and "Traceback" not in page
    assert health.status_code == 503 and health.json()["checks"]["database"] is False
    # back by itself: the next requests work
    assert (
        api.post("/api/v1/screenings/", {"medications": ["Lasix"]}, format="json").status_code
        == 201
    )
    assert counter.get("/screenings/").status_code == 200
    assert Client().get("/healthz").json()["checks"]["database"] is True


def test_a_handout_asked_for_while_the_broker_is_down_is_kept_and_sent_when_it_returns(
    api, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    screening = api.post("/api/v1/screenings/", {"medications": ["Lasix 40 mg"]}, format="json")
    sent = []

    with (
        mock.patch(
            "celery.app.base.Celery.send_task", side_effect=BrokerUnreachable("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        asked = api.post(
            f"/api/v1/screenings/{screening.json()['id']}/handouts/",
            {"language": "en"},
            format="json",
        )

    assert asked.status_code == 202 and asked.json()["status"] == "queued"
    handout = Handout.objects.get()
    assert handout.status == Handout.Status.QUEUED
    # The broker is back; a lease later, the sweep (every minute on the worker's beat) sends it
    later = timezone.now() + datetime.timedelta(seconds=settings.HANDOUT_LEASE_SECONDS + 1)
    with (
        mock.patch(
            "celery.app.base.Celery.send_task", side_effect=lambda *a, **k: sent.append(k["args"])
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert handouts_requeue_stalled(now=later) == [handout.id]

    assert sent == [[str(handout.id)]]
    assert render_handout.apply(args=sent[0]).get() == "ready"
    handout.refresh_from_db()
    assert handout.status == Handout.Status.READY and handout.pdf.name
    assert Handout.objects.count() == 1


KEY = "0b8f4a57-1f0e-4c55-9d5e-3a9e5f2c7d10"


def test_a_screening_sent_again_with_its_idempotency_key_is_stored_once(api):
    body = {"medications": ["simvastatin 40 mg", "clarithromycin 500 mg"]}

    first = api.post("/api/v1/screenings/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = api.post("/api/v1/screenings/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Screening.objects.count() == 1


def test_a_request_that_died_after_saving_is_answered_by_its_retry(api):
    """The worker dies between the commit and the response (here: the response fails)."""
    body = {"medications": ["Lasix 40 mg"]}
    with mock.patch(
        "screening.api.v1.screenings.screening_representation",
        side_effect=RuntimeError("worker killed"),
    ):
        died = api.post("/api/v1/screenings/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert died.status_code == 500 and died.json()["error"] == "server_error"
    assert Screening.objects.count() == 1  # the work was saved

    retry = api.post("/api/v1/screenings/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == str(Screening.objects.get().id)


def test_the_same_key_with_another_body_is_refused(api):
    api.post(
        "/api/v1/screenings/", {"medications": ["Lasix"]}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    other = api.post(
        "/api/v1/screenings/", {"medications": ["Zocor"]}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert Screening.objects.count() == 1


def test_keys_are_per_pharmacy_and_checked_for_shape(api, outsider_api):
    mine = api.post(
        "/api/v1/screenings/", {"medications": ["Lasix"]}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    theirs = outsider_api.post(
        "/api/v1/screenings/", {"medications": ["Lasix"]}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    bad = api.post(
        "/api/v1/screenings/",
        {"medications": ["Lasix"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="a key",
    )

    assert mine.json()["id"] != theirs.json()["id"]
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["fields"]
    assert IdempotencyRecord.objects.count() == 2


def test_a_handout_asked_for_again_with_its_key_is_one_handout(
    api, django_capture_on_commit_callbacks
):
    screening = api.post("/api/v1/screenings/", {"medications": ["Lasix"]}, format="json").json()
    url = f"/api/v1/screenings/{screening['id']}/handouts/"
    body = {"language": "en", "new": True}  # `new` would otherwise make a second one

    with (
        mock.patch("celery.app.base.Celery.send_task"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
        again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Handout.objects.count() == 1


def test_the_database_failing_outside_any_view_is_a_503_too(rf):
    """Django's 500 handler runs while the exception is handled: a session saved by
    middleware when the database went away is a 503 like the rest."""
    from screening.api.errors import server_error

    for path, kind in (("/screenings/", "text/html"), ("/api/v1/screenings/", "application/json")):
        try:
            raise OperationalError("connection refused (injected)")
        except OperationalError:
            response = server_error(rf.get(path))
        assert response.status_code == 503, path
        assert response["Content-Type"].startswith(kind) and response["Retry-After"]
