"""Malformed and hostile requests: a JSON 4xx that says what is wrong, never a 500 or HTML."""

import json

import pytest
from django.test import RequestFactory

from screening.api.errors import server_error
from screening.api.parsers import MAX_DEPTH
from screening.models import Handout, Screening

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


def post_json_text(api, path: str, body: str):
    return api.post(path, body, content_type="application/json")


# --- Every error under /api/ is JSON ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v1",
        "/api/v1/no-such-thing/",
        "/api/v2/screenings/",
        "/api/v1/screenings/not-a-uuid/",
        f"/api/v1/screenings/{UNKNOWN_ID.replace('0', 'A')}/",
        "/api/v1/handouts/",
    ],
)
def test_an_unknown_api_path_is_a_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not_found", "detail": "Not found."}


def test_an_unknown_page_outside_the_api_is_still_an_html_404(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unhandled_error_outside_drf_is_json_under_the_api_and_html_elsewhere():
    factory = RequestFactory()

    api_error = server_error(factory.get("/api/v1/screenings/"))
    page_error = server_error(factory.get("/"))

    assert api_error.status_code == 500
    assert json.loads(api_error.content)["error"] == "server_error"
    assert page_error.status_code == 500
    assert page_error["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "body", "accept", "status"),
    [
        # The browsable API would answer these with an HTML page.
        ("post", "/api/v1/screenings/", '{"medications": [42]}', "text/html", 400),
        ("get", "/api/v1/screenings/?format=api", None, "", 405),
        ("get", f"/api/v1/handouts/{UNKNOWN_ID}/", None, "text/html", 404),
        ("get", f"/api/v1/handouts/{UNKNOWN_ID}/pdf/", None, "text/html", 404),
        # The schema view would answer these in YAML.
        ("post", "/api/v1/schema/", "{}", "", 405),
        ("get", "/api/v1/schema/?format=xml", None, "", 404),
        ("get", "/api/v1/schema/", None, "application/xml", 406),
        # Unknown URLs and methods, under /api/ at any depth.
        ("get", "/api/v1/no-such-thing/", None, "text/html", 404),
        ("get", "/api/v2/screenings/", None, "", 404),
        ("get", "/api/", None, "", 404),
        ("delete", "/api/v1/screenings/", None, "", 405),
        ("put", f"/api/v1/handouts/{UNKNOWN_ID}/", "{}", "", 405),
    ],
)
def test_errors_are_json_whatever_the_client_asked_to_accept(
    api, method, path, body, accept, status
):
    extra = {"HTTP_ACCEPT": accept} if accept else {}
    if body is None:
        response = getattr(api, method)(path, **extra)
    else:
        response = getattr(api, method)(path, body, content_type="application/json", **extra)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


# --- Bodies the JSON parser refuses -----------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5000])
def test_deeply_nested_json_is_a_400_parse_error_and_nothing_is_stored(api, depth):
    nested = "[" * depth + "]" * depth
    body = '{"medications": ["Lasix"], "patient": {"language": ' + nested + "}}"

    response = post_json_text(api, "/api/v1/screenings/", body)

    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"
    assert "nested deeper" in response.json()["detail"]
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    ("body", "where"),
    [
        # An unpaired surrogate cannot be written as UTF-8 in the response, nor stored by
        # PostgreSQL.
        ('{"medications": ["\\ud800"]}', "medications.0"),
        ('{"medications": ["Lasix"], "supplements": [{"text": "x\\udfff"}]}', "supplements.0.text"),
        ('{"medications": ["Lasix"], "patient": {"language": "\\ud800"}}', "patient.language"),
        # A key given twice: the first list of medicines would never be screened, and no
        # one would know.
        ('{"medications": ["simvastatin"], "medications": ["furosemide"]}', "'medications'"),
        ('{"medications": ["Lasix"], "patient": {"egfr": 80, "egfr": 20}}', "'egfr'"),
    ],
)
def test_malformed_json_is_a_400_parse_error_naming_where_and_nothing_is_stored(api, body, where):
    response = post_json_text(api, "/api/v1/screenings/", body)

    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"
    assert where in response.json()["detail"]
    assert not Screening.objects.exists()


def test_a_handout_request_with_an_unpaired_surrogate_is_a_400(api):
    screening_id = api.post(
        "/api/v1/screenings/", {"medications": ["Lasix"]}, format="json"
    ).json()["id"]

    response = post_json_text(
        api,
        f"/api/v1/screenings/{screening_id}/handouts/",
        '{"language": "en", "patient_name": "Ana \\ud800"}',
    )

    assert response.status_code == 400
    assert "patient_name" in response.json()["detail"]
    assert not Handout.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"medications": ["Lasix"], "note": "x" * 2000})

    response = post_json_text(api, "/api/v1/screenings/", body)

    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"
    assert not Screening.objects.exists()


# --- Fields ------------------------------------------------------------------------------


@pytest.mark.parametrize("egfr", [True, False])
def test_a_boolean_egfr_is_refused_not_read_as_one_or_zero(api, egfr):
    # float(True) is 1.0: an eGFR of 1 would raise the critical kidney cautions.
    response = api.post(
        "/api/v1/screenings/",
        {"medications": ["Lasix"], "supplements": ["magnesium"], "patient": {"egfr": egfr}},
        format="json",
    )

    assert response.status_code == 400
    assert "egfr" in response.json()["fields"]["patient"]
    assert not Screening.objects.exists()


# --- Authorization header ----------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Bearer \x00",
        "Bearer abc\x00.def",
        "Bearer \U0001f600",
        "Bearer " + "a" * 100_000,
        "Bearer a b",
        "Bearer ...",
    ],
)
def test_a_malformed_bearer_token_is_a_401_not_a_500(anonymous_api, knowledge_base, header):
    anonymous_api.credentials(HTTP_AUTHORIZATION=header)

    response = anonymous_api.get("/api/v1/drug-classes/")

    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_a_misspelt_field_is_a_400_naming_it_not_a_caution_silently_lost(api):
    # "supplement" and "eGFR" read as absent would drop the red yeast rice caution and the
    # kidney dosing; the sender must learn the names are wrong.
    body = {
        "medications": ["atorvastatin 20mg"],
        "supplement": ["red yeast rice"],
        "patient": {"eGFR": 20, "symptoms": ["dark_urine"]},
    }

    response = api.post("/api/v1/screenings/", body, format="json")

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "Unknown field" in fields["supplement"][0]
    assert "Unknown field" in fields["patient"]["eGFR"][0]
    assert not Screening.objects.exists()


def test_the_schema_says_request_objects_take_no_other_fields(api):
    schemas = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]

    for name in ("ScreeningInputRequest", "PatientRequest", "DecisionInputRequest"):
        assert schemas[name]["additionalProperties"] is False
    assert "additionalProperties" not in schemas["CodedLine"]  # FHIR's shape stays open


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/api/v1/screenings"), ("get", "/api/v1/me")]
)
def test_a_path_without_its_slash_is_a_json_404_naming_the_path_not_a_redirect(api, method, path):
    # A 301 would turn the POST into a GET, and its body is not JSON.
    response = getattr(api, method)(path, {"medications": ["Lasix"]}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].endswith(f"{path}/")
    assert not Screening.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/screening/", "/api/v1/screenings", "/cds-services/x"])
def test_an_unknown_path_is_json_even_with_debug_on_as_make_run_has_it(api, settings, path):
    settings.DEBUG = True  # Django would answer with its HTML debug page

    response = api.post(path, {"medications": ["Lasix"]}, format="json")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_page_outside_the_api_without_its_slash_is_still_redirected(client, db):
    response = client.get("/screenings")

    assert response.status_code == 301
    assert response["Location"] == "/screenings/"
