"""The app as deployed: gunicorn sync workers, DEBUG=False, on 127.0.0.1, loaded by a
generator in another process; and handouts from request to `ready` through a real worker."""

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench.lines import MIXED
from tests.bench.load import run as load

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LIST_LENGTHS = (1, 20, 100)
_PREPARED: set[str] = set()  # database URLs already migrated and loaded in this run
RUN = f"{os.getpid()}-{secrets.token_hex(3)}"  # names this run's database and queue
CONCURRENCY = (1, 8)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def medication_list(length: int) -> list[str]:
    texts = [text for text, _ in MIXED]
    return [texts[i % len(texts)] for i in range(length)]


class Deployment:
    """A database, a broker and the production settings; gunicorn and workers on top."""

    def __init__(
        self, name: str, *, database_url: str, broker_url: str, workdir: Path, debug=False
    ):
        self.name = name
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))},
            "DJANGO_SETTINGS_MODULE": "pharmacy_site.settings",
            "DEBUG": "True" if debug else "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "VAR_DIR": str(workdir),
            "MEDIA_ROOT": str(workdir / "media"),
            "SECURE_SSL_REDIRECT": "False",
            "API_THROTTLE_RATE": "100000000/minute",
            "LOG_LEVEL": "WARNING",
            # Another run on this machine (make test's smoke run beside a full one) may
            # share the broker: this run's handout jobs stay in its own queue.
            "CELERY_QUEUE": f"bench-{RUN}",
        }
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def prepare(self) -> str:
        """Migrate and load the knowledge base (once per database), and return a new token."""
        if self.env["DATABASE_URL"] not in _PREPARED:
            self.manage("migrate", "--noinput")
            self.manage("load_knowledge_base", "--if-changed")
            _PREPARED.add(self.env["DATABASE_URL"])
        return (
            self.manage("create_api_client", f"bench {secrets.token_hex(3)}")
            .strip()
            .splitlines()[-1]
        )

    def start_web(self, workers: int) -> str:
        port = free_port()
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "pharmacy_site.wsgi:application", "--workers", str(workers),
             "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
             "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "gunicorn.log", "ab"), start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _reachable(base + "/healthz"), what="gunicorn")
        return base

    def start_worker(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "pharmacy_site", "worker", "--pool=prefork",
             "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=warning", "-n", f"bench-{secrets.token_hex(3)}@%h"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "worker.log", "ab"), start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        time.sleep(3)  # the worker connects and declares its queue
        return process

    def stop(self) -> None:
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        self.processes = []


def prepared(database_url: str) -> None:
    """Say that this database was migrated and loaded by someone else in this run."""
    _PREPARED.add(database_url)


def wait_for(condition, *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up")


def _reachable(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - http://127.0.0.1 URLs built here
        return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


def call(base: str, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 URLs built here
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://127.0.0.1 URLs built here
        return json.loads(response.read())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def warm(base: str, token: str, workers: int) -> None:
    """A few screenings before the clock starts, several at a time so that they reach
    every worker: each has built its index while loading, but its first requests still
    fill the line memo and the interpreter's caches."""
    body = {"medications": medication_list(20)}
    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        for _ in range(3):
            list(pool.map(lambda _: call(base, "/api/v1/screenings/", token, body),
                          range(2 * workers)))  # fmt: skip


def http_section(
    deployment: Deployment, *, seconds: float, rounds: int = 1, workers: int = 2
) -> dict:
    """Latency and throughput of screenings by list length and concurrency, beside the floor.

    The cells of one concurrency are measured in turns, `rounds` times over (floor, 1, 20,
    100 lines, floor, ...), `seconds` each: this shared machine's speed drifts within a
    minute, and in turns a drift falls on the floor and the screenings alike instead of on
    whichever cell ran then. A cell's p50 is the median of its rounds', its p99 the worst
    round's, its throughput all its requests over all its time."""
    token = deployment.prepare()
    base = deployment.start_web(workers)
    floor_body = b""
    cells = [("floor", "/api/v1/me/", "GET", floor_body)] + [
        (length, "/api/v1/screenings/", "POST",
         json.dumps({"medications": medication_list(length)}).encode())
        for length in LIST_LENGTHS
    ]  # fmt: skip
    try:
        warm(base, token, workers)
        measured: dict[tuple, list[dict]] = {}
        for concurrency in CONCURRENCY:
            for _ in range(rounds):
                for name, path, method, body in cells:
                    figures = load(base + path, method=method, body=body, token=token,
                                   concurrency=concurrency, seconds=seconds)  # fmt: skip
                    measured.setdefault((name, concurrency), []).append(figures)
        web_pids = children(deployment.processes[-1].pid)
        memory = [rss_mb(pid) for pid in web_pids]
    finally:
        deployment.stop()
    floor = {str(c): _combined(measured[("floor", c)]) for c in CONCURRENCY}
    runs = [
        {"lines": length, **_combined(measured[(length, c)])}
        for length in LIST_LENGTHS
        for c in CONCURRENCY
    ]
    return {"floor": floor, "screenings": runs, "rounds": rounds, "web_worker_rss_mb": memory}


def _combined(rounds: list[dict]) -> dict:
    """One cell's rounds as one: the median p50 and the worst p99 of the rounds that
    measured a request (one that measured none has no latency, not a latency of 0), sums
    of the counts."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    timed = [r for r in rounds if r["requests"]] or rounds
    return {
        **rounds[0],
        "requests": requests,
        "seconds": seconds,
        "errors": sum(r["errors"] for r in rounds),
        "non_2xx": sum(r["non_2xx"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in timed),
        "p99_ms": max(r["p99_ms"] for r in timed),
        "rps": requests / seconds if seconds else 0.0,
    }


def scale_out(deployment: Deployment, *, seconds: float, workers_list=(1, 2, 4)) -> list[dict]:
    token = deployment.prepare()
    body = json.dumps({"medications": medication_list(20)}).encode()
    out = []
    for workers in workers_list:
        base = deployment.start_web(workers)
        try:
            warm(base, token, workers)
            figures = load(base + "/api/v1/screenings/", method="POST", body=body, token=token,
                           concurrency=8, seconds=seconds)  # fmt: skip
        finally:
            deployment.stop()
        out.append({"workers": workers, **figures})
    return out


def handout_latency(deployment: Deployment, *, samples: int) -> dict:
    """From POST .../handouts/ to `ready`, one handout at a time, through a real worker."""
    token = deployment.prepare()
    base = deployment.start_web(1)
    worker = deployment.start_worker()
    try:
        screening = call(base, "/api/v1/screenings/", token, {"medications": medication_list(8)})
        latencies = []
        for n in range(samples):
            started = time.perf_counter()
            asked = call(base, f"/api/v1/screenings/{screening['id']}/handouts/", token,
                         {"language": "en", "patient_name": f"Patient {n}", "new": True})  # fmt: skip
            while call(base, f"/api/v1/handouts/{asked['id']}/", token)["status"] not in {
                "ready",
                "failed",
            }:
                time.sleep(0.02)
                if time.perf_counter() - started > 60:
                    raise RuntimeError("a handout was not ready within 60 s")
            latencies.append(time.perf_counter() - started)
        worker_rss = sum(rss_mb(pid) for pid in [worker.pid, *children(worker.pid)])
    finally:
        deployment.stop()
    latencies.sort()
    return {
        "samples": samples,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "max_ms": latencies[-1] * 1000,
        "worker_rss_mb_with_pool": worker_rss,
    }
