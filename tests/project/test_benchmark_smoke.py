"""The benchmark at token size, so it cannot rot: every part runs and reports. No figure
is asserted (timing lives in `make bench`, never in `make test`)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
def test_the_benchmark_runs_every_part_and_writes_its_report(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert {"engine", "pdf", "http_sqlite", "handout_latency_filesystem"} <= set(results)
    for run in results["http_sqlite"]["screenings"]:
        assert run["requests"] > 0 and run["non_2xx"] == 0 and run["errors"] == 0, run
    report = (tmp_path / "report.md").read_text()
    assert "## Targets" in report and "## Engine" in report
    assert (tmp_path / "latency_by_length.png").stat().st_size > 0
    assert (tmp_path / "profile-100-lines.html").stat().st_size > 0
