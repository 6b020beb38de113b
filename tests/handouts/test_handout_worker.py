"""Handouts made by a REAL Celery worker process, asked for through the API, read back
from the real PDF."""

import pytest

from tests.handouts.pdf_reading import pdf_page_count, pdf_text
from tests.handouts.results import TYPICAL
from tests.handouts.worker_process import wait_for_status

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SAFETY = {
    "en": [
        "Do not stop taking any medicine on your own.",
        "Talk with your prescriber before you change how you take a medicine.",
    ],
    "es": [
        "No deje de tomar ningún medicamento por su cuenta.",
        "Hable con su médico antes de cambiar la forma en que toma un medicamento.",
    ],
}
NOT_CHECKED = {
    "en": "Ask your pharmacist about: Zumo de ñame",
    "es": "Pregunte a su farmacéutico por: Zumo de ñame",
}
ATORVASTATIN = {"en": "Lipitor 40 mg (atorvastatin)", "es": "Lipitor 40 mg (atorvastatina)"}


def expected(language: str) -> list[str]:
    """What the PDF must say: the safety message first, then the knowledge base's own
    words for this screening in that language, and the line it could not check."""
    return [
        *SAFETY[language],
        ATORVASTATIN[language],
        TYPICAL.findings[0].patient_texts[language],
        TYPICAL.warning_signs[0].texts[language],
        NOT_CHECKED[language],
    ]


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_worker_makes_the_handout_asked_for_through_the_api(
    worker, pharmacy_api, make_screening, language
):
    # given a screening with five medicines, two findings and two supplement cautions
    screening = make_screening(TYPICAL)

    # when a handout is asked for
    accepted = pharmacy_api.post(
        f"/api/v1/screenings/{screening.id}/handouts/",
        {"language": language, "patient_name": "Ayşe İğdır Núñez", "pharmacist_name": "Bob"},
        format="json",
    )
    assert accepted.status_code == 202, accepted.content

    # then the worker makes it ready
    body = wait_for_status(pharmacy_api, accepted.json()["id"], worker=worker)
    assert body["status"] == "ready", f"{body}\n{worker.log_tail()}"

    # and the PDF carries the safety message, the medicines as entered and their generic
    # names, with every accented letter intact, on one or two pages
    pdf = download(pharmacy_api, body["pdf"])
    text = " ".join(pdf_text(pdf).split())
    for sentence in expected(language):
        assert " ".join(sentence.split()) in text
    assert "Ayşe İğdır Núñez" in text and "hydrochlorothiazide 25 mg" in text
    assert "1 po qam" not in text  # the medicines as the patient knows them, no directions
    assert 1 <= body["page_count"] <= 2 and pdf_page_count(pdf) == body["page_count"]
    assert text.index(SAFETY[language][0]) < text.index(ATORVASTATIN[language])

    # and the HTML says the same
    html = download(pharmacy_api, body["html"]).decode()
    assert SAFETY[language][0] in html and "Ayşe İğdır Núñez" in html

    # and the English text reads at grade 6 or lower
    if language == "en":
        assert body["readability_grade"] <= 6
