"""A CDS client with its own key pair, signing each call as CDS Hooks 2.0 says."""

import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from rest_framework.test import APIClient

from tests.fhir.resources import PATIENT, RXNORM

BASE = "http://testserver/cds-services"


def new_key():
    return ec.generate_private_key(ec.SECP384R1())


def public_jwks(private_key, kid: str) -> dict:
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "alg": "ES384", "use": "sig"}]}


def signed_token(private_key, *, issuer, audience, kid="key-1", lifetime=300, jti=None, **extra):
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or str(uuid.uuid4()),
        **extra,
    }
    return jwt.encode(claims, private_key, algorithm="ES384", headers={"kid": kid, "typ": "JWT"})


class CdsCaller:
    """Calls the service as an EHR would: a fresh signed JWT for each call."""

    def __init__(self, private_key, issuer):
        self.private_key = private_key
        self.issuer = issuer
        self.client = APIClient()

    def token(self, path, **options):
        return signed_token(self.private_key, issuer=self.issuer, audience=BASE + path, **options)

    def post(self, path, body, *, token=None):
        return self.client.post(
            "/cds-services" + path,
            body,
            format="json",
            HTTP_AUTHORIZATION=f"Bearer {token or self.token(path)}",
        )

    def get(self, path=""):
        return self.client.get(
            "/cds-services" + path, HTTP_AUTHORIZATION=f"Bearer {self.token(path)}"
        )


@pytest.fixture
def cds_key():
    return new_key()


@pytest.fixture
def cds_client_record(knowledge_base, pharmacy, cds_key):
    from screening.models import CdsClient

    return CdsClient.objects.create(
        name="Riverside EHR",
        pharmacy=pharmacy,
        issuer="https://ehr.riverside.example",
        jwks=public_jwks(cds_key, "key-1"),
    )


@pytest.fixture
def ehr(cds_client_record, cds_key):
    return CdsCaller(cds_key, cds_client_record.issuer)


def draft_order(id_, text, *, code=None):
    concept = {"text": text}
    if code:
        concept["coding"] = [{"system": RXNORM, "code": code, "display": text}]
    return {
        "resourceType": "MedicationRequest",
        "id": id_,
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": PATIENT,
        "dosageInstruction": [{"text": "1 tablet daily"}],
    }


def current_medicines(*texts):
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "fullUrl": f"https://ehr.example.org/fhir/MedicationRequest/cur{i}",
                "resource": {
                    "resourceType": "MedicationRequest",
                    "id": f"cur{i}",
                    "status": "active",
                    "intent": "order",
                    "medicationCodeableConcept": {"text": text},
                    "subject": PATIENT,
                },
            }
            for i, text in enumerate(texts)
        ],
    }


def hook_request(hook, drafts=(), *, selections=None, prefetch=None, patient="p1", **extra):
    context = {"userId": "PractitionerRole/pr1", "patientId": patient}
    if hook != "patient-view":
        context["draftOrders"] = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": order} for order in drafts],
        }
    if hook == "order-select":
        context["selections"] = selections or []
    body = {"hook": hook, "hookInstance": str(uuid.uuid4()), "context": context, **extra}
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def statin_prefetch(*texts):
    return {
        "medicationRequests": current_medicines(*texts),
        "medicationStatements": None,
    }
