"""Shared fixtures: the curated knowledge base, and three people — a pharmacist, a
colleague at the same pharmacy, and an outsider who must see nothing of theirs.

Django is imported inside the fixtures, not here: the engine's tests run without it
(`pytest tests/engine -p no:django`), and this file is loaded for every test."""

import socket

import pytest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests never reach outside this machine."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise RuntimeError(f"Tests must not use the network (tried {address!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def _load_curated_knowledge_base() -> None:
    from django.core.management import call_command

    from screening.selectors.knowledge import knowledge_index_cache

    call_command("load_knowledge_base", verbosity=0)
    knowledge_index_cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_curated_knowledge_base()


@pytest.fixture
def knowledge_base(db):
    """The curated knowledge base, loaded (again, if a transactional test flushed it)."""
    from screening.models import KnowledgeBaseVersion

    if not KnowledgeBaseVersion.objects.exists():
        _load_curated_knowledge_base()
    return KnowledgeBaseVersion.objects.order_by("-created", "-id").first()


@pytest.fixture
def pharmacy(db):
    from screening.models import Pharmacy

    return Pharmacy.objects.create(name="Riverside Pharmacy", phone="555-0100")


@pytest.fixture
def other_pharmacy(db):
    from screening.models import Pharmacy

    return Pharmacy.objects.create(name="Hilltop Pharmacy", phone="555-0199")


def _pharmacist(username: str, pharmacy):
    from django.contrib.auth import get_user_model

    from screening.models import Pharmacist

    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    Pharmacist.objects.create(user=user, pharmacy=pharmacy)
    return user


@pytest.fixture
def pharmacist(pharmacy):
    return _pharmacist("alice", pharmacy)


@pytest.fixture
def colleague(pharmacy):
    return _pharmacist("bob", pharmacy)


@pytest.fixture
def outsider(other_pharmacy):
    return _pharmacist("mallory", other_pharmacy)


def _token_client(pharmacy, name: str):
    from rest_framework.test import APIClient

    from screening.models import ApiClient

    _, token = ApiClient.objects.create_key(name=name, pharmacy=pharmacy)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api(knowledge_base, pharmacy):
    """A pharmacy system of the pharmacist's pharmacy, calling with a Bearer token."""
    return _token_client(pharmacy, "dispensing system")


@pytest.fixture
def colleague_api(knowledge_base, pharmacy):
    return _token_client(pharmacy, "second terminal")


@pytest.fixture
def outsider_api(knowledge_base, other_pharmacy):
    return _token_client(other_pharmacy, "someone else's system")


@pytest.fixture
def anonymous_api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _knowledge_changes_seen_at_once(request):
    """Tests edit the knowledge base and screen straight after: check the version on every
    request (production checks at most once a second)."""
    if request.config.pluginmanager.has_plugin("django"):
        from django.conf import settings

        previous = settings.KNOWLEDGE_VERSION_CHECK_SECONDS
        settings.KNOWLEDGE_VERSION_CHECK_SECONDS = 0
        yield
        settings.KNOWLEDGE_VERSION_CHECK_SECONDS = previous
    else:
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_cache(request):
    if request.config.pluginmanager.has_plugin("django"):
        from django.core.cache import cache

        cache.clear()
    yield


@pytest.fixture
def supported_languages() -> list[str]:
    from django.conf import settings

    return [code for code, _ in settings.LANGUAGES]
