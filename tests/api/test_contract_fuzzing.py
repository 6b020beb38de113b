"""The API against its own OpenAPI schema, with generated requests (schemathesis, every check).

Each operation gets `FUZZ_EXAMPLES` generated requests: a few in `make test`, so the fuzzer
cannot rot, and 1,000 in `make fuzz` (CI), which also lifts the rate limit so the requests
reach the logic. What must hold: no 5xx; every status code, content type, header and body
as documented; requests that break the schema refused, requests that keep it accepted;
and another pharmacy's data untouched.
"""

import os
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(knowledge_base):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: the WSGI app must not close the test's connection
    # (and with it the transaction every test runs in) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(pharmacy):
    from screening.models import ApiClient

    _, key = ApiClient.objects.create_key(name="fuzzer", pharmacy=pharmacy)
    return key


@pytest.fixture
def other_pharmacys_data(other_pharmacy):
    """A screening and handout of another pharmacy, to check nothing reaches them."""
    from screening.models import Handout, Screening
    from screening.services.screenings import screening_create

    screening = screening_create(
        pharmacy=other_pharmacy, medications=["Lasix 40 mg"], source=Screening.Source.API
    )
    handout = Handout.objects.create(screening=screening, language="en")
    return screening, handout


def _snapshot(screening, handout):
    screening.refresh_from_db()
    handout.refresh_from_db()
    return (screening.result, screening.request, handout.status, handout.attempts)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, token, other_pharmacys_data):
    before = _snapshot(*other_pharmacys_data)
    if case.headers and "Idempotency-Key" in case.headers:
        # A fresh key per request: the generator repeats small values ("0") with other
        # bodies, and a reused key is refused by design (422, tests/project/test_faults.py).
        case.headers["Idempotency-Key"] = str(uuid.uuid4())

    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    assert _snapshot(*other_pharmacys_data) == before
