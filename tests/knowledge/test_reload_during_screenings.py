"""Knowledge-base reloads and admin edits while screenings keep coming: no request fails
or sees a half-built index, and each screening records the version it was made with."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from screening.models import DrugClass, KnowledgeBaseVersion, Screening
from screening.services.knowledge import knowledge_base_record_edit
from screening.services.screenings import screening_create

pytestmark = pytest.mark.django_db(transaction=True)
LINES = ["Lasix 40 mg", "simvastatin 40 mg", "clarithromycin 500 mg"]
PER_THREAD = 12


def _screen_repeatedly(pharmacy, failures: list, stop: threading.Event) -> None:
    try:
        for _ in range(PER_THREAD):
            screening_create(pharmacy=pharmacy, medications=LINES, source=Screening.Source.API)
            if stop.is_set():
                break
    except Exception as error:  # noqa: BLE001 - any failure is the finding
        failures.append(error)
    finally:
        connection.close()


def test_reloads_and_edits_during_a_stream_of_screenings(knowledge_base, pharmacy):
    failures: list[Exception] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_screen_repeatedly, args=(pharmacy, failures, stop))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for round_ in range(2):
        with transaction.atomic():  # what an admin save does
            DrugClass.objects.filter(slug="loop_diuretic").update(
                mechanism=f"Edited in round {round_}."
            )
            knowledge_base_record_edit(source="admin edit by test")
        call_command("load_knowledge_base", verbosity=0)  # the files win again
    for thread in threads:
        thread.join(timeout=300)
    stop.set()

    assert failures == []
    versions = set(KnowledgeBaseVersion.objects.values_list("version", flat=True))
    assert len(versions) >= 3  # the curated content and two edits (a reload restores the first)
    screenings = list(Screening.objects.all())
    assert len(screenings) == 2 * PER_THREAD
    for screening in screenings:
        assert screening.knowledge_base_version in versions
        assert screening.result["knowledge_base_version"] == screening.knowledge_base_version
        medications = screening.result["medications"]
        assert [line["ingredients"] for line in medications] == [
            ["furosemide"],
            ["simvastatin"],
            ["clarithromycin"],
        ]
        assert any(
            interaction["key"] == "simvastatin_lovastatin_strong_cyp3a4"
            for interaction in screening.result["interactions"]
        )
