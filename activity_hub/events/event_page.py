"""The event page: what every visitor sees alike, rendered once per version of the event.

Most of the page depends only on the event: its title and status, summaries and description,
time, place, venue and getting there, accessibility provisions, the "add to calendar" links and
the contact. Those parts (``events/_event_parts.html``) are rendered once and cached, keyed by
the event's ``updated_at`` and ``sequence`` (every edit of the event or its provisions raises
them: event_admin.py, registration.set_capacity) and its venue's ``updated_at`` (venues.py), the
language and the host. So an edit shows at once. What the key cannot see (a change made in the
database by hand, a district's name) shows within ``EVENT_PAGE_CACHE_SECONDS`` (default 300;
0 turns the cache off).

What must be exact is rendered for every request by ``events/detail.html``: places left and the
waiting list (read afresh), whether registration is open now, the visitor's own registration,
the online link (only for confirmed residents and organizers), "Manage this event", easy-read
first or last, and the layout with its forms, flash messages and display settings. The parts are
rendered from the event, the language and the host only: no user, no CSRF token.

One statement (``page_event``: the event's read model with its live figures,
read_model.event_with_places) reads all of it, so a page rendered afresh (a cache miss: 2,000 events over several workers' caches) asks the database
no more than a cached one.
"""
from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from .. import caching
from .lookups import ensure_visible
from .read_model import WITH_PLACES_STATEMENT, event_with_places

PARTS_TEMPLATE = "events/_event_parts.html"
PART_NAMES = ("head", "top", "easy_read", "lead", "where", "about_place", "rest", "contact")
PAGE_STATEMENT = WITH_PLACES_STATEMENT  # the page's one statement (read_model.py)


def page_event(event_id):
    """(``EventView``, ``Availability``) of the event, read afresh in one query. ``NotFound`` for
    an event the visitor may not see (``lookups.ensure_visible``)."""
    event, places = event_with_places(event_id)
    return ensure_visible(current_user, event), places


def cache_key_parts(event):
    """The versions the parts depend on (caching.DECLARATIONS["event_page"])."""
    venue_version = event.venue.updated_at.isoformat() if event.venue and event.venue.updated_at else "-"
    return (event.id, event.updated_at.isoformat(), event.sequence, venue_version, get_locale(),
            request.root_url)


def render_parts(event):
    """{part name: HTML} from an ``EventView``."""
    context = {"event": event}
    current_app.update_template_context(context)  # the helpers templates use (labels, feed links)
    parts = current_app.jinja_env.get_template(PARTS_TEMPLATE).make_module(context)
    return {name: str(getattr(parts, name)) for name in PART_NAMES}


def event_parts(event):
    """The shared parts of ``event`` (an ``EventView``) as Markup, from the cache when there."""
    found = caching.get_or_make("event_page", cache_key_parts(event), lambda: render_parts(event))
    return {name: Markup(html) for name, html in found.items()}
