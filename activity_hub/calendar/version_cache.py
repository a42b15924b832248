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
answered to another. The memory is ``caching``'s bounded per-worker store "calendar_feed_versions" (at most 4,096
versions, about 300 bytes each; declared with the other caches in caching.py).
"""
import time

from .. import caching

NAME = "calendar_feed_versions"
TTL_SETTING = caching.DECLARATIONS[NAME].ttl_setting


def clock():
    """Seconds on a clock that never goes back; tests replace it to move time on."""
    return time.monotonic()


def _entries():
    return caching.store(NAME, timer=lambda: clock())


def remembered(key):
    """The version remembered under ``key`` if it is younger than the time-to-live, else None."""
    if not caching.ttl(NAME):
        return None
    return _entries().get(key)


def remember(key, version):
    if not caching.ttl(NAME):
        return
    _entries()[key] = version


def forget_all():
    """Drop every remembered version (tests; or after a change that must show at once)."""
    caching.forget(NAME)
