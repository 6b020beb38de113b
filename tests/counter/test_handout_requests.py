"""Asking for a handout at the counter with odd input: refused by field, or stored whole."""

import pytest
from django.test import Client
from django.urls import reverse

from screening.models import Handout, Pharmacist
from screening.services.screenings import screening_create


@pytest.fixture
def alice(knowledge_base, pharmacist) -> Client:
    client = Client()
    client.force_login(pharmacist)
    return client


@pytest.fixture
def handout_url(pharmacist) -> str:
    screening = screening_create(
        pharmacy=Pharmacist.objects.get(user=pharmacist).pharmacy,
        medications=["atorvastatin 40 mg"],
        source="counter",
        user=pharmacist,
    )
    return reverse("counter:handout-create", args=[screening.id])


def test_a_pharmacist_with_a_very_long_name_still_gets_a_handout(alice, pharmacist, handout_url):
    # Django allows 150 + 150 characters of name; PostgreSQL refuses more than the 120
    # the handout keeps, and the request failed with a 500.
    pharmacist.first_name, pharmacist.last_name = "A" * 150, "B" * 150
    pharmacist.save()

    response = alice.post(handout_url, {"language": "en"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 202
    handout = Handout.objects.get()
    assert handout.pharmacist_name == "A" * 120


@pytest.mark.parametrize("patient_name", ["<b>Ana</b>", "Ana\u202e", "Ana\x07"])
def test_a_patient_name_that_is_not_plain_text_is_refused_as_by_the_api(
    alice, handout_url, patient_name
):
    response = alice.post(
        handout_url,
        {"language": "en", "patient_name": patient_name},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "patient_name" in response.json()["errors"]
    assert not Handout.objects.exists()


def test_without_javascript_a_refused_handout_names_the_field_at_fault(alice, handout_url):
    response = alice.post(handout_url, {"language": "en", "patient_name": "x" * 121})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Patient name on the handout" in text and "120 characters" in text
    assert "language" not in text
    assert not Handout.objects.exists()
