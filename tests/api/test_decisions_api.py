"""Acknowledging and overriding through the API, and alerts not raised twice."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from screening.models import Decision, Screening

LIST = {
    "medications": ["simvastatin 40 mg", "clarithromycin 500 mg", "furosemide 40 mg"],
    "supplements": [],
}
INTERACTION = "interaction:simvastatin_strong_cyp3a4"


def _screen(api, reference=None, medications=None):
    body = {**LIST, "medications": medications or LIST["medications"]}
    if reference:
        body["patient"] = {"reference": reference}
    response = api.post("/api/v1/screenings/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _interaction_key(screening):
    return next(i["key"] for i in screening["issues"] if i["kind"] == "interaction")


def _decide(api, screening, **body):
    return api.post(f"/api/v1/screenings/{screening['id']}/decisions/", body, format="json")


def test_every_issue_comes_with_a_key_most_urgent_first(api):
    screening = _screen(api)

    kinds = [issue["kind"] for issue in screening["issues"]]
    assert kinds[0] == "interaction" and "finding" in kinds
    assert screening["issues"][0]["severity"] == "critical"
    assert all(issue["key"].startswith(issue["kind"] + ":") for issue in screening["issues"])


def test_an_override_records_who_when_why_and_the_knowledge_base_version(api):
    screening = _screen(api)
    key = _interaction_key(screening)

    response = _decide(
        api,
        screening,
        issue_key=key,
        outcome="overridden",
        reason="prescriber-aware",
        comment="Statin held for the course.",
    )

    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["decided_by"] == "API client dispensing system"
    assert decision["knowledge_base_version"] == screening["knowledge_base"]["version"]
    again = api.get(f"/api/v1/screenings/{screening['id']}/").json()
    assert again["decisions"][0]["reason"] == "prescriber-aware"
    assert again["decisions"][0]["comment"] == "Statin held for the course."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "overridden"}, "reason"),
        ({"outcome": "acknowledged", "reason": "other"}, "reason"),
        ({"outcome": "deleted"}, "outcome"),
    ],
)
def test_a_decision_that_does_not_fit_is_a_400_naming_the_field(api, body, field):
    screening = _screen(api)

    response = _decide(api, screening, issue_key=_interaction_key(screening), **body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Decision.objects.exists()


def test_an_issue_the_screening_does_not_have_is_refused(api):
    screening = _screen(api)

    response = _decide(api, screening, issue_key="interaction:nothing", outcome="acknowledged")

    assert response.status_code == 400
    assert "issue_key" in response.json()["fields"]


def test_another_pharmacy_cannot_decide_about_it(api, outsider_api):
    screening = _screen(api)

    response = _decide(
        outsider_api, screening, issue_key=_interaction_key(screening), outcome="acknowledged"
    )

    assert response.status_code == 404


def test_an_acknowledged_issue_is_reported_for_the_same_patient_and_medicines_only(api):
    first = _screen(api, reference="MRN-1001")
    _decide(api, first, issue_key=_interaction_key(first), outcome="acknowledged")

    same = _screen(api, reference="MRN-1001")
    other_patient = _screen(api, reference="MRN-2002")
    other_medicines = _screen(
        api, reference="MRN-1001", medications=["simvastatin 40 mg", "itraconazole 100 mg"]
    )
    anonymous = _screen(api)

    assert [d["issue_key"] for d in same["earlier_decisions"]] == [_interaction_key(first)]
    assert other_patient["earlier_decisions"] == []
    assert other_medicines["earlier_decisions"] == []
    assert anonymous["earlier_decisions"] == []
    # who the patient is is kept as a keyed hash only
    stored = Screening.objects.get(id=same["id"])
    assert "MRN-1001" not in str(stored.request) and len(stored.patient_key) == 64


def test_a_decision_is_a_mitigation_on_the_fhir_detected_issue(api):
    screening = _screen(api)
    key = _interaction_key(screening)
    _decide(api, screening, issue_key=key, outcome="overridden", reason="will-monitor")

    bundle = api.get(
        f"/api/v1/screenings/{screening['id']}/", HTTP_ACCEPT="application/fhir+json"
    ).json()

    Bundle.model_validate(bundle)
    issue = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["identifier"][0]["value"] == key
    )
    (mitigation,) = issue["mitigation"]
    assert mitigation["action"]["coding"][0]["code"] == "9"
    assert mitigation["author"]["display"] == "API client dispensing system"


def test_the_same_patient_id_from_another_system_is_another_patient(api, colleague_api):
    """Two systems of one pharmacy may both number a patient MRN-1001 and mean two people."""
    first = _screen(api, reference="MRN-1001")
    _decide(api, first, issue_key=_interaction_key(first), outcome="acknowledged")

    from_the_other_system = _screen(colleague_api, reference="MRN-1001")

    assert from_the_other_system["earlier_decisions"] == []
