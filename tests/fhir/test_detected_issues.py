"""GET /api/v1/screenings/{id}/ with Accept: application/fhir+json: DetectedIssues."""

from fhir.resources.R4B.bundle import Bundle

from tests.fhir.resources import pharmacy_bundle

FHIR_JSON = "application/fhir+json"


def _screening(api, medications, supplements=(), patient=None):
    response = api.post(
        "/api/v1/screenings/",
        {"medications": medications, "supplements": list(supplements), "patient": patient},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _as_fhir(api, screening_id):
    response = api.get(f"/api/v1/screenings/{screening_id}/", HTTP_ACCEPT=FHIR_JSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    return response.json()


def test_the_result_is_a_valid_bundle_of_detected_issues_pointing_at_the_input(api):
    screening = _screening(api, [pharmacy_bundle()], ["magnesium oxide 400 mg"], {"egfr": 25})

    bundle = _as_fhir(api, screening["id"])

    parsed = Bundle.model_validate(bundle)  # the model library accepts it as FHIR R4B
    assert parsed.type == "collection"
    issues = [entry.resource for entry in parsed.entry]
    assert {issue.get_resource_type() for issue in issues} == {"DetectedIssue"}
    interaction = next(i for i in issues if i.code.coding[0].code == "DRG")
    assert interaction.severity == "high"
    implicated = {reference.reference for reference in interaction.implicated}
    assert implicated == {
        "https://ehr.example.org/fhir/MedicationRequest/mr-simva",
        "https://ehr.example.org/fhir/MedicationStatement/ms-clari",
    }
    # the basis: matched text, rule, evidence and knowledge-base version, with references
    assert "Basis: line" in interaction.detail
    assert screening["knowledge_base"]["version"] in interaction.detail
    assert interaction.evidence and interaction.reference
    kinds = {coding.code for issue in issues for coding in issue.code.coding}
    assert {"cramp-linked-medicine", "supplement-caution", "interaction"} <= kinds


def test_a_finding_on_an_unconfirmed_line_is_preliminary(api):
    screening = _screening(api, ["furosimide 40 mg"])

    bundle = _as_fhir(api, screening["id"])

    finding = bundle["entry"][0]["resource"]
    assert finding["status"] == "preliminary"
    # a line sent as text is named as the patient wrote it
    assert finding["implicated"] == [{"display": "furosimide 40 mg"}]


def test_a_line_that_could_not_be_screened_is_an_issue_too(api):
    screening = _screening(api, ["zzqx 10 mg"])

    bundle = _as_fhir(api, screening["id"])

    (entry,) = bundle["entry"]
    assert entry["resource"]["code"]["coding"][-1]["code"] == "not-screened"
    assert "zzqx" in entry["resource"]["detail"]


def test_json_is_still_the_default(api):
    screening = _screening(api, ["Lasix 40 mg"])

    response = api.get(f"/api/v1/screenings/{screening['id']}/")

    assert response["Content-Type"] == "application/json"
    assert response.json()["id"] == screening["id"]


def test_another_pharmacy_cannot_read_it_as_fhir_either(api, outsider_api):
    screening = _screening(api, ["Lasix 40 mg"])

    response = outsider_api.get(f"/api/v1/screenings/{screening['id']}/", HTTP_ACCEPT=FHIR_JSON)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
