"""Trusting CDS clients: each call's JWT is checked, and the reason is never echoed."""

import time
import uuid

import jwt
import pytest

from tests.cds_hooks.conftest import BASE, draft_order, hook_request, new_key, signed_token
from tests.cds_hooks.conftest import statin_prefetch as prefetch

SIGN = "/leg-cramp-order-sign"


def _body():
    return hook_request("order-sign", [draft_order("d1", "Furosemide 40 MG")], prefetch=prefetch())


def test_a_correctly_signed_token_is_accepted(ehr):
    assert ehr.post(SIGN, _body()).status_code == 200


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda ehr: ehr.token(SIGN, lifetime=-120), id="expired"),
        pytest.param(
            lambda ehr: signed_token(
                ehr.private_key, issuer=ehr.issuer, audience=BASE + "/leg-cramp-order-select"
            ),
            id="wrong-audience",
        ),
        pytest.param(
            lambda ehr: signed_token(new_key(), issuer=ehr.issuer, audience=BASE + SIGN),
            id="wrong-key",
        ),
        pytest.param(lambda ehr: ehr.token(SIGN, kid="key-2"), id="unknown-kid"),
        pytest.param(
            lambda ehr: signed_token(
                ehr.private_key, issuer="https://someone.else", audience=BASE + SIGN
            ),
            id="unknown-issuer",
        ),
        pytest.param(lambda ehr: ehr.token(SIGN, lifetime=3600), id="lives-an-hour"),
        pytest.param(
            lambda ehr: jwt.encode(
                {
                    "iss": ehr.issuer,
                    "aud": BASE + SIGN,
                    "iat": int(time.time()),
                    "exp": int(time.time()) + 60,
                    "jti": str(uuid.uuid4()),
                },
                "a-shared-secret-is-not-allowed-here",
                algorithm="HS256",
                headers={"kid": "key-1"},
            ),
            id="symmetric-algorithm",
        ),
        pytest.param(
            lambda ehr: jwt.encode(
                {"iss": ehr.issuer, "aud": BASE + SIGN, "exp": int(time.time()) + 60},
                ehr.private_key,
                algorithm="ES384",
                headers={"kid": "key-1"},
            ),
            id="no-jti-or-iat",
        ),
        pytest.param(
            lambda ehr: (
                signed_token(ehr.private_key, issuer=ehr.issuer, audience=BASE + SIGN)[:-4] + "AAAA"
            ),
            id="tampered-signature",
        ),
    ],
)
def test_a_bad_token_is_a_bare_401(ehr, make_token):
    response = ehr.post(SIGN, _body(), token=make_token(ehr))

    assert response.status_code == 401
    assert response.json()["detail"] == "The JWT was not accepted."


def test_a_replayed_token_is_refused(ehr):
    token = ehr.token(SIGN)

    first = ehr.post(SIGN, _body(), token=token)
    replay = ehr.post(SIGN, _body(), token=token)

    assert first.status_code == 200
    assert replay.status_code == 401


def test_a_jku_other_than_the_registered_one_is_refused(ehr):
    token = jwt.encode(
        {
            "iss": ehr.issuer,
            "aud": BASE + SIGN,
            "iat": int(time.time()),
            "exp": int(time.time()) + 60,
            "jti": str(uuid.uuid4()),
        },
        ehr.private_key,
        algorithm="ES384",
        headers={"kid": "key-1", "jku": "https://attacker.example/jwks.json"},
    )

    assert ehr.post(SIGN, _body(), token=token).status_code == 401


def test_an_api_client_token_works_too_for_testing(api):
    response = api.post("/cds-services" + SIGN, _body(), format="json")

    assert response.status_code == 200


def test_no_credentials_is_a_401_and_json(client, knowledge_base):
    response = client.post("/cds-services" + SIGN, _body(), content_type="application/json")

    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"


def test_an_unknown_service_is_a_json_404(ehr):
    response = ehr.post("/nope", _body())

    assert response.status_code == 404
    assert response.json()["error"]


def test_a_token_whose_algorithm_does_not_fit_the_key_is_a_401_not_a_500(ehr):
    from cryptography.hazmat.primitives.asymmetric import rsa

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": ehr.issuer, "aud": BASE + SIGN, "iat": now, "exp": now + 60,
              "jti": str(uuid.uuid4())}  # fmt: skip
    forged = jwt.encode(claims, rsa_key, algorithm="RS384", headers={"kid": "key-1"})

    response = ehr.post(SIGN, _body(), token=forged)

    assert response.status_code == 401


def test_a_token_replayed_just_after_it_expired_is_still_a_replay(ehr):
    token = ehr.token(SIGN, lifetime=-5)  # expired, but inside the clock leeway

    assert ehr.post(SIGN, _body(), token=token).status_code == 200
    assert ehr.post(SIGN, _body(), token=token).status_code == 401
