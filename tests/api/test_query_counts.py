"""Every read costs a fixed number of queries, whatever the data: pinned here, so a lazy
relation added to a serializer or a template shows up as a failing test, not a slow page.

Counts include the caller's own: a Bearer token costs one query (the key and its pharmacy);
a signed-in pharmacist costs the session, the user and the pharmacist row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

SCREENING = {
    "medications": ["Lasix 40 mg", "simvastatin 40 mg", "clarithromycin 500 mg", "furosimide"],
    "supplements": ["Klor-Con 10 mEq", "magnesium oxide"],
    "patient": {"egfr": 25, "symptoms": ["dark_urine"]},
}


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return len(captured)


@pytest.fixture
def screened(api):
    """A screening and a handout of the pharmacist's pharmacy."""
    screening_id = api.post("/api/v1/screenings/", SCREENING, format="json").json()["id"]
    handout_id = api.post(
        f"/api/v1/screenings/{screening_id}/handouts/", {"language": "en"}, format="json"
    ).json()["id"]
    return screening_id, handout_id


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/screenings/{screening}/", 3),  # + the decisions recorded on it
        ("/api/v1/handouts/{handout}/", 2),
        ("/api/v1/drug-classes/", 5),
        ("/api/v1/drug-classes/statin/", 5),
        ("/api/v1/supplements/", 5),
        ("/api/v1/lookup/?q=Lasix+40+mg", 2),
    ],
)
def test_each_api_read_costs_a_fixed_number_of_queries(api, screened, path, expected):
    screening_id, handout_id = screened
    url = path.format(screening=screening_id, handout=handout_id)

    assert queries(lambda: api.get(url)) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", 5),
        ("/screenings/{screening}/", 11),  # + the decisions recorded on it
        ("/handouts/{handout}/", 5),
        ("/handouts/{handout}/status.json", 5),
    ],
)
def test_each_counter_page_costs_a_fixed_number_of_queries(
    client, pharmacist, screened, path, expected
):
    client.force_login(pharmacist)
    screening_id, handout_id = screened

    assert queries(lambda: client.get(path.format(screening=screening_id, handout=handout_id))) == (
        expected
    )


def test_the_recent_screenings_list_costs_the_same_for_one_screening_or_a_full_page(
    api, client, pharmacist
):
    client.force_login(pharmacist)
    api.post("/api/v1/screenings/", SCREENING, format="json")
    one = queries(lambda: client.get("/screenings/"))

    for _ in range(30):
        api.post("/api/v1/screenings/", SCREENING, format="json")

    assert queries(lambda: client.get("/screenings/")) == one == 6
