"""The development broker (make run's filesystem:// transport) never hands a worker a
message that is still being written: kombu's own transport did, and the worker stopped
(pharmacy_site/broker.py)."""

import os
import queue

import pytest
from kombu import Connection

from pharmacy_site import broker
from pharmacy_site.celery import app as celery_app


@pytest.fixture
def channel(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    connection = Connection(
        "filesystem://",
        transport="pharmacy_site.broker:FilesystemTransport",
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(tmp_path),
            "control_folder": str(tmp_path / "control"),
        },
    )
    with connection:
        yield connection.default_channel


def test_a_message_being_written_is_not_read_until_it_is_whole(channel, monkeypatch):
    seen_while_writing = []
    replace = os.replace

    def replace_and_look(source, target):
        # The message is written, not yet in place: a polling worker finds nothing.
        with pytest.raises(queue.Empty):
            channel._get("handouts")
        seen_while_writing.append(os.path.basename(source))
        replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace_and_look)
    channel._put("handouts", {"body": "render handout 42"})

    assert seen_while_writing[0].endswith(".handouts.msg" + broker.PARTIAL_SUFFIX)
    assert channel._get("handouts") == {"body": "render handout 42"}


def test_the_app_uses_it_for_filesystem_urls():
    if not celery_app.conf.broker_url.startswith("filesystem://"):
        pytest.skip("this run's broker is not the filesystem one")
    with celery_app.connection_for_write() as connection:
        assert isinstance(connection.transport, broker.FilesystemTransport)
