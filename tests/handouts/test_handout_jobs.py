"""The handout job's guarantees, run in-process through the real task and services:
claims, a second delivery, retries, failures, requeueing lost work, one file per kind."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from screening.models import Handout
from screening.services.handouts import (
    handout_claim,
    handout_render,
    handout_request,
    handouts_requeue_stalled,
)
from screening.tasks import render_handout
from tests.handouts.pdf_reading import pdf_page_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def handout(make_screening) -> Handout:
    return handout_request(screening=make_screening(), language="en", patient_name="Ana")


def handout_files(media_root, handout: Handout) -> list[str]:
    return sorted(
        p.name for p in media_root.rglob("*") if p.is_file() and str(handout.id) in str(p)
    )


def test_the_job_renders_both_files_and_records_its_figures(handout, media_root):
    # when the job runs
    render_handout.apply(args=[str(handout.id)])

    # then the handout is ready with one PDF and one HTML, its grade, pages and timings
    handout.refresh_from_db()
    assert handout.status == "ready" and handout.attempts == 1 and handout.finished
    assert handout_files(media_root, handout) == ["handout.html", "handout.pdf"]
    with handout.pdf.open("rb") as pdf:
        assert pdf_page_count(pdf.read()) == handout.page_count
    assert handout.readability_grade <= 6
    assert handout.readability_formula == "flesch_kincaid_grade"
    assert handout.readability_score == handout.readability_grade
    assert {"content_ms", "html_ms", "pdf_ms", "readability_ms", "storage_ms", "total_ms"} <= set(
        handout.timings
    )
    assert handout.claimed_by and handout.lease_expires_at is None


def test_a_second_delivery_of_the_same_job_finds_nothing_to_do(handout, media_root):
    render_handout.apply(args=[str(handout.id)])
    handout.refresh_from_db()
    first_finished = handout.finished
    pdf = media_root / handout.pdf.name
    written = pdf.stat().st_mtime_ns

    render_handout.apply(args=[str(handout.id)])

    # the handout is not made twice: no second attempt, the same file, the same time
    handout.refresh_from_db()
    assert handout.attempts == 1 and handout.finished == first_finished
    assert pdf.stat().st_mtime_ns == written


def test_a_running_handout_with_a_live_lease_cannot_be_claimed_twice(handout):
    first = handout_claim(handout_id=handout.id, worker="host-a:1")

    second = handout_claim(handout_id=handout.id, worker="host-b:2")

    assert first is not None and first.attempt == 1
    assert second is None


def test_a_running_handout_whose_lease_expired_is_claimed_by_the_next_delivery(handout):
    handout_claim(handout_id=handout.id, worker="dead-host:1")
    Handout.objects.filter(id=handout.id).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    claim = handout_claim(handout_id=handout.id, worker="live-host:2")

    assert claim is not None and claim.attempt == 2


def test_a_worker_that_lost_its_claim_cannot_mark_the_handout_ready(handout):
    stale = handout_claim(handout_id=handout.id, worker="slow-host:1")
    Handout.objects.filter(id=handout.id).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    handout_claim(handout_id=handout.id, worker="live-host:2")

    marked = handout_render(claim=stale)

    assert marked is False
    assert Handout.objects.get(id=handout.id).status == "running"


def test_a_rerender_replaces_the_files_instead_of_adding_new_ones(handout, media_root):
    # given an attempt that wrote its files and then lost its worker
    first = handout_claim(handout_id=handout.id, worker="dead-host:1")
    handout_render(claim=first)
    Handout.objects.filter(id=handout.id).update(
        status="running", lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    # when the handout is rendered again
    render_handout.apply(args=[str(handout.id)])

    # then there is still exactly one PDF and one HTML
    assert handout_files(media_root, handout) == ["handout.html", "handout.pdf"]
    assert Handout.objects.get(id=handout.id).attempts == 2


def test_a_broken_screening_result_fails_the_handout_with_the_reason(make_screening, media_root):
    screening = make_screening()
    screening.result = {"medications": "not a list", "findings": 42}
    screening.save()
    handout = handout_request(screening=screening, language="en")

    render_handout.apply(args=[str(handout.id)])

    handout.refresh_from_db()
    assert handout.status == "failed" and handout.finished
    assert "could not be made" in handout.error
    assert handout_files(media_root, handout) == []


def test_storage_errors_are_retried_then_fail_after_the_last_attempt(handout, settings, tmp_path):
    # given storage that cannot be written (its folder is a file)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = str(blocked)
    settings.HANDOUT_MAX_ATTEMPTS = 3

    # when the job runs (eagerly, so its retries run at once)
    render_handout.apply(args=[str(handout.id)])

    # then it was tried three times and failed with the reason
    handout.refresh_from_db()
    assert handout.status == "failed" and handout.attempts == 3
    assert "Gave up after 3 attempts" in handout.error and "Error" in handout.error


def test_a_queued_handout_whose_message_was_lost_is_sent_again_once(
    handout, settings, django_capture_on_commit_callbacks
):
    # given a handout queued longer ago than a lease, with no worker ever claiming it
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.HANDOUT_LEASE_SECONDS + 1)
    Handout.objects.filter(id=handout.id).update(enqueued_at=long_ago)

    # when two sweeps run, as two beat processes might
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = handouts_requeue_stalled()
        second = handouts_requeue_stalled()

    # then it is sent once
    assert first == [handout.id] and second == []
    assert len(callbacks) == 1
    assert Handout.objects.get(id=handout.id).status == "queued"


def test_a_recently_queued_handout_is_left_alone(handout, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert handouts_requeue_stalled() == []
    assert callbacks == []


def test_a_running_handout_whose_worker_died_is_requeued_once_per_expiry(
    handout, django_capture_on_commit_callbacks
):
    # given a claim whose lease ran out
    handout_claim(handout_id=handout.id, worker="dead-host:1")
    Handout.objects.filter(id=handout.id).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = handouts_requeue_stalled()
        second = handouts_requeue_stalled()

    assert first == [handout.id] and second == [] and len(callbacks) == 1
    requeued = Handout.objects.get(id=handout.id)
    assert (
        requeued.status == "queued" and requeued.attempts == 1 and requeued.lease_expires_at is None
    )


def test_a_stalled_handout_out_of_attempts_is_failed_not_resent(handout, settings):
    handout_claim(handout_id=handout.id, worker="dead-host:1")
    Handout.objects.filter(id=handout.id).update(
        attempts=settings.HANDOUT_MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert handouts_requeue_stalled() == []

    failed = Handout.objects.get(id=handout.id)
    assert failed.status == "failed" and "Gave up" in failed.error


def test_a_rolled_back_request_never_sends_a_job(
    make_screening, django_capture_on_commit_callbacks
):
    screening = make_screening()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            handout_request(screening=screening, language="en")
            raise RuntimeError("the request failed after asking")

    assert callbacks == [] and not Handout.objects.exists()
