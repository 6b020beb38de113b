"""Two REAL workers on one queue, each prefetching several messages, and every message
delivered twice (as a broker does after a lost acknowledgement): each handout is rendered
once, by one worker, into one PDF and one HTML. Runs on the filesystem broker and, in CI's
second pass, on Redis."""

import pytest

from screening.models import Handout
from screening.tasks import render_handout
from tests.handouts.worker_process import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HANDOUTS = 12
PREFETCH = ["--concurrency=2", "--prefetch-multiplier=4"]


def test_two_workers_with_prefetch_render_each_handout_once(
    start_worker, make_screening, media_root
):
    workers = [start_worker("left", *PREFETCH), start_worker("right", *PREFETCH)]
    handouts = [
        Handout.objects.create(screening=make_screening(), language="en", paper="letter")
        for _ in range(HANDOUTS)
    ]

    for handout in handouts * 2:  # every message twice
        render_handout.apply_async(args=[str(handout.id)])

    ids = [handout.id for handout in handouts]
    wait_until(
        lambda: Handout.objects.filter(id__in=ids, status="ready").count() == HANDOUTS,
        what=f"all {HANDOUTS} handouts to be ready",
        worker=workers[0],
    )
    wait_until(
        lambda: sum(w.log().count("succeeded") for w in workers) >= 2 * HANDOUTS,
        what="both deliveries of every message to be handled",
        worker=workers[1],
    )
    for handout in Handout.objects.filter(id__in=ids):
        assert handout.attempts == 1, f"{handout.id} was claimed {handout.attempts} times"
        files = sorted(
            p.name for p in media_root.rglob("*") if str(handout.id) in str(p) and p.is_file()
        )
        assert files == ["handout.html", "handout.pdf"]
    log = "".join(w.log() for w in workers)
    assert log.count("'ready'") == HANDOUTS
    assert log.count("'nothing to do'") == HANDOUTS
