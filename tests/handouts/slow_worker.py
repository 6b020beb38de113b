"""A real Celery worker whose handouts pause between their two files, for the crash tests.

Run as `python -m tests.handouts.slow_worker -A pharmacy_site worker ...` (the arguments of
`celery`); each render writes its HTML, then waits SLOW_WORKER_PAUSE_SECONDS (30 by default)
before the PDF, so a test can kill the worker with a handout half written, or run it past
its time limit. Test-only: the product's own code and settings have no such knob.
"""

import os
import sys
import time

import django


def _pause_after_the_html() -> None:
    from screening.services import handouts

    pause = float(os.environ.get("SLOW_WORKER_PAUSE_SECONDS", "30"))
    store = handouts._store

    def store_then_pause(handout, field_file, file_name, data):
        name = store(handout, field_file, file_name, data)
        if file_name == handouts.HTML_FILE_NAME:
            time.sleep(pause)
        return name

    handouts._store = store_then_pause


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy_site.settings")
    django.setup()
    # Patched before the pool forks, so every pool process renders slowly.
    _pause_after_the_html()
    from celery.bin.celery import main

    sys.argv[0] = "celery"
    sys.exit(main())
