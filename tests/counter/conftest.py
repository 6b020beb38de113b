"""The counter screen's test fixtures: headless Chromium driven by Playwright, and a real
Celery worker process for the handouts the browser asks for."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from pharmacy_site.celery import app as celery_app
from tests.handouts.worker_process import WorkerProcess

# Debian's Chromium; Playwright's own browser download does not work on these machines.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = settings.BASE_DIR / "test-artifacts" / "counter"


def _chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = (
            "Debian's chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def chromium(django_db_setup):
    """One browser for a test module.

    Playwright's sync API keeps an event loop running in this thread while it is open, and
    Django then refuses ORM calls as "async". The test's ORM calls are still plain
    synchronous calls, so the guard is lifted, and only for as long as the browser is open
    (module scope: the rest of the suite never runs beside a live event loop).
    """
    executable = _chromium_path()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh tablet-sized browser tab on the live server."""
    context = chromium.new_context(
        viewport={"width": 1024, "height": 1366}, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as a test artefact (test-artifacts/counter/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _worker_var_dir() -> str:
    """The VAR_DIR whose broker folders this process publishes to right now.

    The handout tests move this process's filesystem-broker folders to a session folder of
    their own; a worker must read the folders the messages are actually written to.
    """
    folder = (celery_app.conf.broker_transport_options or {}).get("data_folder_in")
    return str(Path(folder).parent.parent) if folder else str(settings.VAR_DIR)


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[WorkerProcess]:
    """A real `celery -A pharmacy_site worker` (the handout tests' WorkerProcess) on the test
    database, consuming a queue of this test's own.

    With its own queue, no other worker on the same broker (a developer's `make run`,
    another test run) takes this test's messages, and it takes none of theirs.
    """
    queue = f"counter-test-{uuid.uuid4().hex[:12]}"
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    worker = WorkerProcess(queue, VAR_DIR=_worker_var_dir())
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        celery_app.conf.task_default_queue = previous_queue
