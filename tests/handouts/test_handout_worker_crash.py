"""A worker SIGKILLed in the middle of a handout: the filesystem broker loses the message
(and Redis would hold it for an hour), so the database must bring the work back. A new
worker requeues it at startup and finishes it, and the storage holds one PDF and one
HTML, not the leftovers of the dead attempt."""

import time

import pytest
from django.utils import timezone

from screening.models import Handout
from screening.tasks import render_handout
from tests.handouts.pdf_reading import pdf_text
from tests.handouts.worker_process import wait_for_status, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 3
# A worker that pauses between the HTML and the PDF (tests/handouts/slow_worker.py).
SLOW_WORKER = "tests.handouts.slow_worker"


def files_of(media_root, handout_id) -> list[str]:
    return sorted(
        p.name for p in media_root.rglob("*") if p.is_file() and str(handout_id) in str(p)
    )


def test_a_handout_whose_worker_is_killed_mid_render_is_finished_by_the_next_worker(
    start_worker, pharmacy_api, make_screening, media_root
):
    # given a worker that pauses between writing the HTML and the PDF, with a short lease
    doomed = start_worker("doomed", entry=SLOW_WORKER, HANDOUT_LEASE_SECONDS=str(LEASE_SECONDS))
    accepted = pharmacy_api.post(
        f"/api/v1/screenings/{make_screening().id}/handouts/", {"language": "es"}, format="json"
    )
    handout_id = accepted.json()["id"]
    wait_until(
        lambda: files_of(media_root, handout_id) == ["handout.html"],
        what="the first worker to write its HTML",
        worker=doomed,
    )

    # when the whole worker is killed, half-way through
    doomed.kill()
    handout = Handout.objects.get(id=handout_id)
    assert handout.status == "running" and handout.attempts == 1

    # and a new worker starts after the dead worker's lease ran out
    time.sleep(max(0.0, (handout.lease_expires_at - timezone.now()).total_seconds()) + 0.2)
    survivor = start_worker("survivor", HANDOUT_LEASE_SECONDS=str(LEASE_SECONDS))

    # then the new worker finishes the handout on its second attempt
    body = wait_for_status(pharmacy_api, handout_id, worker=survivor)
    assert body["status"] == "ready", f"{body}\n{survivor.log_tail()}"
    handout.refresh_from_db()
    assert handout.attempts == 2
    assert handout.claimed_by != "" and f":{doomed.process.pid}" not in handout.claimed_by

    # and storage holds exactly one PDF and one HTML for it
    assert files_of(media_root, handout_id) == ["handout.html", "handout.pdf"]
    pdf = b"".join(pharmacy_api.get(body["pdf"]).streaming_content)
    assert "No deje de tomar ningún medicamento por su cuenta." in pdf_text(pdf)


def test_a_handout_that_runs_past_the_soft_time_limit_fails_with_the_reason(
    start_worker, pharmacy_api, make_screening, media_root
):
    # given a worker whose render takes longer than the job's soft time limit
    slow = start_worker("slow", entry=SLOW_WORKER)
    handout = Handout.objects.create(screening=make_screening(), language="en", paper="a4")

    # when the job is sent with a two-second soft limit
    render_handout.apply_async(args=[str(handout.id)], soft_time_limit=2, time_limit=20)

    # then it fails with the reason, and leaves no half-written file behind
    body = wait_for_status(pharmacy_api, handout.id, worker=slow)
    assert body["status"] == "failed", f"{body}\n{slow.log_tail()}"
    assert "time limit" in body["error"] and body["pdf"] is None and body["finished"]
    assert files_of(media_root, handout.id) == []
