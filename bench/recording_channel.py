"""A provider stand-in for real worker processes (``bench.message_relay`` and its test): point
``MESSAGE_BACKENDS`` at this module.

It takes every message after ``RECORDING_CHANNEL_DELAY`` seconds (a provider's round trip) and
appends one line per delivery, "<message id> <pid>", to the file ``RECORDING_CHANNEL_LOG``: one
``write`` with ``O_APPEND``, so lines of several processes never mix and a line written is kept even
if its process is killed the next instant. Counting the lines afterwards counts every delivery,
duplicates included.

``find_accepted`` answers like a provider's "did you take message X?" query, from the same file;
``RECORDING_CHANNEL_ANSWERS=0`` makes it a provider that cannot say (as SMTP cannot).
"""
import os
import time


def send(message):
    delay = float(os.environ.get("RECORDING_CHANNEL_DELAY") or 0)
    if delay:
        time.sleep(delay)
    descriptor = os.open(os.environ["RECORDING_CHANNEL_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, f"{message.id} {os.getpid()}\n".encode())
    finally:
        os.close(descriptor)
    return f"recorded-{message.id}"


def find_accepted(message):
    if os.environ.get("RECORDING_CHANNEL_ANSWERS", "1") == "0":
        return None
    wanted = str(message.id)
    for line in read_log(os.environ["RECORDING_CHANNEL_LOG"]):
        if line[0] == wanted:
            return f"recorded-{message.id}"
    return None


def read_log(path):
    """[(message id, pid)] as strings, one per delivery, in the order they were written."""
    if not os.path.exists(path):
        return []
    with open(path) as log:
        return [tuple(line.split()) for line in log if line.strip()]
