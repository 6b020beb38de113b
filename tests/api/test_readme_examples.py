"""The README's curl examples, run as written against a live server."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED_HOST = "http://127.0.0.1:8000"


def _curl_examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return [block for block in blocks if block.lstrip().startswith("curl")]


def test_the_readme_shows_text_coded_fhir_and_detected_issue_examples():
    examples = _curl_examples()

    assert len(examples) == 4
    assert "rxnorm" in examples[1] and "ndc" in examples[1]
    assert '"resourceType": "Bundle"' in examples[2]
    assert "application/fhir+json" in examples[3]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_each_readme_example_answers_as_the_readme_says(live_server, knowledge_base, pharmacy):
    from screening.models import ApiClient

    _, token = ApiClient.objects.create_key(name="readme", pharmacy=pharmacy)
    environment = {**os.environ, "TOKEN": token}
    answers = []
    for example in _curl_examples():
        command = example.replace(DOCUMENTED_HOST, live_server.url)
        finished = subprocess.run(
            ["bash", "-c", command], env=environment, capture_output=True, text=True, timeout=60
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr
        answers.append(json.loads(finished.stdout))
        if "id" in answers[-1] and "medications" in answers[-1]:
            environment["SCREENING_ID"] = answers[-1]["id"]

    text, coded, fhir, detected = answers
    assert {f["drug_class"] for f in text["findings"]} >= {"loop_diuretic", "thiazide_diuretic"}
    assert text["supplement_cautions"]  # magnesium with an eGFR of 28
    assert [line["status"] for line in coded["medications"]] == ["matched"] * 3
    assert coded["medications"][0]["match"]["method"] == "coding_display"
    assert fhir["interactions"]  # simvastatin with clarithromycin
    assert fhir["not_screened_resources"][0]["id"] == "st2"
    assert detected["resourceType"] == "Bundle"
    assert detected["id"] == fhir["id"]
