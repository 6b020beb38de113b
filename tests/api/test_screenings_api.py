"""POST/GET /api/v1/screenings/: the contract, tenancy and bad input."""

import re

import pytest

from screening.models import Handout, Screening

pytestmark = pytest.mark.django_db

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"


def screen(api, **payload):
    return api.post("/api/v1/screenings/", payload, format="json")


def test_a_messy_list_comes_back_line_by_line_in_input_order(api):
    medications = [
        "Lasix 40 mg 1 po qam",
        "losartan/HCTZ 100/25",
        "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
        "furosimide",
        "asdfgh qwerty",
    ]

    response = screen(api, medications=medications)

    assert response.status_code == 201, response.content
    body = response.json()
    lines = body["medications"]
    assert [line["index"] for line in lines] == [0, 1, 2, 3, 4]
    assert [line["input"] for line in lines] == medications
    assert lines[0]["status"] == "matched" and lines[0]["ingredients"] == ["furosemide"]
    assert lines[0]["product"] == "Lasix" and lines[0]["drug_classes"] == ["loop_diuretic"]
    assert sorted(lines[1]["ingredients"]) == ["hydrochlorothiazide", "losartan"]
    assert lines[2]["ingredients"] == ["metoprolol"]
    assert lines[3]["status"] == "probable" and lines[3]["ingredients"] == ["furosemide"]
    assert lines[3]["suggestions"]
    assert lines[4]["status"] == "unrecognized"
    assert body["not_screened"] == [4]
    assert body["knowledge_base"]["version"]
    assert body["id"] and body["created"]


def test_findings_show_their_basis(api):
    body = screen(api, medications=["hydrochlorothiazide 25 mg daily", "atorvastatin 40mg"]).json()

    findings = {f["drug_class"]: f for f in body["findings"]}
    assert findings["thiazide_diuretic"]["medication_indexes"] == [0]
    assert findings["statin"]["medication_indexes"] == [1]
    for finding in findings.values():
        assert finding["mechanism"] and finding["patient_text"]
        assert finding["evidence"]["strength"] in {"strong", "moderate", "weak", "none"}
        assert finding["references"] and finding["references"][0]["citation"]


def test_counselling_always_says_do_not_stop_and_talk_with_the_prescriber(api):
    body = screen(api, medications=["asdfgh"]).json()

    keys = [c["key"] for c in body["counselling"]]
    assert "do_not_stop" in keys and "talk_with_prescriber" in keys


def test_supplement_cautions_come_from_either_list(api):
    body = screen(
        api,
        medications=["spironolactone 25 mg", "Klor-Con M20"],
        supplements=["potassium gluconate 595 mg"],
    ).json()

    sources = {
        (c["supplement"], c["source"]["list"], c["source"]["index"])
        for c in body["supplement_cautions"]
    }
    assert ("potassium", "supplements", 0) in sources
    assert ("potassium", "medications", 1) in sources
    critical = [c for c in body["supplement_cautions"] if c["severity"] == "critical"]
    assert critical and all(c["references"] and c["action"] for c in critical)


def test_no_drug_pair_caution_without_the_interacting_drug(api):
    body = screen(
        api, medications=["metformin 500 mg bid"], supplements=["magnesium oxide 400 mg"]
    ).json()

    assert all(c["medication_indexes"] == [] for c in body["supplement_cautions"])
    assert body["interactions"] == []


def test_coded_lines_are_read_by_their_code(api):
    body = screen(
        api,
        medications=[
            {"text": "water pill", "coding": [{"system": RXNORM, "code": "4603"}]},
            {"coding": [{"system": ATC, "code": "C10AA05"}]},
            {"text": "mystery", "coding": [{"system": "http://example.org/codes", "code": "42"}]},
        ],
    ).json()

    lines = body["medications"]
    assert lines[0]["ingredients"] == ["furosemide"]
    assert lines[1]["ingredients"] == ["atorvastatin"]
    assert lines[2]["status"] == "unrecognized" and "example.org" in lines[2]["reason"]


def test_patient_factors_raise_red_flags_and_kidney_cautions(api):
    body = screen(
        api,
        medications=["simvastatin 40 mg"],
        supplements=["magnesium"],
        patient={"age": 71, "egfr": 25, "symptoms": ["dark_urine"], "language": "es"},
    ).json()

    assert any(flag["medication_indexes"] == [0] for flag in body["red_flags"])
    assert any(
        c["supplement"] == "magnesium" and c["severity"] == "critical"
        for c in body["supplement_cautions"]
    )


def test_blank_symptom_codes_are_skipped_and_unknown_ones_reported(api):
    body = screen(
        api,
        medications=["simvastatin 40 mg"],
        patient={"symptoms": [" ", "", " Dark_Urine ", "purple_toes"]},
    ).json()

    assert [flag["symptoms"] for flag in body["red_flags"]] == [["dark_urine"]]
    assert body["unknown_symptoms"] == ["purple_toes"]


def test_a_patient_reference_of_spaces_is_refused_as_the_schema_says(api):
    response = screen(api, medications=["Lasix"], patient={"reference": "   "})
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    pattern = re.compile(
        schema["components"]["schemas"]["PatientRequest"]["properties"]["reference"]["pattern"]
    )
    # The pattern's "not a space" is exactly what the server trims away.
    assert all(
        bool(pattern.search(character)) != character.isspace()
        for character in map(chr, range(0x110000))
    )
    assert response.status_code == 400
    assert response.json()["fields"]["patient"]["reference"] == ["This field may not be blank."]
    assert not Screening.objects.exists()


def test_hostile_text_is_returned_as_data_not_an_error(api):
    body = screen(
        api, medications=["<script>alert(1)</script>", "' OR 1=1 --", "\u0000\u202e"]
    ).json()

    assert [line["status"] for line in body["medications"]] == ["unrecognized"] * 3
    assert body["medications"][0]["input"] == "<script>alert(1)</script>"
    # PostgreSQL cannot store NUL: it is kept visible as U+FFFD, and the line is kept.
    assert body["medications"][2]["input"] == "\ufffd\u202e"


def test_a_stored_screening_is_visible_to_the_pharmacy_and_no_one_else(
    api, colleague_api, outsider_api
):
    created = screen(api, medications=["Lasix 40 mg"]).json()

    mine = colleague_api.get(f"/api/v1/screenings/{created['id']}/")
    theirs = outsider_api.get(f"/api/v1/screenings/{created['id']}/")

    assert mine.status_code == 200 and mine.json() == created
    assert theirs.status_code == 404
    assert theirs.json()["error"] == "not_found"


def test_an_id_in_capitals_names_the_same_screening(api):
    # Some systems (SQL Server) write UUIDs in capitals; RFC 9562 reads them in either case.
    created = screen(api, medications=["Lasix 40 mg"]).json()

    read = api.get(f"/api/v1/screenings/{created['id'].upper()}/")
    handout = api.post(
        f"/api/v1/screenings/{created['id'].upper()}/handouts/", {"language": "en"}, format="json"
    )

    assert read.status_code == 200 and read.json()["id"] == created["id"]
    assert handout.status_code == 202, handout.content
    assert str(Handout.objects.get(id=handout.json()["id"]).screening_id) == created["id"]


def test_a_signed_in_pharmacist_can_screen_and_colleagues_see_it(
    client, pharmacist, colleague, knowledge_base
):
    client.force_login(pharmacist)
    created = client.post(
        "/api/v1/screenings/", {"medications": ["Lasix"]}, content_type="application/json"
    ).json()
    client.force_login(colleague)

    assert client.get(f"/api/v1/screenings/{created['id']}/").status_code == 200


def test_each_screening_is_stored_with_input_result_version_and_caller(api, pharmacy):
    created = screen(api, medications=["Lasix 40 mg"], supplements=["magnesium"]).json()

    stored = Screening.objects.get(id=created["id"])
    assert stored.pharmacy == pharmacy
    assert stored.api_client is not None
    assert stored.request["medications"] == ["Lasix 40 mg"]
    assert stored.knowledge_base_version == created["knowledge_base"]["version"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"medications": ["x"] * 101}, "medications"),
        ({"medications": []}, "medications"),
        ({"medications": ["Lasix"], "supplements": ["x"] * 51}, "supplements"),
        ({"medications": ["Lasix", "y" * 501]}, "medications"),
        ({"medications": ["Lasix", 42]}, "medications"),
        ({"medications": "Lasix"}, "medications"),
        ({"supplements": ["magnesium"]}, "medications"),
        ({"medications": ["Lasix"], "patient": {"egfr": -3}}, "patient"),
        ({"medications": ["Lasix"], "patient": {"language": "xx"}}, "patient"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_stored(api, payload, field):
    response = screen(api, **payload)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Screening.objects.exists()


def test_an_over_long_line_is_named_by_its_index(api):
    response = screen(api, medications=["Lasix", "y" * 501])

    assert response.json()["fields"]["medications"]["1"]


def test_wrong_content_type_is_415_and_malformed_json_is_400(api):
    wrong_type = api.post("/api/v1/screenings/", "medications=Lasix", content_type="text/plain")
    malformed = api.post("/api/v1/screenings/", "{not json", content_type="application/json")

    assert wrong_type.status_code == 415 and wrong_type.json()["error"] == "unsupported_media_type"
    assert malformed.status_code == 400 and malformed.json()["error"] == "parse_error"


def test_a_screening_costs_a_constant_number_of_queries(api, django_assert_num_queries):
    screen(api, medications=["Lasix"])  # warm the per-process index
    # Token lookup (with its pharmacy), the knowledge-base version check and the insert.
    short_list = {"medications": ["Lasix 40 mg"]}
    long_list = {"medications": ["Lasix 40 mg", "Zestoretic", "atorvastatin", "metoprolol"] * 25}

    with django_assert_num_queries(3) as short:
        api.post("/api/v1/screenings/", short_list, format="json")
    with django_assert_num_queries(3) as long:
        api.post("/api/v1/screenings/", long_list, format="json")

    assert len(short.captured_queries) == len(long.captured_queries)


def test_the_knowledge_base_version_is_asked_for_once_per_interval(
    api, django_assert_num_queries, settings
):
    settings.KNOWLEDGE_VERSION_CHECK_SECONDS = 60  # production checks once a second
    body = {"medications": ["Lasix 40 mg"]}
    api.post("/api/v1/screenings/", body, format="json")

    # then only the token lookup and the insert, until the interval is over
    with django_assert_num_queries(2):
        assert api.post("/api/v1/screenings/", body, format="json").status_code == 201


def test_health_reports_database_and_broker(anonymous_api, db):
    response = anonymous_api.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "broker": True}}


def test_throttling_is_per_client(api, colleague_api, settings):
    from screening.api.throttling import CallerRateThrottle

    CallerRateThrottle.THROTTLE_RATES = {"caller": "2/minute"}
    try:
        statuses = [api.get("/api/v1/drug-classes/statin/").status_code for _ in range(3)]
        other = colleague_api.get("/api/v1/drug-classes/statin/").status_code
    finally:
        CallerRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert statuses == [200, 200, 429]
    assert other == 200


def test_every_response_reads_back_as_the_published_contract(api):
    # A client generated from the OpenAPI schema reads the same models the server wrote.
    from screening.api.v1.screenings import Screening_

    body = screen(
        api,
        medications=["Lasix 40 mg", "furosimide", "asdfgh", "simvastatin", "clarithromycin"],
        supplements=["Klor-Con"],
        patient={"egfr": 25, "symptoms": ["dark_urine"], "language": "es"},
    ).json()

    record = Screening_.model_validate(body)
    assert record.model_dump(mode="json") == body
    assert record.medications[1].status == "probable" and record.interactions


def test_me_says_which_pharmacy_the_token_acts_for(api, anonymous_api, pharmacy):
    answer = api.get("/api/v1/me/")

    assert answer.status_code == 200
    assert answer.json() == {
        "pharmacy": pharmacy.name,
        "credential": "token",
        "name": "dispensing system",
    }
    assert anonymous_api.get("/api/v1/me/").status_code == 401
