"""A fake provider for the relay's tests: point ``MESSAGE_BACKENDS`` at this module.

It takes every message except those whose recipient asks for a fault, and keeps what it took: in
``deliveries`` (this process) and, when ``FAKE_CHANNEL_LOG`` names a file, as one appended line per
delivery ("<message id> <pid>"), so deliveries by several worker processes can be counted afterwards,
duplicates included. ``FAKE_CHANNEL_DELAY`` (seconds) makes each delivery take that long, like a
provider's round trip.
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
    log_path = os.environ.get("FAKE_CHANNEL_LOG")
    if log_path:
        line = f"{message.id} {os.getpid()}\n".encode()
        descriptor = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)  # one write with O_APPEND: whole lines, whoever writes
        finally:
            os.close(descriptor)
    with _lock:
        deliveries.append(message.id)
    return f"fake-{message.id}"


def find_accepted(message):
    """Like a provider's "did you get message X?" query."""
    log_path = os.environ.get("FAKE_CHANNEL_LOG")
    if log_path:
        if not os.path.exists(log_path):
            return None
        with open(log_path) as log:
            taken = any(line.split()[0] == str(message.id) for line in log if line.strip())
    else:
        with _lock:
            taken = message.id in deliveries
    return f"fake-{message.id}" if taken else None


def logged_deliveries(log_path):
    """[message id] in the order the log got them, one entry per delivery."""
    with open(log_path) as log:
        return [int(line.split()[0]) for line in log if line.strip()]
