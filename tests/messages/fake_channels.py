"""A fake provider for the relay's tests: point ``MESSAGE_BACKENDS`` at this module.

It takes every message except those whose recipient asks for a fault, and keeps what it took in
``deliveries`` (one entry per delivery, duplicates included). ``FAKE_CHANNEL_DELAY`` (seconds) makes
each delivery take that long, like a provider's round trip. (Real worker processes use
``bench.recording_channel``, which keeps its deliveries in a file.)
"""
import os
import threading
import time

from activity_hub.messages.channels.base import PermanentDeliveryError, TemporaryDeliveryError

TEMPORARY_FAILURE = "temporary-failure@example.org"
PERMANENT_FAILURE = "permanent-failure@example.org"
CRASH = "crash@example.org"

deliveries = []
_lock = threading.Lock()


def send(message):
    if message.recipient == PERMANENT_FAILURE:
        raise PermanentDeliveryError("there is no mailbox at this address")
    if message.recipient == TEMPORARY_FAILURE:
        raise TemporaryDeliveryError("the mail server did not answer")
    if message.recipient == CRASH:
        raise RuntimeError("the channel has a bug")
    delay = float(os.environ.get("FAKE_CHANNEL_DELAY") or 0)
    if delay:
        time.sleep(delay)
    with _lock:
        deliveries.append(message.id)
    return f"fake-{message.id}"


def find_accepted(message):
    """Like a provider's "did you get message X?" query."""
    with _lock:
        taken = message.id in deliveries
    return f"fake-{message.id}" if taken else None

