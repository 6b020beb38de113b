"""The development broker (`filesystem://`, make run) with messages written atomically.

kombu's filesystem transport creates a message file under its final name and then writes
it; a worker polling in between moves the empty file away, fails to read it as JSON and
stops for good ("Unrecoverable error: JSONDecodeError", kombu issue #1551). It happened
here in a benchmark run on a busy machine. This channel writes under a name the
consumer does not pick up (`.part` after `.msg`) and renames the file into place, which
is atomic in one folder. Production uses Redis, which has no such step.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

PARTIAL_SUFFIX = ".part"


class AtomicChannel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # The name kombu gives (time first, so the queue reads in order of sending).
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class FilesystemTransport(filesystem.Transport):
    Channel = AtomicChannel
