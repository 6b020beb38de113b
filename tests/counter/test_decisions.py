"""Acknowledging and overriding at the counter, the read-only audit list, the reviewer."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from screening.models import Decision, Handout
from tests.counter.test_views import _client_for, _screen

A_LIST = "simvastatin 40 mg\nclarithromycin 500 mg\nfurosemide 40 mg\n"


@pytest.fixture
def alice(knowledge_base, pharmacist):
    return _client_for(pharmacist)


@pytest.fixture
def mallory(knowledge_base, outsider):
    return _client_for(outsider)


def _decide(client, screening, **data):
    return client.post(reverse("counter:decision-create", args=[screening.id]), data)


def _interaction(screening):
    from screening.services.screenings import screening_result

    return next(i.key for i in screening_result(screening).list_issues() if i.kind == "interaction")


def test_the_page_opens_with_what_to_act_on_and_the_cramp_linked_medicines(alice):
    screening = _screen(alice, medications=A_LIST)

    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()

    act_now = page[page.index('id="act-now"') : page.index('id="lines"')]
    assert "Critical" in act_now and "Acknowledge" in act_now and "Override" in act_now
    assert "May contribute to cramps" in act_now and "loop diuretics, weak" in act_now


def test_acknowledging_records_who_and_shows_it(alice, pharmacist):
    screening = _screen(alice, medications=A_LIST)
    key = _interaction(screening)

    response = _decide(alice, screening, issue_key=key, outcome="acknowledged")

    assert response.status_code == 302 and response["Location"].endswith("#act-now")
    decision = Decision.objects.get()
    assert (decision.outcome, decision.decided_by, decision.source) == (
        "acknowledged",
        pharmacist,
        "counter",
    )
    page = alice.get(reverse("counter:screening-detail", args=[screening.id])).content.decode()
    assert "Acknowledged</strong> by alice" in page


def test_an_override_needs_a_reason(alice):
    screening = _screen(alice, medications=A_LIST)
    key = _interaction(screening)

    refused = _decide(alice, screening, issue_key=key, outcome="overridden", comment="why not")
    recorded = _decide(
        alice, screening, issue_key=key, outcome="overridden", reason="will-monitor", comment="CK"
    )

    assert refused.status_code == 400
    assert recorded.status_code == 302
    assert Decision.objects.get().get_reason_display() == "Patient will be monitored"


def test_another_pharmacy_cannot_decide_or_see_the_decisions(alice, mallory):
    screening = _screen(alice, medications=A_LIST)
    _decide(alice, screening, issue_key=_interaction(screening), outcome="acknowledged")

    assert _decide(mallory, screening, issue_key="x", outcome="acknowledged").status_code == 404
    assert "No decisions" in mallory.get(reverse("counter:decision-list")).content.decode()


def test_the_audit_list_shows_each_decision_and_filters_them(alice):
    screening = _screen(alice, medications=A_LIST)
    key = _interaction(screening)
    _decide(alice, screening, issue_key=key, outcome="acknowledged")
    _decide(
        alice,
        screening,
        issue_key="finding:loop_diuretic",
        outcome="overridden",
        reason="does-not-apply",
        comment="on it for years",
    )

    everything = alice.get(reverse("counter:decision-list")).content.decode()
    overrides = alice.get(reverse("counter:decision-list"), {"outcome": "overridden"})

    assert everything.count("<tr>") == 3  # the header and two decisions
    assert "on it for years" in everything and screening.knowledge_base_version in everything
    assert overrides.content.decode().count("<tr>") == 2
    assert "Acknowledged" not in overrides.content.decode().split("<tbody>")[1]


def test_decisions_cannot_be_changed_or_deleted_in_the_admin(alice, admin_user):
    screening = _screen(alice, medications=A_LIST)
    _decide(alice, screening, issue_key=_interaction(screening), outcome="acknowledged")
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[Decision]

    assert not model_admin.has_change_permission(request, Decision.objects.get())
    assert not model_admin.has_delete_permission(request, Decision.objects.get())
    assert not model_admin.has_add_permission(request)


def test_the_handout_records_the_pharmacist_who_released_it(alice, pharmacist):
    screening = _screen(alice, medications=A_LIST)

    alice.post(reverse("counter:handout-create", args=[screening.id]), {"language": "en"})

    assert Handout.objects.get().reviewed_by == pharmacist
