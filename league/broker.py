"""The embedded broker (``filesystem://``, the default of ``make run``),
made safe for concurrent writers and readers.

Kombu's file-system transport creates a message file and then writes into
it, so a worker polling the folder can take a file that is still empty and
crash its consumer on the half-written JSON (seen under a burst of uploads:
the worker stopped and every later submission stayed queued). Here a
message is written under a name no reader looks at and renamed into the
queue in one atomic step, and a message that cannot be decoded is logged
and skipped instead of stopping the worker.

``league.celery`` registers this transport under the ``filesystem`` alias,
so ``CELERY_BROKER_URL=filesystem://`` uses it in every process.
"""

import contextlib
import logging
import os
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

# A suffix that kombu's reader never matches (it wants ``<queue>.msg``).
PARTIAL_SUFFIX = ".part"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue):
        try:
            return super()._get(queue)
        except ValueError:
            # Undecodable (a foreign or truncated file): already taken off
            # the queue by the read; the beat sweepers re-publish the work.
            logger.error("Skipped an undecodable message in queue %s", queue)
            raise Empty() from None


class Transport(filesystem.Transport):
    Channel = Channel
