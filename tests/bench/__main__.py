"""`make bench` (python -m tests.bench): one run, every figure beside its floor, written to
var/bench/<time>/ as report.md, results.json and plots (docs/benchmark.md).

The machine is shared and noisy: targets are read as ratios within this one run.
`--smoke` runs every part at a token size (make test does, so the benchmark cannot rot).
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import engine, http  # noqa: E402
from tests.bench.report import write_report  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/{name}")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
# One SQLite file for the in-process parts and both SQLite deployments: the knowledge base
# is loaded once (the later loads are --if-changed, so nothing to do).
SQLITE_FILE = "bench.sqlite3"


def _postgres_admin():
    import psycopg

    return psycopg.connect(POSTGRES.format(name="postgres"), autocommit=True, connect_timeout=3)


def postgres_database(name: str) -> str | None:
    """A fresh database on the local PostgreSQL, or None when there is none."""
    try:
        with _postgres_admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return POSTGRES.format(name=name)
    except Exception as error:  # noqa: BLE001 - no PostgreSQL here: that part is skipped
        print(f"  (no PostgreSQL: {type(error).__name__}; its figures are skipped)")
        return None


def drop_postgres_database(name: str) -> None:
    with _postgres_admin() as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).flushdb()
        return True
    except Exception:  # noqa: BLE001
        return False


def setup_django(work: Path) -> None:
    """Django in this process, on a throwaway SQLite database of this run."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pharmacy_site.settings",
        VAR_DIR=str(work / "in-process"),
        DATABASE_URL=f"sqlite:///{work / SQLITE_FILE}",
        MEDIA_ROOT=str(work / "in-process" / "media"),
        API_THROTTLE_RATE="100000000/minute",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()


def profile_section(out: Path, *, smoke: bool) -> dict:
    """Where a 100-line screening's time goes, in-process: a pyinstrument profile kept as
    HTML (a flame-style call tree) and text beside the report."""
    import io

    from django.core.management import call_command
    from pyinstrument import Profiler
    from rest_framework.test import APIClient

    from screening.models import ApiClient, Pharmacy
    from tests.bench.http import medication_list

    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", stdout=io.StringIO())
    http.prepared(os.environ["DATABASE_URL"])  # the SQLite deployment need not load it again
    _, token = ApiClient.objects.create_key(
        name="bench", pharmacy=Pharmacy.objects.create(name="B")
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {"medications": medication_list(100)}
    for _ in range(3):
        assert client.post("/api/v1/screenings/", body, format="json").status_code == 201
    profiler = Profiler(interval=0.0002)
    count = 3 if smoke else 50
    profiler.start()
    for _ in range(count):
        client.post("/api/v1/screenings/", body, format="json")
    profiler.stop()
    (out / "profile-100-lines.html").write_text(profiler.output_html())
    (out / "profile-100-lines.txt").write_text(profiler.output_text(unicode=True, show_all=False))
    return {"requests": count, "html": "profile-100-lines.html", "text": "profile-100-lines.txt"}


def pdf_section(*, smoke: bool) -> dict:
    """PDFs per second in one process: content, HTML, PDF and readability, as the job does."""
    from screening.handouts.content import Pharmacy as PharmacyDetails
    from screening.handouts.content import build_handout_content
    from screening.handouts.html_rendering import render_html
    from screening.handouts.pdf_rendering import render_pdf
    from screening.handouts.readability import readability
    from tests.handouts.results import TYPICAL

    def one():
        content = build_handout_content(
            result=TYPICAL, language="en", pharmacy=PharmacyDetails(name="Bench", phone="", address=""),
            knowledge_base_version="bench", patient_name="A Patient", pharmacist_name="B",
            date=datetime.date(2026, 11, 30),
        )  # fmt: skip
        render_html(content, paper="letter")
        render_pdf(content, paper="letter")
        readability(content.plain_text(), language="en")

    one()
    count = 5 if smoke else 200
    started = time.perf_counter()
    for _ in range(count):
        one()
    elapsed = time.perf_counter() - started
    return {"handouts": count, "per_second": count / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="every part, token sizes")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    smoke = args.smoke
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or ROOT / "var" / "bench" / stamp
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "var"))
    seconds = 1 if smoke else 2
    rounds = 1 if smoke else 3  # HTTP cells measured in turns (tests/bench/http.py)
    results: dict = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "smoke": smoke,
        "seconds_per_load_run": seconds,
        "load_rounds": rounds,
    }

    print("engine ...", flush=True)
    results["engine"] = engine.engine_section(smoke=smoke)
    setup_django(work)
    print("handout PDFs in one process ...", flush=True)
    results["pdf"] = pdf_section(smoke=smoke)
    print("profile of a 100-line request ...", flush=True)
    results["profile"] = profile_section(out, smoke=smoke)

    have_redis = redis_available()
    broker = REDIS if have_redis else "redis://127.0.0.1:6379/11"
    print("HTTP on SQLite ...", flush=True)
    sqlite = http.Deployment("sqlite", database_url=f"sqlite:///{work / SQLITE_FILE}",
                             broker_url=broker, workdir=work / "sqlite")  # fmt: skip
    results["http_sqlite"] = http.http_section(sqlite, seconds=seconds, rounds=rounds)
    # A name of this run's own: a second run on this machine (make test's smoke run beside
    # a full one) once dropped the database under the first.
    pg_name = f"bench_{http.RUN}".replace("-", "_")
    pg_url = postgres_database(pg_name)
    try:
        if pg_url:
            print("HTTP on PostgreSQL ...", flush=True)
            pg = http.Deployment(
                "postgres", database_url=pg_url, broker_url=broker, workdir=work / "pg"
            )
            results["http_postgres"] = http.http_section(pg, seconds=seconds, rounds=rounds)
            print("scale-out on PostgreSQL ...", flush=True)
            results["scale_out_postgres"] = http.scale_out(
                pg, seconds=seconds * rounds, workers_list=(1, 2) if smoke else (1, 2, 4)
            )
        samples = 2 if smoke else 10
        print("handouts, request to ready ...", flush=True)
        files = http.Deployment(
            "filesystem", database_url=f"sqlite:///{work / SQLITE_FILE}",
            broker_url="filesystem://", workdir=work / "fs", debug=True,
        )  # fmt: skip
        results["handout_latency_filesystem"] = http.handout_latency(files, samples=samples)
        if pg_url and have_redis:
            redis_deployment = http.Deployment("redis", database_url=pg_url, broker_url=REDIS,
                                               workdir=work / "redis")  # fmt: skip
            results["handout_latency_redis"] = http.handout_latency(
                redis_deployment, samples=samples
            )
    finally:
        if pg_url:
            drop_postgres_database(pg_name)

    (out / "results.json").write_text(json.dumps(results, indent=2))
    report = write_report(results, out)
    latest = out.parent / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(out.name)
    shutil.rmtree(work, ignore_errors=True)
    print(report)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
