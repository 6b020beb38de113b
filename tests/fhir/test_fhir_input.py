"""FHIR R4 medication resources sent to POST /api/v1/screenings/."""

import copy
import json

import pytest

from tests.fhir.resources import (
    HCTZ,
    PATIENT,
    RXNORM,
    SNOMED,
    medication_request,
    pharmacy_bundle,
)


def _screen(api, medications, supplements=()):
    return api.post(
        "/api/v1/screenings/",
        {"medications": medications, "supplements": list(supplements)},
        format="json",
    )


def test_a_pharmacy_systems_bundle_is_screened_line_by_line(api):
    response = _screen(api, [pharmacy_bundle()])

    assert response.status_code == 201, response.content
    body = response.json()
    hctz, simvastatin, clarithromycin, dispensed = body["medications"]
    # a coded line is read from its code's display (no RxNorm release is imported here)
    assert hctz["ingredients"] == ["hydrochlorothiazide"]
    assert hctz["source"] == {
        "resource_type": "MedicationRequest",
        "id": "mr-hctz",
        "reference": "https://ehr.example.org/fhir/MedicationRequest/mr-hctz",
        "status": "active",
        "reason": "",
    }
    assert simvastatin["match"]["method"] == "coding_display"
    assert simvastatin["ingredients"] == ["simvastatin"]
    # the contained Medication names the medicine
    assert clarithromycin["ingredients"] == ["clarithromycin"]
    # the dispense's NDC is read from its display and says an RxNorm release would read it
    assert dispensed["ingredients"] == ["hydrochlorothiazide"]
    assert "NDCs need an RxNorm release" in dispensed["reason"]
    # simvastatin with clarithromycin is the interaction a pharmacist must see
    assert any(
        set(i["medication_indexes"]) == {1, 2} and i["severity"] == "critical"
        for i in body["interactions"]
    )
    # the stopped statement and the patient are not screened, and the result says so
    not_screened = {r["id"]: r for r in body["not_screened_resources"]}
    assert not_screened["ms-old"]["status"] == "stopped"
    assert "not being taken" in not_screened["ms-old"]["reason"]
    assert not_screened["p1"]["reason"] == "not a medication resource"


def test_a_single_resource_is_one_line(api):
    response = _screen(api, [medication_request("one", HCTZ)])

    assert response.status_code == 201
    assert response.json()["medications"][0]["source"]["reference"] == "MedicationRequest/one"


def test_a_body_sent_as_fhir_json_is_read_as_json(api):
    # FHIR client libraries label what they send application/fhir+json.
    response = api.post(
        "/api/v1/screenings/",
        json.dumps({"medications": [pharmacy_bundle()]}),
        content_type="application/fhir+json; charset=utf-8",
    )
    malformed = api.post("/api/v1/screenings/", "{", content_type="application/fhir+json")

    assert response.status_code == 201, response.content
    assert response.json()["medications"][0]["ingredients"] == ["hydrochlorothiazide"]
    assert malformed.status_code == 400 and malformed.json()["error"] == "parse_error"


def test_a_bundled_medication_is_found_by_its_reference(api):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:6f1e8c6a-0000-4000-8000-000000000001",
                "resource": {
                    "resourceType": "MedicationAdministration",
                    "status": "completed",
                    "medicationReference": {
                        "reference": "urn:uuid:6f1e8c6a-0000-4000-8000-000000000002"
                    },
                    "subject": PATIENT,
                    "effectiveDateTime": "2024-03-01",
                    "dosage": {"text": "40 mg IV"},
                },
            },
            {
                "fullUrl": "urn:uuid:6f1e8c6a-0000-4000-8000-000000000002",
                "resource": {
                    "resourceType": "Medication",
                    "ingredient": [{"itemCodeableConcept": {"text": "furosemide"}}],
                },
            },
        ],
    }

    line = _screen(api, [bundle]).json()["medications"][0]

    assert line["ingredients"] == ["furosemide"]
    assert line["route"] == "injection"  # from the dosage text


def test_two_entries_with_one_full_url_are_refused_not_guessed_between(api):
    """A reference to a fullUrl two entries share could mean either medicine (bdl-7)."""
    same = "urn:uuid:6f1e8c6a-0000-4000-8000-0000000000aa"
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": same, "resource": {"resourceType": "Medication",
                                           "code": {"text": "furosemide"}}},
            {"fullUrl": same, "resource": {"resourceType": "Medication",
                                           "code": {"text": "simvastatin"}}},
            {"resource": {"resourceType": "MedicationRequest", "status": "active",
                          "intent": "order", "subject": PATIENT,
                          "medicationReference": {"reference": same}}},
        ],
    }  # fmt: skip

    response = _screen(api, [bundle])

    assert response.status_code == 400
    assert "Bundle.entry[1].fullUrl" in str(response.json())


def test_a_reference_to_an_id_two_medications_share_is_not_guessed_between(api):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "https://a.example.org/fhir/Medication/m1",
             "resource": {"resourceType": "Medication", "id": "m1",
                          "code": {"text": "furosemide"}}},
            {"fullUrl": "https://b.example.org/fhir/Medication/m1",
             "resource": {"resourceType": "Medication", "id": "m1",
                          "code": {"text": "simvastatin"}}},
            {"resource": {"resourceType": "MedicationRequest", "status": "active",
                          "intent": "order", "subject": PATIENT,
                          "medicationReference": {"reference": "Medication/m1"}}},
            {"resource": {"resourceType": "MedicationRequest", "status": "active",
                          "intent": "order", "subject": PATIENT,
                          "medicationReference": {
                              "reference": "https://b.example.org/fhir/Medication/m1"}}},
        ],
    }  # fmt: skip

    response = _screen(api, [bundle])

    assert response.status_code == 201, response.content
    by_id, by_full_url = response.json()["medications"]
    assert by_id["status"] == "unrecognized" and by_id["ingredients"] == []
    assert "two Medications of the Bundle are Medication/m1" in by_id["reason"]
    assert by_full_url["ingredients"] == ["simvastatin"]


def test_an_order_not_to_give_a_medicine_is_not_screened_as_taken(api):
    refused = medication_request("no-hctz", HCTZ) | {"doNotPerform": True}

    body = _screen(api, [refused, medication_request("lasix", {"text": "furosemide 40 mg"})]).json()

    assert [line["ingredients"] for line in body["medications"]] == [["furosemide"]]
    (not_screened,) = body["not_screened_resources"]
    assert not_screened["id"] == "no-hctz" and "doNotPerform" in not_screened["reason"]
    assert "thiazide_diuretic" not in {finding["drug_class"] for finding in body["findings"]}


def test_a_reference_to_a_medication_that_was_not_sent_is_kept_and_explained(api):
    statement = {
        "resourceType": "MedicationStatement",
        "id": "x",
        "status": "active",
        "medicationReference": {"reference": "Medication/missing"},
        "subject": PATIENT,
    }

    line = _screen(api, [statement]).json()["medications"][0]

    assert line["status"] == "unrecognized"
    assert "Medication/missing" in line["reason"]


def test_codes_from_systems_we_do_not_know_are_kept_and_the_text_read(api):
    concept = {"coding": [{"system": SNOMED, "code": "12345"}], "text": "Lasix 40mg tablets"}

    line = _screen(api, [medication_request("s", concept)]).json()["medications"][0]

    assert line["ingredients"] == ["furosemide"]
    assert line["coding"][0]["system"] == SNOMED


def test_elements_fhir_does_not_define_are_ignored_even_a_resource_type_in_a_coding(api):
    """Found by the contract fuzzer: a stray resourceType inside a Coding was a 400."""
    concept = {
        "coding": [{**HCTZ["coding"][0], "resourceType": {"x": None}, "note": "kept out"}],
        "text": HCTZ.get("text", "hydrochlorothiazide"),
    }
    request = {**medication_request("s", concept), "localFlag": [1, 2]}

    response = _screen(api, [request])

    assert response.status_code == 201, response.json()
    assert response.json()["medications"][0]["ingredients"] == ["hydrochlorothiazide"]


@pytest.mark.parametrize("where", ["resource", "subject", "medicationCodeableConcept", "coding"])
@pytest.mark.parametrize(
    ("name", "value"),
    [("resource_type", 0), ("fhir_comments", {"a": 1}), ("status__ext", []), ("code__ext", "x")],
)
def test_the_model_libraries_own_names_are_undefined_elements_too(api, where, name, value):
    """Found by the contract fuzzer: `resource_type` (fhir.resources' name for the element)
    inside a data type sent the reader round in circles and the request was refused. The
    library's other private names (DSTU2 comments, Python spellings of primitive
    extensions) are not FHIR R4 either, and are ignored like any undefined element."""
    request = copy.deepcopy(medication_request("s", {"coding": HCTZ["coding"], "text": "hctz"}))
    target = {
        "resource": request,
        "subject": request["subject"],
        "medicationCodeableConcept": request["medicationCodeableConcept"],
        "coding": request["medicationCodeableConcept"]["coding"][0],
    }[where]
    target[name] = value

    response = _screen(api, [request])

    assert response.status_code == 201, response.json()
    assert response.json()["medications"][0]["ingredients"] == ["hydrochlorothiazide"]


@pytest.mark.parametrize(
    "unread",
    [
        {"note": "a note is a list of Annotations, not a string"},
        {"text": "a resource's text is a Narrative"},
        {"meta": 5, "_status": {"x": 1}},
        {"medicationCodeableConcept": {**HCTZ, "id": {}, "extension": [{}]}},
    ],
)
def test_elements_the_screening_does_not_read_are_not_checked_either(api, unread):
    """Found by the contract fuzzer (an `id` object in a CodeableConcept): only what the
    published schema describes is read and checked, so what is refused is what the schema
    refuses, and a sender's odd `note` never stops a screening."""
    request = {**medication_request("s", HCTZ), **unread}

    response = _screen(api, [request])

    assert response.status_code == 201, response.json()
    assert response.json()["medications"][0]["ingredients"] == ["hydrochlorothiazide"]


def test_contained_resources_other_than_medications_are_accepted_and_not_read(api):
    statement = {
        "resourceType": "MedicationStatement",
        "id": "ms1",
        "status": "active",
        "contained": [
            {"resourceType": "Observation", "id": "o1"},  # invalid as FHIR: not read
            {"resourceType": "Medication", "id": "m1", "code": {"text": "Lasix 40 mg"}},
        ],
        "medicationReference": {"reference": "#m1"},
        "subject": PATIENT,
    }
    bad_type = {**statement, "contained": [{"resourceType": "not a type"}]}
    bad_medication = {**statement, "contained": [{**statement["contained"][1], "code": []}]}

    read = _screen(api, [statement])

    assert read.status_code == 201, read.json()
    assert read.json()["medications"][0]["ingredients"] == ["furosemide"]
    assert _screen(api, [bad_type]).json()["fields"]["medications"]["0"] == [
        "MedicationStatement.contained[0].resourceType: must name a FHIR resource"
    ]
    assert (
        "MedicationStatement.contained[0].code"
        in (_screen(api, [bad_medication]).json()["fields"]["medications"]["0"][0])
    )


def test_an_administration_may_give_its_time_as_a_period_but_must_give_one(api):
    given = {
        "resourceType": "MedicationAdministration",
        "status": "completed",
        "medicationCodeableConcept": HCTZ,
        "subject": PATIENT,
        "effectivePeriod": {"start": "2024-03-01T08:00:00Z", "end": "2024-03-01T08:30:00Z"},
    }
    undated = {key: value for key, value in given.items() if key != "effectivePeriod"}

    assert _screen(api, [given]).status_code == 201
    assert _screen(api, [undated]).status_code == 400


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (
            {"resourceType": "MedicationStatement", "status": "active", "subject": PATIENT},
            "0",
            "MedicationStatement: Value error, Expect any of field value from this list",
        ),
        (
            {**medication_request("a", HCTZ), "status": "finished"},
            "0",
            "MedicationRequest.status: 'finished' is not a MedicationRequest status",
        ),
        (
            {**medication_request("a", HCTZ), "dosageInstruction": [{"text": 5}]},
            "0",
            "MedicationRequest.dosageInstruction[0].text: Input should be a valid string",
        ),
        (
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": {**medication_request("b", HCTZ), "intent": None}}],
            },
            "0",
            "Bundle.entry[0].resource.intent",
        ),
        ({"resourceType": "Patient"}, "0", "'Patient' is not one of Bundle"),
        ({"resourceType": "Bundle", "entry": []}, "0", "Bundle.type: required"),
    ],
)
def test_an_invalid_resource_gets_a_400_naming_the_item_and_the_fhir_path(
    api, item, field, message
):
    response = _screen(api, [item])

    assert response.status_code == 400
    body = response.json()
    assert message in body["fields"]["medications"][field][0]


def test_a_list_where_every_resource_is_stopped_still_answers_and_says_why(api):
    stopped = {**medication_request("old", HCTZ), "status": "stopped"}

    response = _screen(api, [stopped])

    assert response.status_code == 201
    body = response.json()
    assert body["medications"] == []
    assert body["not_screened_resources"][0]["id"] == "old"


def test_a_bundle_comes_alone_so_the_limits_hold_for_its_lines(api):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": medication_request(f"m{i}", HCTZ)} for i in range(60)],
    }

    mixed = _screen(api, [bundle, "Lasix 40 mg"])
    too_many_supplements = _screen(api, ["Lasix 40 mg"], [bundle])

    assert mixed.status_code == 400
    assert "A Bundle is sent alone" in mixed.json()["fields"]["medications"][0]
    assert too_many_supplements.status_code == 400
    assert (
        "At most 50 medication resources"
        in (too_many_supplements.json()["fields"]["supplements"][0])
    )
    assert _screen(api, [bundle]).status_code == 201


def test_a_search_with_each_requests_medication_included_fits_as_its_lines_do(api):
    def search(count):
        entries = []
        for i in range(count):
            entries.append(
                {
                    "fullUrl": f"https://ehr.example.org/fhir/MedicationRequest/r{i}",
                    "resource": {
                        **{
                            key: value
                            for key, value in medication_request(f"r{i}", HCTZ).items()
                            if key != "medicationCodeableConcept"
                        },
                        "medicationReference": {"reference": f"Medication/med{i}"},
                    },
                }
            )
            entries.append(
                {
                    "fullUrl": f"https://ehr.example.org/fhir/Medication/med{i}",
                    "resource": {"resourceType": "Medication", "id": f"med{i}", "code": HCTZ},
                }
            )
        return {"resourceType": "Bundle", "type": "searchset", "entry": entries}

    fits = _screen(api, [search(60)])  # 120 entries, 60 lines
    too_many = _screen(api, [search(101)])  # 101 lines

    assert fits.status_code == 201, fits.content
    assert len(fits.json()["medications"]) == 60
    assert fits.json()["medications"][59]["ingredients"] == ["hydrochlorothiazide"]
    assert too_many.status_code == 400
    assert "At most 100 medication resources" in too_many.json()["fields"]["medications"][0]


def test_supplements_may_be_sent_as_fhir_too(api):
    magnesium = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationCodeableConcept": {"text": "Magnesium oxide 400 mg"},
        "subject": PATIENT,
    }

    body = _screen(api, ["amiloride 5 mg"], [magnesium]).json()

    assert body["supplements"][0]["supplement"] == "magnesium"
    assert body["supplements"][0]["source"]["resource_type"] == "MedicationStatement"


def test_a_coded_line_contradicted_by_its_display_is_probable_via_the_api(api):
    line = {
        "coding": [{"system": RXNORM, "code": "4603", "display": "Simvastatin 20 MG Oral Tablet"}]
    }

    result = _screen(api, [line]).json()["medications"][0]

    assert result["status"] == "probable"
    assert "confirm which is right" in result["reason"]
