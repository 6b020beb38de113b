"""A server process builds its knowledge index when it loads the app (pharmacy_site/wsgi.py),
so the first screening after a deploy or a worker restart does not wait for it."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from screening.models import KnowledgeBaseVersion
from screening.selectors.knowledge import warm_knowledge_index

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

# Loads the app as a WSGI server does, then reports whether the first screening's call for
# the index had to build one.
LOAD_AS_A_SERVER = """
import json
import pharmacy_site.wsgi
from screening.selectors import knowledge

built_on_use = []
real_build = knowledge.build_index
knowledge.build_index = lambda *a, **k: built_on_use.append(1) or real_build(*a, **k)
index = knowledge.get_knowledge_index()
print(json.dumps({"version": index.version, "built_on_use": len(built_on_use)}))
"""


def _database_url() -> str:
    """The test database, which the session's setup loaded and committed the curated
    knowledge base into (pytest-django runs tests like these before any that flush it)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _load_as_a_server(
    database_url: str, tmp_path: Path, script: str = LOAD_AS_A_SERVER
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env.update(DATABASE_URL=database_url, VAR_DIR=str(tmp_path), LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_server_process_has_its_index_before_the_first_screening(knowledge_base, tmp_path):
    done = _load_as_a_server(_database_url(), tmp_path)

    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"version": knowledge_base.version, "built_on_use": 0}


def test_a_database_not_migrated_yet_does_not_stop_the_server_from_starting(tmp_path):
    # A deploy that starts the new code before it migrates: the app loads, says why the
    # index waits, and builds it on the first screening once the tables are there.
    done = _load_as_a_server(
        f"sqlite:///{tmp_path / 'not-migrated.sqlite3'}",
        tmp_path,
        script="import pharmacy_site.wsgi; print('loaded')",
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "loaded"
    assert "knowledge index not built at start" in done.stderr


def test_warming_inside_a_transaction_leaves_the_transaction_usable(knowledge_base):
    # The test runs in a transaction: its connection is not closed under it.
    assert warm_knowledge_index() is True
    assert KnowledgeBaseVersion.objects.filter(pk=knowledge_base.pk).exists()


def test_a_postgresql_connection_attempt_gives_up_in_seconds(tmp_path):
    # A web worker warms its index while it boots: a database that does not answer must
    # fail the connection before gunicorn's boot timeout, not hang it.
    read = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['connect_timeout'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(DATABASE_URL="postgres://someone@db.invalid:5432/pharmacy", VAR_DIR=str(tmp_path))
    default = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {read}"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "pharmacy_site.settings"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    chosen = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {read}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**env, "DJANGO_SETTINGS_MODULE": "pharmacy_site.settings",
             "DATABASE_CONNECT_TIMEOUT": "12"},
    )  # fmt: skip

    assert default.returncode == 0, default.stderr[-2000:]
    assert default.stdout.split() == ["5"]
    assert chosen.stdout.split() == ["12"]
