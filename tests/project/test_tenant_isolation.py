"""An outsider sees nothing of another pharmacy on any URL the project serves.

The URLs come from the URL configuration itself, so a new endpoint is tried as soon as it
exists: one whose parameters this test cannot fill fails here until it is added below.
"""

import datetime
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from screening.models import CdsCard, Decision, Handout, Pharmacist, Screening
from screening.services.decisions import decision_record
from screening.services.screenings import screening_create

pytestmark = pytest.mark.django_db

# Django's admin is staff-only (tests/project/test_security.py); its URLs are its own.
NOT_TENANT_URLS = re.compile(r"^admin/")
PUBLIC_PARAMETERS = {"slug": "loop_diuretic", "service_id": "leg-cramp-order-sign"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ROUTES = [
    route for route in _routes(get_resolver().url_patterns) if not NOT_TENANT_URLS.match(route)
]


@pytest.fixture
def theirs(knowledge_base, pharmacy, pharmacist):
    """A screening, handout, decision and CDS card of the pharmacist's pharmacy."""
    screening = screening_create(
        pharmacy=pharmacy,
        medications=["simvastatin 40 mg", "clarithromycin 500 mg"],
        patient={"language": "en"},
        source=Screening.Source.API,
        user=pharmacist,
    )
    handout = Handout.objects.create(
        screening=screening,
        language="en",
        status=Handout.Status.READY,
        enqueued_at=timezone.now(),
        patient_name="Ada Example",
    )
    issue = screening.result["interactions"][0]["key"]
    decision = decision_record(
        screening=screening,
        issue_key=f"interaction:{issue}",
        outcome=Decision.Outcome.ACKNOWLEDGED,
        source=Decision.Source.COUNTER,
        user=pharmacist,
    )
    card = CdsCard.objects.create(
        uuid=uuid.uuid4(), screening=screening, issue_key=decision.issue_key
    )
    return {"screening": screening, "handout": handout, "decision": decision, "card": card}


def _url(route: str, objects: dict) -> str:
    values = {
        "screening_id": str(objects["screening"].id),
        "handout_id": str(objects["handout"].id),
        **PUBLIC_PARAMETERS,
    }

    def fill(match: re.Match) -> str:
        name = match.group(2)
        assert name in values, f"{route}: add a value for <{name}> to this test"
        return values[name]

    assert not route.startswith("^"), f"{route}: a regex route; fill it by hand here"
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


@pytest.fixture
def outsiders(other_pharmacy):
    """Everyone another pharmacy has: a signed-in pharmacist and a system with a token."""
    from screening.models import ApiClient

    user = get_user_model().objects.create_user(username="mallory", password="x-long-password")
    Pharmacist.objects.create(user=user, pharmacy=other_pharmacy)
    session = Client()
    session.force_login(user)
    _, token = ApiClient.objects.create_key(name="their system", pharmacy=other_pharmacy)
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return {"session": session, "token": system}


def _secrets(objects: dict) -> list[str]:
    return [
        str(objects["screening"].id),
        str(objects["handout"].id),
        str(objects["decision"].id),
        str(objects["card"].uuid),
        "Ada Example",
        "clarithromycin 500 mg",
    ]


def test_every_url_is_covered():
    # The routes this test knows about today; a new one is tried automatically, and this
    # list only makes a missing URL configuration (an empty walk) fail loudly.
    assert len(ROUTES) >= 25
    assert any("<uuid:screening_id>" in route for route in ROUTES)
    assert any("<uuid:handout_id>" in route for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_sees_nothing_of_another_pharmacy(route, method, theirs, outsiders):
    url = _url(route, theirs)
    names_their_object = any(str(theirs[kind].id) in url for kind in ("screening", "handout"))
    body = {
        "feedback": [
            {
                "card": str(theirs["card"].uuid),
                "outcome": "accepted",
                "outcomeTimestamp": datetime.datetime.now(datetime.UTC).isoformat(),
            }
        ]
    }

    for who, client in outsiders.items():
        if method == "post":
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.get(url)
        status = response.status_code
        # Refusals that say nothing about the object: not found, a method the path does
        # not take, or credentials this surface does not accept (a token on the counter is
        # sent to sign in; a session on CDS Hooks is a 401).
        refused = status in {401, 404, 405} or (
            status == 302 and response["Location"].startswith("/accounts/login/")
        )
        if names_their_object or (method == "post" and route.endswith("/feedback")):
            assert refused, f"{who} {method.upper()} {url}: {status}"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8", "replace")
        for secret in _secrets(theirs):
            assert secret not in text, f"{who} {method.upper()} {url} shows {secret!r}"
    # and nothing of theirs changed
    assert Decision.objects.filter(screening=theirs["screening"]).count() == 1
    assert Handout.objects.filter(screening=theirs["screening"]).count() == 1
