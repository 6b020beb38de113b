"""A real `celery -A pharmacy_site worker` process for the handout tests, and waiting on it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from pharmacy_site.celery import app as celery_app

SESSION_DIR = Path(settings.VAR_DIR) / "test-handouts" / f"session-{os.getpid()}"
WORKER_START_TIMEOUT = 45
WAIT_TIMEOUT = 60
STOP_GRACE_SECONDS = 1.5


def _test_database_url() -> str:
    """The TEST database (pytest-django renamed it), as a URL the worker's settings read."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"].endswith("postgresql"):
        credentials = quote(db.get("USER") or "", safe="")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"No worker database URL for {db['ENGINE']}")


class WorkerProcess:
    """`celery -A pharmacy_site worker` as its own process group, logging to a file."""

    def __init__(self, name: str, *options: str, entry: str = "celery", **environment: str) -> None:
        self.name = name
        self.options = options
        # The module run with `python -m`: celery itself, or a test-only wrapper around it
        # (tests/handouts/slow_worker.py).
        self.entry = entry
        self.log_path = SESSION_DIR / "logs" / f"{name}.log"
        self.environment = environment
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pharmacy_site.settings",
            "DATABASE_URL": _test_database_url(),
            # The broker folder (filesystem broker) and beat file of this session only.
            "VAR_DIR": str(SESSION_DIR),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONUNBUFFERED": "1",
            **self.environment,
        }
        command = [
            sys.executable, "-m", self.entry, "-A", "pharmacy_site", "worker",
            "--pool=prefork", "--concurrency=1", "--loglevel=info",
            "-Q", celery_app.conf.task_default_queue,
            "-n", f"{self.name}-{os.getpid()}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            *self.options,
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill takes its pool too
            )
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"Worker {self.name} did not start.\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole worker, pool included, as a crash or the OOM killer would."""
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            # A warm shutdown logs its goodbye at once but then idles ~5 s before exiting.
            self.process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def _signal(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 80) -> str:
        tail = "\n".join(self.log().splitlines()[-lines:])
        return f"--- last lines of {self.log_path} ---\n{tail}"


def wait_for_status(
    client: APIClient, handout_id, *, statuses=("ready", "failed"), worker=None
) -> dict:
    """Poll GET /api/v1/handouts/{id}/ until the handout reaches one of ``statuses``."""
    deadline = time.monotonic() + WAIT_TIMEOUT
    body: dict = {}
    while time.monotonic() < deadline:
        response = client.get(f"/api/v1/handouts/{handout_id}/")
        assert response.status_code == 200, response.content
        body = response.json()
        if body["status"] in statuses:
            return body
        time.sleep(0.1)
    log = worker.log_tail() if worker else ""
    pytest.fail(
        f"Handout {handout_id} still {body.get('status')!r} after {WAIT_TIMEOUT} s: {body}\n{log}"
    )


def wait_until(condition, *, what: str, worker: WorkerProcess | None = None) -> None:
    """Poll ``condition`` until it is true, for at most WAIT_TIMEOUT seconds."""
    deadline = time.monotonic() + WAIT_TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    log = worker.log_tail() if worker else ""
    pytest.fail(f"Timed out after {WAIT_TIMEOUT} s waiting for {what}\n{log}")
