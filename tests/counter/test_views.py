"""The counter screen through Django's test client: access, validation, confirmation, lists."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from screening.models import Screening
from screening.services.screenings import screening_create

A_LIST = "Zestoretic 20/12.5 mg daily\n\nfurosimide 40mg\nasdfgh qwerty\n"


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(knowledge_base, pharmacist) -> Client:
    return _client_for(pharmacist)


@pytest.fixture
def mallory(knowledge_base, outsider) -> Client:
    return _client_for(outsider)


def _screen(client: Client, **data) -> Screening:
    response = client.post(reverse("counter:screen"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Screening.objects.get(id=response["Location"].split("/")[2])


def _textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return match.group(1)


# --- Access ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("counter:screen"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_login_page_logs_a_pharmacist_in_and_opens_the_counter_screen(client, pharmacist):
    assert client.get(reverse("login")).status_code == 200

    response = client.post(
        reverse("login"), {"username": "alice", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("counter:screen")


def test_an_account_without_a_pharmacy_cannot_screen(knowledge_base):
    staff = get_user_model().objects.create_user(
        username="admin-only", password="a-long-test-password"
    )
    client = _client_for(staff)

    assert client.get(reverse("counter:screen")).status_code == 403
    assert client.post(reverse("counter:screen"), {"medications": "lisinopril"}).status_code == 403
    assert not Screening.objects.exists()


def test_an_outsider_gets_404_for_another_pharmacys_screening(alice, mallory):
    screening = _screen(alice, medications=A_LIST)

    detail = reverse("counter:screening-detail", args=[screening.id])
    assert mallory.get(detail).status_code == 404
    choose = reverse("counter:screening-choose-line", args=[screening.id])
    assert (
        mallory.post(
            choose, {"list_name": "medications", "index": 1, "name": "furosemide"}
        ).status_code
        == 404
    )
    handout = reverse("counter:handout-create", args=[screening.id])
    assert mallory.post(handout, {"language": "en"}).status_code == 404
    assert Screening.objects.count() == 1


def test_a_colleague_at_the_same_pharmacy_can_reopen_the_screening(alice, colleague):
    screening = _screen(alice, medications=A_LIST)

    response = _client_for(colleague).get(reverse("counter:screening-detail", args=[screening.id]))

    assert response.status_code == 200
    assert "Zestoretic 20/12.5 mg daily" in response.content.decode()


# --- Screening ----------------------------------------------------------------------------


def test_a_screen_stores_one_line_per_non_blank_line_and_shows_the_results(alice, pharmacist):
    screening = _screen(
        alice, medications=A_LIST, common_supplements=["potassium"], supplements="Mag-Ox 400\n\n"
    )

    assert screening.source == "counter"
    assert screening.created_by == pharmacist
    assert screening.request["medications"] == [
        "Zestoretic 20/12.5 mg daily",
        "furosimide 40mg",
        "asdfgh qwerty",
    ]
    assert screening.request["supplements"] == ["Mag-Ox 400", "potassium"]
    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()
    assert "Thiazide and thiazide-like diuretics" in page
    assert "Confirm furosemide" in page
    assert "Check by hand" in page
    assert "Potassium" in page


def test_patient_factors_are_passed_to_the_engine(alice):
    screening = _screen(
        alice, medications="atorvastatin 40 mg", age="71", egfr="28", symptoms=["dark_urine"]
    )

    assert screening.request["patient"] == {"age": 71, "egfr": 28.0, "symptoms": ["dark_urine"]}
    assert screening.result["red_flags"], "dark urine on a statin is a red flag"
    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()
    assert "Warning signs: act on these first" in page


def test_hostile_input_is_shown_as_text(alice):
    screening = _screen(alice, medications="<script>alert('x')</script>\nlisinopril")

    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page


def test_the_stored_screening_reopens_with_the_form_filled_as_it_was(alice):
    screening = _screen(
        alice,
        medications=A_LIST,
        common_supplements=["vitamin D"],
        supplements="fish oil",
        age="80",
    )

    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()

    assert (
        _textarea(page, "medications").strip()
        == "Zestoretic 20/12.5 mg daily\nfurosimide 40mg\nasdfgh qwerty"
    )
    assert _textarea(page, "supplements").strip() == "fish oil"
    assert re.search(
        r'<input type="checkbox" name="common_supplements" value="vitamin D"[^>]*checked', page
    )
    assert 'name="age" value="80"' in page


# --- Bad input: said next to the field, text kept, nothing stored -----------------------------


@pytest.mark.parametrize(
    ("medications", "message"),
    [
        ("", "Enter at least one medicine"),
        ("\n   \n\n", "Enter at least one medicine"),
        ("\n".join(f"medicine {n}" for n in range(101)), "The list has 101 lines; at most 100"),
        ("x" * 10_000, "line 1 has 10,000"),
        ("lisinopril\n" + "y" * 501, "line 2 has 501"),
    ],
    ids=["empty", "only-blank-lines", "101-lines", "10000-character-paste", "one-line-over-500"],
)
def test_bad_input_is_explained_next_to_the_field_kept_and_not_stored(alice, medications, message):
    response = alice.post(
        reverse("counter:screen"), {"medications": medications, "supplements": "magnesium"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_medications_error"' in page
    assert re.search(
        r'<textarea name="medications"[^>]*aria-describedby="[^"]*id_medications_error', page
    )
    assert re.search(r'<textarea name="medications"[^>]*aria-invalid="true"', page)
    if medications.strip():
        assert _textarea(page, "medications").strip() == medications.strip()
    assert _textarea(page, "supplements").strip() == "magnesium"
    assert not Screening.objects.exists()


def test_more_than_fifty_supplements_are_refused(alice):
    typed = "\n".join(f"herb {n}" for n in range(50))

    response = alice.post(
        reverse("counter:screen"),
        {"medications": "lisinopril", "supplements": typed, "common_supplements": ["calcium"]},
    )

    assert response.status_code == 400
    assert "There are 51 supplements; at most 50" in response.content.decode()
    assert not Screening.objects.exists()


def test_an_impossible_age_is_refused_next_to_the_field(alice):
    response = alice.post(reverse("counter:screen"), {"medications": "lisinopril", "age": "300"})

    assert response.status_code == 400
    assert 'id="id_age_error"' in response.content.decode()
    assert not Screening.objects.exists()


# --- Confirming a probable line -------------------------------------------------------------


def test_confirming_a_probable_line_stores_a_new_corrected_screening(alice):
    first = _screen(alice, medications=A_LIST)
    assert first.result["medications"][1]["status"] == "probable"

    response = alice.post(
        reverse("counter:screening-choose-line", args=[first.id]),
        {"list_name": "medications", "index": "1", "name": "furosemide"},
    )

    assert response.status_code == 302
    corrected = Screening.objects.exclude(id=first.id).get()
    assert (
        response["Location"]
        == reverse("counter:screening-detail", args=[corrected.id]) + "#line-medications-1"
    )
    assert corrected.request["medications"] == [
        "Zestoretic 20/12.5 mg daily",
        "furosemide 40mg",
        "asdfgh qwerty",
    ]
    line = corrected.result["medications"][1]
    assert line["status"] == "matched"
    assert line["ingredients"] == ["furosemide"]
    loop = next(f for f in corrected.result["findings"] if f["drug_class"] == "loop_diuretic")
    assert loop["needs_confirmation"] is False
    first.refresh_from_db()
    assert first.request["medications"][1] == "furosimide 40mg", (
        "the old screening is kept as it was"
    )


def test_a_name_the_engine_did_not_offer_is_refused(alice):
    first = _screen(alice, medications=A_LIST)

    response = alice.post(
        reverse("counter:screening-choose-line", args=[first.id]),
        {"list_name": "medications", "index": "1", "name": "warfarin"},
    )

    assert response.status_code == 400
    assert Screening.objects.count() == 1


# --- Recent screenings ---------------------------------------------------------------------


def test_the_recent_list_shows_only_the_pharmacys_own_screenings(
    alice, mallory, colleague, pharmacy, other_pharmacy
):
    _screen(alice, medications="lisinopril 10 mg")
    screening_create(
        pharmacy=pharmacy, medications=["atorvastatin 40 mg"], source="counter", user=colleague
    )
    screening_create(
        pharmacy=other_pharmacy, medications=["secret-outsider-medicine"], source="api"
    )

    page = alice.get(reverse("counter:screening-list")).content.decode()

    assert "lisinopril 10 mg" in page
    assert "atorvastatin 40 mg" in page
    assert "secret-outsider-medicine" not in page
    outsider_page = mallory.get(reverse("counter:screening-list")).content.decode()
    assert "lisinopril 10 mg" not in outsider_page
    assert "secret-outsider-medicine" in outsider_page


# --- Handouts ---------------------------------------------------------------------------


def test_asking_for_a_handout_answers_with_where_to_follow_it(alice, mallory):
    screening = _screen(alice, medications="atorvastatin 40 mg")

    response = alice.post(
        reverse("counter:handout-create", args=[screening.id]),
        {"language": "es", "patient_name": "Ana"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 202
    status = response.json()
    handout = screening.handouts.get()
    assert (handout.language, handout.patient_name, handout.pharmacist_name) == (
        "es",
        "Ana",
        "alice",
    )
    assert status["status"] == "queued"
    assert status["pdf_url"] is None
    assert alice.get(status["status_url"]).json()["id"] == str(handout.id)
    assert mallory.get(status["status_url"]).status_code == 404
    assert mallory.get(status["page_url"]).status_code == 404


def test_without_javascript_the_handout_page_refreshes_until_the_pdf_is_ready(alice):
    screening = _screen(alice, medications="atorvastatin 40 mg")

    response = alice.post(
        reverse("counter:handout-create", args=[screening.id]), {"language": "en"}
    )

    handout = screening.handouts.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("counter:handout-detail", args=[handout.id])
    page = alice.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Open the handout" not in page

    handout.status = "ready"
    handout.pdf.name = "handouts/test/handout.pdf"
    handout.save()
    page = alice.get(response["Location"]).content.decode()
    assert "refresh" not in page
    assert reverse("api-v1:handout-pdf", args=[handout.id]) in page
    assert alice.get(reverse("counter:handout-status", args=[handout.id])).json()[
        "pdf_url"
    ] == reverse("api-v1:handout-pdf", args=[handout.id])


def test_a_handout_language_outside_the_site_languages_is_refused(alice):
    screening = _screen(alice, medications="atorvastatin 40 mg")

    response = alice.post(
        reverse("counter:handout-create", args=[screening.id]), {"language": "xx"}
    )

    assert response.status_code == 400
    assert not screening.handouts.exists()


def test_asking_again_reuses_the_handout_unless_the_patient_name_changed(alice):
    screening = _screen(alice, medications="atorvastatin 40 mg")
    url = reverse("counter:handout-create", args=[screening.id])

    first = alice.post(
        url, {"language": "en", "patient_name": "Ana"}, HTTP_ACCEPT="application/json"
    )
    again = alice.post(
        url, {"language": "en", "patient_name": "Ana"}, HTTP_ACCEPT="application/json"
    )
    renamed = alice.post(
        url, {"language": "en", "patient_name": "Anna"}, HTTP_ACCEPT="application/json"
    )

    assert first.json()["id"] == again.json()["id"]
    assert renamed.json()["id"] != first.json()["id"]
    assert screening.handouts.get(id=renamed.json()["id"]).patient_name == "Anna"
