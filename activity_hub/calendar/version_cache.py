"""Each worker's short memory of feed versions, so most conditional requests touch no database.

Calendar apps poll a feed every 15 minutes or more and send back the ETag they were given; nearly
every answer is 304. Reading a feed's version costs an aggregate over every event it lists, so a
worker keeps each version it has read for ``CALENDAR_VERSION_TTL_SECONDS`` (config.py: default 5
seconds, environment variable of the same name; 0 switches the memory off, as in the tests).

How stale it can be: a 304 may be answered from a version read up to that many seconds earlier, so
a client that asks with its old ETag sees a change at most TTL seconds late (each worker keeps its
own memory; a different worker may see it sooner). A remembered version is only ever used to answer
304: a document is always sent with a version read again just before it is built, so a strong ETag
always names the bytes it comes with, and an "event not found" is never answered from memory.

Keys are (scope, language, host in links); a personal feed's scope holds its owner's id, and its
secret is checked on every request before the memory is consulted, so one person's version is never
answered to another. The memory holds at most ``MAX_ENTRIES`` versions (about 300 bytes each).
"""
import time

from flask import current_app

TTL_SETTING = "CALENDAR_VERSION_TTL_SECONDS"
MAX_ENTRIES = 4096
EXTENSION_KEY = "calendar_feed_versions"


def clock():
    """Seconds on a clock that never goes back; tests replace it to move time on."""
    return time.monotonic()


def _entries():
    return current_app.extensions.setdefault(EXTENSION_KEY, {})


def remembered(key):
    """The version remembered under ``key`` if it is younger than the time-to-live, else None."""
    entry = current_app.extensions.get(EXTENSION_KEY, {}).get(key)
    if entry is None or clock() >= entry[0]:
        return None
    return entry[1]


def remember(key, version):
    ttl = current_app.config.get(TTL_SETTING) or 0
    if ttl <= 0:
        return
    entries = _entries()
    now = clock()
    if len(entries) >= MAX_ENTRIES:
        for stale in [k for k, (expires, _) in list(entries.items()) if expires <= now]:
            entries.pop(stale, None)
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
    entries[key] = (now + ttl, version)


def forget_all():
    """Drop every remembered version (tests; or after a change that must show at once)."""
    current_app.extensions.pop(EXTENSION_KEY, None)
