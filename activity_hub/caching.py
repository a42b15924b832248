"""Every cache of the site, declared in one table, and the two tools they use.

Tools:

- ``SHARED``: Flask-Caching (``extensions.cache``) with versioned keys. Redis when ``REDIS_URL`` is
  set (every process and host sees the same entry), each worker's own memory otherwise; the test
  configuration uses ``NullCache`` (nothing is kept). A key is ``name:v<version>:<parts>``: raise a
  declaration's ``version`` when what it stores changes shape, so no worker serves the old one.
- ``PER_WORKER``: a bounded store in this process's memory (``cachetools``: least recently used
  entries go first; with a time-to-live, older entries are not returned). For what must not go to
  Redis: things cheap to keep but not picklable or not worth a round trip (paths of pages, a
  language's label texts, feed versions answered in microseconds).

A reader finds every cached thing below in ``DECLARATIONS``: its name, tool, key parts and how stale
it may be (the setting holding its time-to-live, or "until deploy" for what only a deployment
changes). Code asks for its cache by name: ``caching.get("event_page", ...)``.

What is *not* here, on purpose: SQL statements built once at import (module constants such as
``event_page.PAGE_STATEMENT``): they are immutable values, not caches: nothing can go stale and
nothing grows, so a bounded store would only add a lookup.
"""
import time
from dataclasses import dataclass

import cachetools
from flask import current_app, has_app_context

from .extensions import cache

SHARED = "shared"
PER_WORKER = "per-worker"
UNTIL_DEPLOY = None  # staleness of what only a deployment changes


@dataclass(frozen=True)
class Declaration:
    name: str
    tool: str                   # SHARED or PER_WORKER
    key_parts: tuple            # what the key is made of (documentation; callers pass the values)
    ttl_setting: str | None     # app.config key with the seconds an entry may be reused; None: until deploy
    default_ttl: float = 0      # used when the setting is absent
    version: int = 1            # SHARED: raise when the stored value changes shape
    max_entries: int = 1024     # PER_WORKER: the bound
    why: str = ""


DECLARATIONS = {d.name: d for d in (
    Declaration(
        "catalogue_results", SHARED, ("language", "host", "sorted query string"),
        "CATALOGUE_CACHE_SECONDS", 10,
        why="The catalogue page's form and results (events/catalogue_page.py); 400 pages are not kept. "
            "Places left and changed events may show that many seconds late."),
    Declaration(
        "api_event_listing", SHARED, ("language", "root URL", "sorted query arguments"),
        "CATALOGUE_CACHE_SECONDS", 10,
        why="GET /api/v1/events' JSON body (api/events.py); same staleness as the catalogue page."),
    Declaration(
        "event_page", SHARED,
        ("event id", "event updated_at", "event sequence", "venue updated_at", "language", "root URL"),
        "EVENT_PAGE_CACHE_SECONDS", 300,
        why="The event page's parts alike for every visitor (events/event_page.py). Edits change the "
            "key and show at once; what the key cannot see (a district's name, a hand edit) within the TTL."),
    Declaration(
        "dashboard_attendance", SHARED, ("year",),
        "DASHBOARD_FIGURES_TTL", 60,
        why="A year's attendance counts (dashboard/attendance.py), shown by the dashboard and the API."),
    Declaration(
        "calendar_feed_versions", PER_WORKER, ("feed scope", "language", "host"),
        "CALENDAR_VERSION_TTL_SECONDS", 5, max_entries=4096,
        why="Feed versions, only to answer 304 without SQL (calendar/version_cache.py); a document is "
            "always sent with a version read afresh."),
    Declaration(
        "calendar_feed_paths", PER_WORKER, ("english?", "script root"),
        UNTIL_DEPLOY, max_entries=64,
        why="Paths and labels of the public feeds (calendar/links.py): nothing from the database."),
    Declaration(
        "page_paths", PER_WORKER, ("script root", "endpoint"),
        UNTIL_DEPLOY, max_entries=1000,
        why="url_for() of the layout's navigation pages (web.page_path): ten per page."),
    Declaration(
        "formatted_numbers", PER_WORKER, ("locale", "type", "value"),
        UNTIL_DEPLOY, max_entries=4096,
        why="Numbers formatted by Babel on the dashboard's report (dashboard/report.py)."),
)}


# --- the shared cache ----------------------------------------------------------------------------

def ttl(name):
    """Seconds an entry of ``name`` may be reused (0: not cached; None: until deploy)."""
    declaration = DECLARATIONS[name]
    if declaration.ttl_setting is None:
        return None
    if not has_app_context():
        return 0
    return current_app.config.get(declaration.ttl_setting, declaration.default_ttl) or 0


def shared_key(name, *parts):
    declaration = DECLARATIONS[name]
    assert declaration.tool == SHARED, name
    return f"{name}:v{declaration.version}:" + ":".join(str(part) for part in parts)


def get_or_make(name, parts, make, keep=lambda value: True, fresh=lambda value: True):
    """The value of ``name`` for ``parts`` from the shared cache, else ``make()`` (kept for the
    declared time-to-live when ``keep(value)``). A value found is used only when ``fresh(value)``
    (for values that carry their own age). With a TTL of 0 nothing is read or kept."""
    seconds = ttl(name)
    if not seconds or seconds <= 0:
        return make()
    key = shared_key(name, *parts)
    found = cache.get(key)
    if found is None or not fresh(found):
        found = make()
        if keep(found):
            cache.set(key, found, timeout=int(seconds))
    return found


# --- the bounded per-worker store ----------------------------------------------------------------

def clock():
    """Seconds on a clock that never goes back; tests replace it (``caching.clock``) to move time."""
    return time.monotonic()


def store(name, timer=None):
    """The per-worker store of ``name`` for this app: bounded to the declaration's ``max_entries``,
    with its time-to-live when it has one (``timer``: the clock it is measured on, ``clock`` by
    default). Stores are kept per (name, TTL), so a changed setting takes effect at once."""
    declaration = DECLARATIONS[name]
    assert declaration.tool == PER_WORKER, name
    seconds = ttl(name)
    stores = current_app.extensions.setdefault("caching_stores", {})
    found = stores.get((name, seconds))
    if found is None:
        if seconds is None:
            found = cachetools.LRUCache(maxsize=declaration.max_entries)
        else:
            found = cachetools.TTLCache(maxsize=declaration.max_entries, ttl=seconds,
                                        timer=timer or (lambda: clock()))
        stores[(name, seconds)] = found
    return found


def remembered(name, key, make):
    """``store(name)[key]``, made by ``make()`` when absent (or expired); outside an app (no
    store to keep it in) always made."""
    if not has_app_context():
        return make()
    entries = store(name)
    found = entries.get(key)
    if found is None:
        found = entries[key] = make()
    return found


def forget(name):
    """Drop the per-worker store of ``name`` (tests; or after a change that must show at once)."""
    if has_app_context():
        stores = current_app.extensions.get("caching_stores", {})
        for key in [key for key in stores if key[0] == name]:
            del stores[key]
