"""A load generator for the benchmark: wrk when the machine has it, else this module's own
(threads with keep-alive connections, run as a separate process). Loopback only, bounded
in time. Prints one JSON object: requests, errors, non-2xx, p50/p99 in ms, requests/s."""

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = """
local f = io.open(os.getenv("BENCH_BODY"), "r")
local body = f and f:read("*a") or ""
if f then f:close() end
wrk.method = os.getenv("BENCH_METHOD")
if body ~= "" then wrk.body = body end
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%f,"errors":%d,"non_2xx":%d,"p50_ms":%f,"p99_ms":%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run(
    url: str, *, method: str, body: bytes, token: str, concurrency: int, seconds: float
) -> dict:
    """Load `url` for `seconds` with `concurrency` connections; the figures as a dict.
    A run that completed no request and met no error (wrk stops at its deadline, in-flight
    requests uncounted) is run again for twice as long, up to twice: a cell without a
    figure measures nothing. A run with errors is returned as it is, errors and all."""
    for _ in range(2):
        figures = _run(url, method=method, body=body, token=token, concurrency=concurrency,
                       seconds=seconds)  # fmt: skip
        if figures["requests"] or figures["errors"]:
            return figures
        seconds *= 2
    return _run(url, method=method, body=body, token=token, concurrency=concurrency,
                seconds=seconds)  # fmt: skip


def _run(
    url: str, *, method: str, body: bytes, token: str, concurrency: int, seconds: float
) -> dict:
    assert urlsplit(url).hostname in {"127.0.0.1", "localhost"}, "loopback only"
    with tempfile.TemporaryDirectory() as tmp:
        body_path = Path(tmp) / "body.json"
        body_path.write_bytes(body)
        if shutil.which("wrk"):
            script = Path(tmp) / "bench.lua"
            script.write_text(WRK_SCRIPT)
            threads = min(2, concurrency)
            command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(seconds))}s",
                       "--timeout", "10s", "-s", str(script), url]  # fmt: skip
            tool = "wrk"
        else:
            command = [sys.executable, "-m", "tests.bench.load", url, "--method", method,
                       "--body", str(body_path), "--concurrency", str(concurrency),
                       "--seconds", str(seconds)]  # fmt: skip
            tool = "python"
        env = {"BENCH_BODY": str(body_path), "BENCH_METHOD": method, "BENCH_TOKEN": token,
               "PATH": "/usr/bin:/bin"}  # fmt: skip
        done = subprocess.run(
            command, env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
            capture_output=True, text=True, timeout=seconds + 60,
        )  # fmt: skip
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("{")), None)
        if line is None:
            raise RuntimeError(f"load generator failed: {done.stdout}\n{done.stderr}")
        figures = json.loads(line)
    figures["rps"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    figures["tool"] = tool
    figures["concurrency"] = concurrency
    return figures


def _own(url: str, method: str, body: bytes, token: str, concurrency: int, seconds: float) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    failures = {"errors": 0, "non_2xx": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine = []
        first = True
        # Every connection makes at least one attempt, however late its thread ran: on a
        # busy shared machine a one-second smoke run was once descheduled past its whole
        # window and measured nothing at all.
        while first or time.perf_counter() < deadline:
            first = False
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                with lock:
                    failures["errors"] += 1
                continue
            mine.append(time.perf_counter() - started)
            if not 200 <= status < 300:
                with lock:
                    failures["non_2xx"] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        **failures,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


if __name__ == "__main__":
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    payload = Path(args.body).read_bytes() if args.body else b""
    print(json.dumps(_own(args.url, args.method, payload, os.environ["BENCH_TOKEN"],
                          args.concurrency, args.seconds)))  # fmt: skip
