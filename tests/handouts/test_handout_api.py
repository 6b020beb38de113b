"""POST /api/v1/screenings/{id}/handouts/, GET /api/v1/handouts/{id}/ and its files: the
contract, who may see what (a pharmacist, a colleague, an outsider), and bad input.

The job itself runs here in-process through the real task (``render_handout.apply``);
tests/handouts/test_handout_worker.py runs it in a real worker process."""

import datetime

import pytest
from django.utils import timezone

from screening.models import Handout
from screening.services.handouts import handouts_purge_expired
from screening.tasks import render_handout
from tests.handouts.pdf_reading import pdf_text
from tests.handouts.results import KIDNEYS_AND_QUININE

pytestmark = pytest.mark.django_db


def ask(client, screening, **payload):
    return client.post(f"/api/v1/screenings/{screening.id}/handouts/", payload, format="json")


def render_now(handout_id) -> Handout:
    render_handout.apply(args=[str(handout_id)])
    return Handout.objects.get(id=handout_id)


def test_asking_for_a_handout_answers_202_at_once_with_where_to_look(pharmacy_api, make_screening):
    # given a screening of the caller's pharmacy
    screening = make_screening()

    # when a handout is asked for
    response = ask(pharmacy_api, screening, language="es", patient_name="Ana Núñez")

    # then it is accepted, queued, and the answer says where to follow it
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"id", "status", "url"}
    assert body["status"] == "queued"
    assert body["url"] == f"http://testserver/api/v1/handouts/{body['id']}/"
    handout = Handout.objects.get(id=body["id"])
    assert (handout.screening, handout.language, handout.patient_name) == (
        screening,
        "es",
        "Ana Núñez",
    )


def test_the_job_is_queued_only_when_the_request_commits(
    pharmacy_api, make_screening, django_capture_on_commit_callbacks
):
    screening = make_screening()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(pharmacy_api, screening, language="en")
        ask(pharmacy_api, screening, language="en")

    # one job for the new handout; none for asking again
    assert len(callbacks) == 1


def test_a_queued_handout_shows_its_state_and_no_files_yet(pharmacy_api, make_screening):
    screening = make_screening()
    handout_id = ask(pharmacy_api, screening, language="en").json()["id"]

    body = pharmacy_api.get(f"/api/v1/handouts/{handout_id}/").json()

    assert body["id"] == handout_id and body["screening"] == str(screening.id)
    assert body["language"] == "en" and body["status"] == "queued"
    assert body["pdf"] is None and body["html"] is None and body["error"] == ""
    assert body["readability_grade"] is None and body["page_count"] is None
    assert body["created"] and body["finished"] is None


def test_asking_again_returns_the_same_handout_unless_new_is_asked_for(
    pharmacy_api, make_screening
):
    screening = make_screening()
    first = ask(pharmacy_api, screening, language="en").json()

    again = ask(pharmacy_api, screening, language="en").json()
    other_language = ask(pharmacy_api, screening, language="es").json()
    fresh = ask(pharmacy_api, screening, language="en", new=True).json()

    assert again["id"] == first["id"]
    assert other_language["id"] != first["id"]
    assert fresh["id"] != first["id"] and fresh["status"] == "queued"
    # and the newest is what a later request gets
    assert ask(pharmacy_api, screening, language="en").json()["id"] == fresh["id"]


def test_a_ready_handout_is_returned_again_as_it_is(pharmacy_api, make_screening):
    screening = make_screening()
    handout_id = ask(pharmacy_api, screening, language="en").json()["id"]
    render_now(handout_id)

    again = ask(pharmacy_api, screening, language="en")

    assert (
        again.status_code == 202
        and again.json()["id"] == handout_id
        and again.json()["status"] == "ready"
    )


def test_a_failed_handout_is_asked_for_again(pharmacy_api, make_screening):
    screening = make_screening()
    handout_id = ask(pharmacy_api, screening, language="en").json()["id"]
    Handout.objects.filter(id=handout_id).update(status="failed", error="boom", attempts=5)

    again = ask(pharmacy_api, screening, language="en").json()

    assert again["id"] == handout_id and again["status"] == "queued"
    handout = Handout.objects.get(id=handout_id)
    assert handout.error == "" and handout.attempts == 0


def test_an_unknown_language_is_refused_naming_the_supported_ones(
    pharmacy_api, make_screening, supported_languages
):
    response = ask(pharmacy_api, make_screening(), language="fr")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and set(body["fields"]) == {"language"}
    message = body["fields"]["language"][0]
    assert all(code in message for code in supported_languages)


def test_without_a_language_the_handout_uses_the_site_language(
    pharmacy_api, make_screening, settings
):
    response = ask(pharmacy_api, make_screening())

    assert response.status_code == 202
    assert Handout.objects.get(id=response.json()["id"]).language == settings.LANGUAGE_CODE


def test_without_a_language_the_handout_uses_the_patients_language(pharmacy_api, make_screening):
    # given a screening whose result carries the patient's language
    screening = make_screening(KIDNEYS_AND_QUININE)

    response = ask(pharmacy_api, screening)

    assert Handout.objects.get(id=response.json()["id"]).language == "es"
    assert Handout.objects.get(id=ask(pharmacy_api, make_screening()).json()["id"]).language == "en"


def test_a_blank_language_is_refused(pharmacy_api, make_screening):
    response = ask(pharmacy_api, make_screening(), language="")

    assert response.status_code == 400 and "language" in response.json()["fields"]


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "Ann > Bob", "Ann\u0000", "Ann\nBob", "Ann\u202eBob", "x" * 121],
)
def test_a_patient_name_with_markup_control_characters_or_over_120_characters_is_refused(
    pharmacy_api, make_screening, name
):
    response = ask(pharmacy_api, make_screening(), language="en", patient_name=name)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"patient_name"}
    assert not Handout.objects.exists()


def test_a_long_accented_name_of_120_characters_is_fine(pharmacy_api, make_screening):
    response = ask(pharmacy_api, make_screening(), language="en", patient_name="Ñ" * 120)

    assert response.status_code == 202


@pytest.mark.parametrize(
    "payload", [{"paper": "a3"}, {"new": "perhaps"}, {"pharmacist_name": "<b>"}]
)
def test_other_bad_fields_are_refused_by_name(pharmacy_api, make_screening, payload):
    response = ask(pharmacy_api, make_screening(), language="en", **payload)

    assert response.status_code == 400 and set(response.json()["fields"]) == set(payload)


def test_a_screening_of_another_pharmacy_is_not_found(outsider_token_api, make_screening):
    response = ask(outsider_token_api, make_screening(), language="en")

    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert not Handout.objects.exists()


def test_a_caller_of_no_pharmacy_cannot_ask(anonymous_api, make_screening):
    response = ask(anonymous_api, make_screening(), language="en")

    assert response.status_code in {401, 403}


def test_a_ready_handout_links_its_files_and_shows_its_figures(pharmacy_api, make_screening):
    screening = make_screening()
    handout_id = ask(pharmacy_api, screening, language="en", paper="a4").json()["id"]
    render_now(handout_id)

    body = pharmacy_api.get(f"/api/v1/handouts/{handout_id}/").json()

    assert body["status"] == "ready" and body["paper"] == "a4"
    assert body["pdf"] == f"http://testserver/api/v1/handouts/{handout_id}/pdf/"
    assert body["html"] == f"http://testserver/api/v1/handouts/{handout_id}/html/"
    assert body["readability_grade"] <= 6 and 1 <= body["page_count"] <= 2
    assert body["finished"] and body["attempts"] == 1


def test_the_files_are_served_inline_to_the_same_pharmacy_by_token_or_session(
    pharmacy_api, colleague_session, make_screening
):
    handout_id = ask(pharmacy_api, make_screening(), language="es", patient_name="José").json()[
        "id"
    ]
    render_now(handout_id)

    pdf = colleague_session.get(
        f"/api/v1/handouts/{handout_id}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    html = pharmacy_api.get(f"/api/v1/handouts/{handout_id}/html/")

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert "No deje de tomar ningún medicamento" in pdf_text(b"".join(pdf.streaming_content))
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert html["Content-Disposition"].startswith("inline")
    assert html["Content-Security-Policy"].startswith("default-src 'none'")
    assert pdf["Cache-Control"] == html["Cache-Control"] == "private, no-store"
    assert "José" in b"".join(html.streaming_content).decode()


def test_an_outsider_gets_404_for_the_handout_and_its_files(
    pharmacy_api, outsider_session, outsider_token_api, make_screening
):
    handout_id = ask(pharmacy_api, make_screening(), language="en").json()["id"]
    render_now(handout_id)

    for outsider in (outsider_session, outsider_token_api):
        for path in ("", "pdf/", "html/"):
            response = outsider.get(f"/api/v1/handouts/{handout_id}/{path}")
            assert response.status_code == 404, (path, response.status_code)
            assert response.json()["error"] == "not_found"


def test_files_of_a_handout_that_is_not_ready_are_not_found(pharmacy_api, make_screening):
    handout_id = ask(pharmacy_api, make_screening(), language="en").json()["id"]

    assert pharmacy_api.get(f"/api/v1/handouts/{handout_id}/pdf/").status_code == 404


def test_an_unknown_handout_id_is_not_found(pharmacy_api):
    response = pharmacy_api.get("/api/v1/handouts/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404


def test_after_retention_the_files_and_patient_name_are_purged_and_the_rest_stays(
    pharmacy_api, make_screening, media_root, settings
):
    # given a ready handout older than the retention period
    screening = make_screening()
    handout_id = ask(pharmacy_api, screening, language="en", patient_name="Ana").json()["id"]
    handout = render_now(handout_id)
    files = [media_root / handout.pdf.name, media_root / handout.html.name]
    assert all(path.exists() for path in files)
    Handout.objects.filter(id=handout_id).update(
        created=timezone.now() - datetime.timedelta(days=settings.HANDOUT_RETENTION_DAYS + 1)
    )

    # when the purge runs
    purged = handouts_purge_expired()

    # then the files and the name are gone; the handout row and the screening stay
    assert purged == 1
    assert not any(path.exists() for path in files)
    handout.refresh_from_db()
    assert handout.patient_name == "" and handout.purged and handout.status == "expired"
    assert not handout.pdf and not handout.html
    assert screening.__class__.objects.filter(id=screening.id).exists()
    body = pharmacy_api.get(f"/api/v1/handouts/{handout_id}/").json()
    assert body["pdf"] is None and body["html"] is None and "removed" in body["note"]
    assert pharmacy_api.get(f"/api/v1/handouts/{handout_id}/pdf/").status_code == 404
    # and asking again makes a new handout
    assert ask(pharmacy_api, screening, language="en").json()["id"] != handout_id


def test_a_handout_within_retention_is_kept(pharmacy_api, make_screening):
    handout_id = ask(pharmacy_api, make_screening(), language="en", patient_name="Ana").json()["id"]
    render_now(handout_id)

    assert handouts_purge_expired() == 0
    assert Handout.objects.get(id=handout_id).patient_name == "Ana"
