"""The CDS Hooks service: discovery, cards for draft orders, prefetch, feedback."""

import http.server
import json
import threading

import pytest

from screening.models import CdsCard, Decision, Screening
from tests.cds_hooks.conftest import (
    current_medicines,
    draft_order,
    hook_request,
    statin_prefetch,
)

SIGN = "/leg-cramp-order-sign"
SELECT = "/leg-cramp-order-select"


def test_discovery_lists_the_order_and_patient_view_services_with_prefetch(ehr):
    response = ehr.get()

    assert response.status_code == 200
    services = {service["hook"]: service for service in response.json()["services"]}
    assert set(services) == {"order-select", "order-sign", "patient-view"}
    for service in services.values():
        assert service["id"] and service["description"]
        assert service["prefetch"]["medicationRequests"] == (
            "MedicationRequest?patient={{context.patientId}}&status=active"
        )
        assert (
            "MedicationStatement?patient={{context.patientId}}"
            in (service["prefetch"]["medicationStatements"])
        )


def test_discovery_is_public_whatever_credentials_come_with_it(client, db):
    response = client.get("/cds-services", HTTP_AUTHORIZATION="Bearer not-a-jwt")

    assert response.status_code == 200
    assert len(response.json()["services"]) == 3


def test_a_draft_furosemide_on_top_of_a_statin_gets_one_info_card_about_the_order(ehr):
    body = hook_request(
        "order-sign",
        [draft_order("d1", "Furosemide 40 MG Oral Tablet")],
        prefetch=statin_prefetch("simvastatin 20 MG Oral Tablet"),
    )

    response = ehr.post(SIGN, body)

    assert response.status_code == 200, response.content
    cards = response.json()["cards"]
    # the statin's own cramp link concerns a current medicine: not repeated on the order
    assert len(cards) == 1
    (card,) = cards
    assert card["indicator"] == "info"
    assert card["summary"].startswith("furosemide: linked to night-time leg cramps")
    assert len(card["summary"]) < 140
    assert card["source"]["label"] and card["source"]["url"].startswith("http")
    assert {link["label"] for link in card["links"]} == {
        "Full screening and its basis",
        "Patient handout",
    }
    assert all(link["type"] == "absolute" for link in card["links"])
    assert card["overrideReasons"][0]["display"]
    # the basis: what was matched, the rule, the evidence, references, the KB version
    assert "Furosemide 40 MG Oral Tablet" in card["detail"]
    assert "rule `finding:loop_diuretic`" in card["detail"]
    assert "Knowledge base `" in card["detail"]
    assert CdsCard.objects.filter(uuid=card["uuid"]).exists()


def test_a_contraindicated_draft_gets_a_critical_card_with_a_concrete_suggestion(ehr):
    body = hook_request(
        "order-sign",
        [draft_order("d7", "Clarithromycin 500 MG Oral Tablet")],
        prefetch=statin_prefetch("simvastatin 40 MG Oral Tablet"),
    )

    cards = ehr.post(SIGN, body).json()["cards"]

    critical = [card for card in cards if card["indicator"] == "critical"]
    assert len(critical) == 1
    card = critical[0]
    assert "simvastatin" in card["summary"].lower() and "clarithromycin" in card["summary"].lower()
    assert card["selectionBehavior"] == "at-most-one"
    (suggestion,) = card["suggestions"]
    assert suggestion["actions"] == [
        {
            "type": "delete",
            "description": "Remove the draft order for clarithromycin.",
            "resourceId": "MedicationRequest/d7",
        }
    ]


@pytest.mark.parametrize("reference", ["urn:uuid:0f6d2b1e-1111-4a57-9c1e-3c2a9e000001",
                                       "Medication/clari"])  # fmt: skip
def test_a_draft_naming_a_medication_elsewhere_in_draft_orders_is_read_through_it(ehr, reference):
    """An EHR may send the Medication as its own entry of draftOrders and refer to it (by
    fullUrl or Medication/id): the contraindication must still be raised."""
    order = draft_order("d8", "")
    del order["medicationCodeableConcept"]
    order["medicationReference"] = {"reference": reference}
    body = hook_request(
        "order-sign", [order], prefetch=statin_prefetch("simvastatin 40 MG Oral Tablet")
    )
    body["context"]["draftOrders"]["entry"] = [
        {
            "fullUrl": "urn:uuid:0f6d2b1e-1111-4a57-9c1e-3c2a9e000001",
            "resource": {
                "resourceType": "Medication",
                "id": "clari",
                "code": {
                    "coding": [
                        {
                            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                            "code": "21212",
                            "display": "clarithromycin",
                        }
                    ]
                },
            },
        },  # fmt: skip
        {"fullUrl": "urn:uuid:0f6d2b1e-1111-4a57-9c1e-3c2a9e000002", "resource": order},
    ]

    cards = ehr.post(SIGN, body).json()["cards"]

    (critical,) = [card for card in cards if card["indicator"] == "critical"]
    assert "clarithromycin" in critical["summary"].lower()
    assert critical["suggestions"][0]["actions"][0]["resourceId"] == "MedicationRequest/d8"
    assert not [card for card in cards if "could not be screened" in card["summary"]]


def test_order_select_cards_concern_only_the_selected_order(ehr):
    drafts = [
        draft_order("a", "Clarithromycin 500 MG Oral Tablet"),
        draft_order("b", "Furosemide 40 MG Oral Tablet"),
    ]
    body = hook_request(
        "order-select",
        drafts,
        selections=["MedicationRequest/b"],
        prefetch=statin_prefetch("simvastatin 40 MG Oral Tablet"),
    )

    cards = ehr.post(SELECT, body).json()["cards"]

    assert [card["summary"].split(":")[0] for card in cards] == ["furosemide"]


def test_nothing_relevant_is_an_empty_list_of_cards(ehr):
    body = hook_request(
        "order-sign", [draft_order("d1", "Omeprazole 20 MG")], prefetch=statin_prefetch()
    )

    assert ehr.post(SIGN, body).json() == {"cards": []}


def test_what_could_not_be_screened_gets_one_info_card(ehr):
    body = hook_request(
        "order-sign",
        [draft_order("d1", "Zzqxtrol 10 MG"), draft_order("d2", "Qwvbnide 5 MG")],
        prefetch=statin_prefetch(),
    )

    (card,) = ehr.post(SIGN, body).json()["cards"]

    assert card["indicator"] == "info"
    assert card["summary"] == "2 items could not be screened: check by hand"
    assert "Zzqxtrol" in card["detail"] and "Qwvbnide" in card["detail"]


# --- Prefetch fetched from the client's FHIR server -----------------------------------------


class _FhirServer(http.server.BaseHTTPRequestHandler):
    bundle: dict = {}
    seen: list = []
    redirect_to: str | None = None

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).seen.append((self.path, self.headers.get("Authorization")))
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        body = json.dumps(
            self.bundle
            if "MedicationRequest" in self.path
            else {"resourceType": "Bundle", "type": "searchset", "entry": []}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fhir_server():
    handler = type("Handler", (_FhirServer,), {"seen": [], "bundle": {}, "redirect_to": None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/fhir"
    server.shutdown()
    server.server_close()


def _with_server(body, url):
    body["fhirServer"] = url
    body["fhirAuthorization"] = {
        "access_token": "an-opaque-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/MedicationRequest.read",
        "subject": "leg-cramp-screening",
    }
    return body


def test_a_missing_prefetch_is_fetched_from_the_clients_fhir_server(ehr, fhir_server):
    handler, url = fhir_server
    handler.bundle = statin_prefetch("simvastatin 40 MG Oral Tablet")["medicationRequests"]
    body = _with_server(
        hook_request("order-sign", [draft_order("d7", "Clarithromycin 500 MG Oral Tablet")]), url
    )

    cards = ehr.post(SIGN, body).json()["cards"]

    assert any(card["indicator"] == "critical" for card in cards)
    paths = [path for path, _ in handler.seen]
    assert "/fhir/MedicationRequest?patient=p1&status=active" in paths
    assert {auth for _, auth in handler.seen} == {"Bearer an-opaque-token"}


def test_when_the_fhir_server_is_down_the_drafts_are_screened_alone_and_a_card_says_so(ehr):
    body = _with_server(
        hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG Oral Tablet")]),
        "http://127.0.0.1:9/fhir",
    )

    cards = ehr.post(SIGN, body).json()["cards"]

    assert any(card["summary"].startswith("furosemide") for card in cards)
    notice = next(card for card in cards if "could not be screened" in card["summary"])
    assert "could not be fetched" in notice["detail"]
    assert "only the draft orders were screened" in notice["detail"]


def test_a_redirect_to_another_host_is_not_followed(ehr, fhir_server):
    handler, url = fhir_server
    handler.redirect_to = "http://169.254.169.254/latest/meta-data/"
    body = _with_server(
        hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG Oral Tablet")]), url
    )

    cards = ehr.post(SIGN, body).json()["cards"]

    notice = next(card for card in cards if "could not be screened" in card["summary"])
    assert "pointed to another host" in notice["detail"]


def test_no_prefetch_and_no_fhir_server_is_a_412(ehr):
    body = hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG Oral Tablet")])

    response = ehr.post(SIGN, body)

    assert response.status_code == 412
    assert response.json()["error"] == "precondition_failed"


def test_a_prefetch_the_client_could_not_make_is_said_on_a_card_not_fetched_again(ehr):
    # CDS Hooks 2.0: an OperationOutcome in place of the prefetched Bundle says why.
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "timeout", "diagnostics": "Search timed out"}],
    }
    body = hook_request(
        "order-sign",
        [draft_order("d1", "Furosemide 40 MG Oral Tablet")],
        prefetch={"medicationRequests": outcome, "medicationStatements": None},
    )

    response = ehr.post(SIGN, body)

    assert response.status_code == 200
    cards = response.json()["cards"]
    assert any(card["summary"].startswith("furosemide") for card in cards)
    notice = next(card for card in cards if "could not be screened" in card["summary"])
    assert "Search timed out" in notice["detail"]
    assert "only the draft orders were screened" in notice["detail"]


def test_a_prefetch_that_is_not_a_bundle_is_a_400_naming_the_key(ehr):
    single = current_medicines("simvastatin 40 MG Oral Tablet")["entry"][0]["resource"]
    body = hook_request(
        "order-sign",
        [draft_order("d1", "Clarithromycin 500 MG Oral Tablet")],
        prefetch={"medicationRequests": single, "medicationStatements": None},
    )

    response = ehr.post(SIGN, body)

    assert response.status_code == 400
    assert response.json()["fields"]["prefetch"]["medicationRequests"]
    assert not Screening.objects.exists()


# --- Feedback, decisions and repeated alerts ---------------------------------------------


def _critical_card(ehr, patient="p1"):
    body = hook_request(
        "order-sign",
        [draft_order("d7", "Clarithromycin 500 MG Oral Tablet")],
        prefetch=statin_prefetch("simvastatin 40 MG Oral Tablet"),
        patient=patient,
    )
    return next(c for c in ehr.post(SIGN, body).json()["cards"] if c["indicator"] == "critical")


def test_feedback_records_an_override_with_its_reason_once(ehr):
    card = _critical_card(ehr)
    feedback = {
        "feedback": [
            {
                "card": card["uuid"],
                "outcome": "overridden",
                "overrideReason": {
                    "reason": card["overrideReasons"][1],
                    "userComment": "Short course; statin paused by the prescriber.",
                },
                "outcomeTimestamp": "2026-11-30T09:00:00Z",
            }
        ]
    }

    first = ehr.post(SIGN + "/feedback", feedback)
    again = ehr.post(SIGN + "/feedback", feedback)  # a client may report twice

    assert first.status_code == again.status_code == 200
    (decision,) = Decision.objects.all()
    assert decision.outcome == "overridden"
    assert decision.reason == card["overrideReasons"][1]["code"]
    assert decision.comment == "Short course; statin paused by the prescriber."
    assert decision.issue_key.startswith("interaction:")
    assert decision.decided_by_name == "CDS Hooks client Riverside EHR"
    assert decision.source == "cds_hooks"


def test_feedback_for_a_card_the_pharmacy_never_got_is_refused(ehr):
    response = ehr.post(
        SIGN + "/feedback",
        {
            "feedback": [
                {
                    "card": "7d4e3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c",
                    "outcome": "accepted",
                    "outcomeTimestamp": "2026-11-30T09:00:00Z",
                }
            ]
        },
    )

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_acknowledged_alert_is_info_for_the_same_patient_and_critical_for_another(ehr):
    card = _critical_card(ehr, patient="p1")
    ehr.post(
        SIGN + "/feedback",
        {
            "feedback": [
                {
                    "card": card["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {"reason": card["overrideReasons"][0]},
                    "outcomeTimestamp": "2026-11-30T09:00:00Z",
                }
            ]
        },
    )

    same_patient = hook_request(
        "order-sign",
        [draft_order("d8", "Clarithromycin 500 MG Oral Tablet")],
        prefetch=statin_prefetch("simvastatin 40 MG Oral Tablet"),
        patient="p1",
    )
    again = next(
        c for c in ehr.post(SIGN, same_patient).json()["cards"] if "larithromycin" in c["summary"]
    )
    other = _critical_card(ehr, patient="p2")

    assert again["indicator"] == "info"
    assert again["summary"].startswith("Acknowledged earlier:")
    # Still under CDS Hooks' 140 characters, cut after a whole word: no drug name in pieces.
    assert len(again["summary"]) < 140
    kept = again["summary"].removeprefix("Acknowledged earlier: ").removesuffix("…")
    full = card["summary"].removesuffix("…")
    assert full.startswith(kept) and (kept == full or not full[len(kept)].isalnum())
    assert "not raised again" in again["detail"]
    assert other["indicator"] == "critical"


def test_a_fhir_server_on_a_private_network_is_refused_outside_development(
    ehr, fhir_server, settings
):
    settings.CDS_HOOKS_ALLOW_PRIVATE_FHIR = False  # production
    handler, url = fhir_server
    body = _with_server(
        hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG Oral Tablet")]), url
    )

    cards = ehr.post(SIGN, body).json()["cards"]

    assert handler.seen == []  # never asked
    notice = next(card for card in cards if "could not be screened" in card["summary"])
    assert "not a public address" in notice["detail"]


@pytest.mark.parametrize(
    "answer",
    [[1, 2], {"resourceType": "Bundle", "entry": 5}, {"resourceType": "Bundle", "link": [3]}],
    ids=["array", "entry-not-a-list", "link-not-objects"],
)
def test_a_malformed_answer_from_the_fhir_server_is_a_notice_not_an_error(ehr, fhir_server, answer):
    handler, url = fhir_server
    handler.bundle = answer
    body = _with_server(
        hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG Oral Tablet")]), url
    )

    response = ehr.post(SIGN, body)

    assert response.status_code == 200
    cards = response.json()["cards"]
    assert any(card["summary"].startswith("furosemide") for card in cards)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"context": {"patientId": "p1", "draftOrders": {"resourceType": "Bundle", "entry": 5}}},
         "context"),
        (None, "feedback"),
    ],
    ids=["draft-entries-not-a-list", "override-reason-not-an-object"],
)  # fmt: skip
def test_malformed_requests_are_a_400_naming_the_field(ehr, body, field):
    if body is None:
        card = _critical_card(ehr)
        response = ehr.post(
            SIGN + "/feedback",
            {
                "feedback": [
                    {
                        "card": card["uuid"],
                        "outcome": "overridden",
                        "overrideReason": {"reason": "x"},
                        "outcomeTimestamp": "2026-11-30T09:00:00Z",
                    }
                ]
            },
        )
    else:
        response = ehr.post(SIGN, {"hook": "order-sign", "hookInstance": "h1", **body})

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_more_draft_orders_than_a_screening_holds_are_cut_and_said(ehr):
    drafts = [draft_order(f"d{n}", "Furosemide 40 MG Oral Tablet") for n in range(105)]
    body = hook_request("order-sign", drafts, prefetch=statin_prefetch("simvastatin 40 MG"))

    response = ehr.post(SIGN, body)

    assert response.status_code == 200
    notice = next(c for c in response.json()["cards"] if "could not be screened" in c["summary"])
    assert "5 draft orders were not screened" in notice["detail"]
