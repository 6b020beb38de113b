"""No token, secret, patient name or medication list in any log line at INFO or above.

A full day's work in one process — a screening through the API, a handout rendered by the
task the worker runs, a counter screening, a CDS Hooks call with a refused token, a failed
sign-in — with every logger captured at INFO, then searched."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from screening.models import ApiClient, Handout
from screening.tasks import render_handout

pytestmark = pytest.mark.django_db(transaction=True)

PATIENT_NAME = "Philippa Quenby-Harcourt"
MEDICINES = ["Zestoretic 20/12.5 mg one daily", "simvastatin 40 mg at night", "clarithromycin 500"]
SUPPLEMENT = "magnesium glycinate 200 mg"


def test_logs_hold_no_secret_patient_name_or_medicine(caplog, knowledge_base, pharmacy, pharmacist):
    _, token = ApiClient.objects.create_key(name="dispensing system", pharmacy=pharmacy)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    caplog.set_level(logging.INFO)

    screening = api.post(
        "/api/v1/screenings/",
        {
            "medications": MEDICINES,
            "supplements": [SUPPLEMENT],
            "patient": {"reference": "MRN-884211"},
        },
        format="json",
    ).json()
    handout = api.post(
        f"/api/v1/screenings/{screening['id']}/handouts/",
        {"language": "en", "patient_name": PATIENT_NAME},
        format="json",
    ).json()
    assert render_handout.apply(args=[handout["id"]]).get() == "ready"
    assert Handout.objects.get(id=handout["id"]).status == Handout.Status.READY
    counter = Client()
    counter.force_login(pharmacist)
    counter.post("/", {"medications": "\n".join(MEDICINES), "other_supplements": SUPPLEMENT})
    APIClient().post(
        "/cds-services/leg-cramp-order-sign",
        {"hook": "order-sign", "context": {"patientId": "MRN-884211"}},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {token}x",
    )
    Client().post("/accounts/login/", {"username": "alice", "password": "my secret passphrase"})
    api.post("/api/v1/screenings/", {"medications": ["x" * 600]}, format="json")  # a 400

    records = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert records, "nothing was logged: the capture is not working"
    text = "\n".join(
        record.getMessage()
        + "\n"
        + (caplog.handler.formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in records
    )
    forbidden = [
        token,
        token.split(".")[1],
        settings.SECRET_KEY,
        PATIENT_NAME,
        "Quenby",
        "MRN-884211",
        "my secret passphrase",
        SUPPLEMENT,
        *MEDICINES,
        "clarithromycin",
        "simvastatin",
    ]
    leaked = [value for value in forbidden if value.lower() in text.lower()]
    assert leaked == [], leaked
