"""Handout fixtures: screenings with results made by the engine (results.py), API callers of two pharmacies,
a media folder and a broker queue of this test session's own, and a REAL Celery worker.

The worker is a `celery -A pharmacy_site worker` subprocess on the embedded filesystem
broker (or on CELERY_BROKER_URL, e.g. Redis in CI) and on the TEST database, so tests
that use it need committed data: mark them `worker` and `django_db(transaction=True)`.
Its output goes to a log file under var/, shown when a wait times out.
"""

import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from pharmacy_site.celery import app as celery_app
from screening.models import ApiClient, Screening
from tests.handouts.results import KB_VERSION, TYPICAL
from tests.handouts.worker_process import SESSION_DIR, WorkerProcess

# --- This session's own media folder and broker queue -------------------------------------


def _uses_filesystem_broker() -> bool:
    return celery_app.conf.broker_url.startswith("filesystem://")


def _point_celery_at(folder: Path) -> None:
    """Send this process's messages to the session's queue folder, not var/celery (which a
    `make run` worker may be reading)."""
    for name in ("queue", "processed"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    celery_app.conf.broker_transport_options = {
        **celery_app.conf.broker_transport_options,
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
    }
    # Connections made before this point carry the old folders: drop them.
    celery_app.close()
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="session", autouse=True)
def handout_session_dirs() -> Iterator[Path]:
    media_root = SESSION_DIR / "media"
    media_root.mkdir(parents=True, exist_ok=True)
    if _uses_filesystem_broker():
        _point_celery_at(SESSION_DIR / "celery")
    else:
        import redis

        # CI gives the suite a Redis database number of its own: start it empty.
        redis.Redis.from_url(celery_app.conf.broker_url).flushdb()
    with override_settings(MEDIA_ROOT=str(media_root)):
        yield SESSION_DIR
    # Worker logs stay for a look after a failure; files and queues go.
    for folder in ("media", "celery"):
        shutil.rmtree(SESSION_DIR / folder, ignore_errors=True)
    _remove_old_sessions()


def _remove_old_sessions() -> None:
    """Folders of sessions that ended a day ago (another session may be running now)."""
    day_ago = time.time() - 24 * 3600
    for folder in SESSION_DIR.parent.glob("session-*"):
        if folder != SESSION_DIR and folder.stat().st_mtime < day_ago:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# --- People and screenings --------------------------------------------------------------


def token_client(pharmacy) -> APIClient:
    _, token = ApiClient.objects.create_key(
        name=f"system {uuid.uuid4().hex[:6]}", pharmacy=pharmacy
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def pharmacy_api(pharmacy) -> APIClient:
    """The pharmacist's pharmacy system, with a Bearer token."""
    return token_client(pharmacy)


@pytest.fixture
def colleague_session(colleague) -> APIClient:
    """A colleague at the same pharmacy, signed in with a session."""
    client = APIClient()
    client.force_login(colleague)
    return client


@pytest.fixture
def outsider_session(outsider) -> APIClient:
    client = APIClient()
    client.force_login(outsider)
    return client


@pytest.fixture
def outsider_token_api(other_pharmacy) -> APIClient:
    return token_client(other_pharmacy)


@pytest.fixture
def make_screening(pharmacy):
    def make(result=TYPICAL, *, of_pharmacy=None) -> Screening:
        return Screening.objects.create(
            pharmacy=of_pharmacy or pharmacy,
            source=Screening.Source.API,
            knowledge_base_version=KB_VERSION,
            request={
                "medications": [line.input for line in result.medications],
                "supplements": [line.input for line in result.supplements],
                "patient": {"language": result.language} if result.language else None,
            },
            result=result.stored(),
        )

    return make


# --- A real worker process --------------------------------------------------------------


@pytest.fixture(scope="module")
def worker(django_db_setup, handout_session_dirs) -> Iterator[WorkerProcess]:
    """One worker for a test module (starting one takes a couple of seconds)."""
    process = WorkerProcess(f"worker-{uuid.uuid4().hex[:6]}").start()
    yield process
    process.stop()


@pytest.fixture
def start_worker(django_db_setup, handout_session_dirs) -> Iterator:
    """Start workers with their own settings (e.g. a short lease); all stopped at the end."""
    started: list[WorkerProcess] = []

    def start(name: str, *options: str, **environment: str) -> WorkerProcess:
        process = WorkerProcess(f"{name}-{uuid.uuid4().hex[:6]}", *options, **environment).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
