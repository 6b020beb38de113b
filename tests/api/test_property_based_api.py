"""Property-based: arbitrary JSON at the API. Every answer is a stored screening or a 4xx
JSON body naming what is wrong; never a 500, never a half-written record.

The schema-driven fuzzer (test_contract_fuzzing.py) sends what the contract describes;
this sends anything at all, and also shapes that are almost right."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.models import Screening

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "200"))
SCREENING_FIELDS = {"medications", "supplements", "patient", "non_field_errors"}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=80),
)
any_json = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=40,
)
line = st.one_of(
    st.text(max_size=120),
    st.fixed_dictionaries({}, optional={"text": any_json, "coding": any_json}),
    st.fixed_dictionaries(
        {"resourceType": st.sampled_from(["MedicationStatement", "Bundle", "X"])}
    ),
    any_json,
)
almost_right = st.fixed_dictionaries(
    {"medications": st.one_of(st.lists(line, max_size=5), any_json)},
    optional={
        "supplements": st.one_of(st.lists(line, max_size=3), any_json),
        "patient": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "age": any_json,
                    "egfr": any_json,
                    "symptoms": any_json,
                    "language": any_json,
                    "reference": any_json,
                },
            ),
            any_json,
        ),
    },
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.one_of(almost_right, any_json))
def test_any_json_body_is_stored_whole_or_refused_with_the_field_named(api, body):
    before = Screening.objects.count()

    response = api.post("/api/v1/screenings/", json.dumps(body), content_type="application/json")

    assert response.status_code in {201, 400}, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    if response.status_code == 201:
        assert Screening.objects.count() == before + 1
        assert len(answer["medications"]) >= 1
        return
    assert Screening.objects.count() == before
    assert answer["error"] in {"invalid", "parse_error", "bad_request"} and answer["detail"]
    if answer["error"] == "invalid":
        # A field of the body, or a key sent that is not one (named as unknown).
        sent = set(body) if isinstance(body, dict) else set()
        assert answer["fields"] and set(answer["fields"]) <= SCREENING_FIELDS | sent, answer


@settings(
    max_examples=EXAMPLES // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.binary(max_size=300))
def test_any_bytes_are_a_json_error_never_a_500(api, raw):
    response = api.post("/api/v1/screenings/", raw, content_type="application/json")

    assert response.status_code in {201, 400}
    assert "error" in response.json() or response.status_code == 201
