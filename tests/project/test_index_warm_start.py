"""A server process builds its knowledge index when it loads the app (pharmacy_site/wsgi.py),
so the first screening after a deploy or a worker restart does not wait for it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

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
    """The test database, which the session's setup loaded the curated knowledge base into."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


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
