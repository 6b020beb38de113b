"""The API and the counter ask for handouts through one service: the same requests get the
same answers at both doors (which handout, which language, a fresh one when a name changes)."""

import pytest

from screening.models import Handout
from tests.handouts.results import KIDNEYS_AND_QUININE, TYPICAL

pytestmark = pytest.mark.django_db

# (language, patient name), in order, and whether the answer is the previous handout
REQUESTS = [
    (("en", "Ann Lee"), False),
    (("en", "Ann Lee"), True),  # the same request: the same handout
    (("en", "Anna Lee"), False),  # a corrected name prints on a fresh handout
    (("es", "Anna Lee"), False),  # another language is another handout
    (("es", "Anna Lee"), True),
]


def ask_api(client, screening, language, patient_name):
    response = client.post(
        f"/api/v1/screenings/{screening.id}/handouts/",
        {"language": language, "patient_name": patient_name, "pharmacist_name": "alice"},
        format="json",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def ask_counter(client, screening, language, patient_name):
    response = client.post(
        f"/screenings/{screening.id}/handouts/",
        {"language": language, "patient_name": patient_name},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


@pytest.mark.parametrize("door", ["api", "counter"])
def test_both_doors_answer_the_same_requests_the_same_way(
    door, make_screening, pharmacy_api, client, pharmacist
):
    client.force_login(pharmacist)
    ask = ask_api if door == "api" else ask_counter
    caller = pharmacy_api if door == "api" else client
    screening = make_screening(TYPICAL)

    answers = []
    for (language, name), same_as_before in REQUESTS:
        handout_id = ask(caller, screening, language, name)
        if answers:
            assert (handout_id == answers[-1]) is same_as_before, (language, name)
        answers.append(handout_id)

    handouts = Handout.objects.filter(screening=screening)
    assert handouts.count() == 3
    assert sorted(handouts.values_list("language", "patient_name")) == [
        ("en", "Ann Lee"),
        ("en", "Anna Lee"),
        ("es", "Anna Lee"),
    ]


def test_both_doors_default_to_the_patients_language_from_the_result(
    make_screening, pharmacy_api, client, pharmacist
):
    client.force_login(pharmacist)
    screening = make_screening(KIDNEYS_AND_QUININE)  # the patient's language is Spanish

    from_api = pharmacy_api.post(
        f"/api/v1/screenings/{screening.id}/handouts/", {}, format="json"
    ).json()["id"]
    page = client.get(f"/screenings/{screening.id}/")

    assert Handout.objects.get(id=from_api).language == "es"
    assert page.context["handout_form"].initial["language"] == "es"
