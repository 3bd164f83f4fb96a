"""The embedded broker: a worker never reads a half-written message, and a
broken message file does not stop it."""

from queue import Empty

import pytest
from kombu import Connection

import league.broker
from league.broker import Transport


@pytest.fixture
def channel(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": str(tmp_path),
        "store_processed": False,
    }
    with Connection("filesystem://", transport_options=options) as connection:
        yield connection.default_channel


def test_the_default_broker_url_uses_the_atomic_transport(channel):
    assert isinstance(channel.connection, Transport)


def test_a_message_is_invisible_to_readers_until_it_is_complete(channel, monkeypatch):
    # A worker polls the folder while the web process is still writing.
    read_during_write = []
    real_dumps = league.broker.dumps

    def dumps_then_poll(payload):
        try:
            read_during_write.append(channel._get("evaluation"))
        except Empty:
            read_during_write.append("nothing yet")
        return real_dumps(payload)

    monkeypatch.setattr(league.broker, "dumps", dumps_then_poll)
    channel._put("evaluation", {"body": "submission 7"})

    assert read_during_write == ["nothing yet"]
    assert channel._get("evaluation") == {"body": "submission 7"}


def test_a_broken_message_is_skipped_and_the_next_one_delivered(channel, tmp_path):
    # Named to sort before any real message (their names start with the monotonic clock).
    (tmp_path / "queue" / "0_broken.evaluation.msg").write_bytes(b"")
    channel._put("evaluation", {"body": "submission 8"})

    with pytest.raises(Empty):
        channel._get("evaluation")
    assert channel._get("evaluation") == {"body": "submission 8"}
