"""Read API over the knowledge base: authentication, shape and errors."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_requires_a_token(anonymous_api, knowledge_base):
    response = anonymous_api.get("/api/v1/drug-classes/")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_rejects_a_wrong_token(anonymous_api, knowledge_base):
    anonymous_api.credentials(HTTP_AUTHORIZATION="Bearer not.a-real-token")

    response = anonymous_api.get("/api/v1/drug-classes/")

    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_it_lists_drug_classes_with_evidence_references_and_members(api):
    response = api.get("/api/v1/drug-classes/")

    assert response.status_code == 200
    classes = {c["slug"]: c for c in response.json()}
    for slug in ("loop_diuretic", "thiazide_diuretic", "statin", "beta_blocker"):
        assert classes[slug]["cramp_linked"] is True
        assert classes[slug]["evidence"]["references"], slug
        assert classes[slug]["references"], slug
        assert classes[slug]["ingredients"], slug
    assert classes["thiazide_diuretic"]["evidence"]["strength"] == "moderate"
    assert classes["beta_blocker"]["evidence"]["strength"] == "none"
    assert "furosemide" in {i["name"] for i in classes["loop_diuretic"]["ingredients"]}


def test_it_shows_one_drug_class_and_404s_an_unknown_slug(api):
    assert api.get("/api/v1/drug-classes/statin/").json()["slug"] == "statin"

    response = api.get("/api/v1/drug-classes/no_such_class/")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not found."}


def test_it_lists_supplements_with_their_cautions(api):
    supplements = {s["slug"]: s for s in api.get("/api/v1/supplements/").json()}

    for slug in (
        "magnesium",
        "potassium",
        "calcium",
        "vitamin_d",
        "vitamin_e",
        "quinine",
        "red_yeast_rice",
    ):
        assert slug in supplements
    potassium_targets = {c["drug_class"] for c in supplements["potassium"]["cautions"]}
    assert {"potassium_sparing_diuretic", "ace_inhibitor", "arb"} <= potassium_targets
    assert all(c["references"] for s in supplements.values() for c in s["cautions"])


def test_lookup_reads_a_brand_combination(api):
    response = api.get("/api/v1/lookup/", {"q": "Zestoretic 20/12.5"})

    assert response.status_code == 200
    result = response.json()["result"]
    assert result["status"] == "matched"
    assert sorted(result["ingredients"]) == ["hydrochlorothiazide", "lisinopril"]
    assert "thiazide_diuretic" in result["drug_classes"]


def test_lookup_without_a_query_is_a_400_naming_the_field(api):
    response = api.get("/api/v1/lookup/")

    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_the_openapi_schema_and_docs_are_served_offline(anonymous_api, db):
    schema = anonymous_api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = anonymous_api.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert "/api/v1/screenings/" in schema.json()["paths"]
    assert docs.status_code == 200
    # Every script and stylesheet comes from this server (the sidecar package), never a CDN.
    assets = re.findall(rb'(?:src|href)="([^"#][^"]*)"', docs.content)
    assert any(b"swagger-ui" in url for url in assets)
    assert all(not url.startswith((b"http:", b"https:", b"//")) for url in assets)
