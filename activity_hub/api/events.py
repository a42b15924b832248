"""Events: the public catalogue and event objects, and what organizers do to events
(create, edit, publish, cancel). The rules are in ``events.event_admin``,
``events.registration`` and ``events.catalogue``; this module only translates."""
from collections import namedtuple

from flask import request
from flask_babel import get_locale
from flask_login import current_user

from ..accessibility import NEED_CODES
from ..districts import DISTRICTS
from ..events import catalogue, event_admin, event_rules
from .. import caching
from ..events.lookups import ensure_visible, may_see_online_link, online_links_shown
from ..events.models import CATEGORIES
from ..events.read_model import event_with_places
from ..events.registration import active_registration
from . import service_errors  # noqa: F401  (registers the service error handlers)
from .framework import Routes, json_body, query_args, require_user
from .schema import Field, Fields
from .serializers import event_json, event_page_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Events")


def event_response(event_id, status=200):
    """The event as the caller may see it (the read model, with its places, read afresh): drafts only
    for those who manage them, the online link only for those with a confirmed place and its
    organizers (``events.lookups``)."""
    event, places = event_with_places(event_id)
    event = ensure_visible(current_user, event)
    data = event_json(event, places, detail=True)
    if data["online_url"]:
        mine = active_registration(event.id, current_user.id) if current_user.is_authenticated else None
        if not may_see_online_link(current_user, event, mine):
            data["online_url"] = None
    return data, status


EventRef = namedtuple("EventRef", "id district_id")


def without_hidden_online_links(page, caller):
    """The (shared, cached) page as ``caller`` may see it: each online link they may not see is
    left out (``events.lookups.may_see_online_link``). The cached page itself is not changed."""
    linked = [EventRef(item["id"], (item["district"] or {}).get("id")) for item in page["items"] if item["online_url"]]
    if not linked:
        return page
    shown = online_links_shown(caller, linked)
    return {**page, "items": [item if not item["online_url"] or item["id"] in shown else {**item, "online_url": None}
                              for item in page["items"]]}


CATALOGUE_QUERY = Fields({
    "q": Field("string", max_length=catalogue.MAX_SEARCH_LENGTH,
               description="Words to find in the title or summary (Chinese works; all words must match)."),
    "category": Field("string", enum=CATEGORIES),
    "district": Field("string", enum=[code for code, _zh, _en in DISTRICTS], description="A district code."),
    "provision": Field("string", enum=NEED_CODES, description="Only events providing for this need."),
    "date_from": Field("date", description="From this local date on (default: events not yet over)."),
    "date_to": Field("date", description="Up to and including this local date."),
    "page": Field("integer", minimum=1, maximum=100000),
    "per_page": Field("integer", minimum=1, maximum=catalogue.MAX_PER_PAGE,
                      description=f"Default {catalogue.DEFAULT_PER_PAGE}."),
})


def listing_cache_key_parts(args):
    """Everything a page of the listing depends on: the checked query (sorted, so the same
    filters share an entry), the language (district names) and the root URL (event links).
    Nothing of the caller: the listing is the same for everyone."""
    given = {name: value for name, value in args.items() if value not in ("", None)}
    asked = {"page": 1, "per_page": catalogue.DEFAULT_PER_PAGE, **given}
    return (get_locale(), request.url_root, repr(sorted(asked.items())))


def listing_page(args):
    filters = catalogue.CatalogueFilters(
        q=args.get("q", ""), category=args.get("category"), district=args.get("district"),
        provision=args.get("provision"), date_from=args.get("date_from"), date_to=args.get("date_to"),
    )
    found = catalogue.search_events(filters, page=args.get("page", 1),
                                    per_page=args.get("per_page", catalogue.DEFAULT_PER_PAGE))
    items = [event_json(event, found.availability[event.id]) for event in found.items]
    return event_page_json(items, found)


@route("GET", "/events", summary="The public catalogue of events", query=CATALOGUE_QUERY,
       response="EventPage", auth="none")
def list_events():
    """Published (and cancelled or completed) events, sorted by start, paged. The number of
    database queries does not grow with the page size, nor the count's cost with the number of
    events: `total` is exact up to 200 matches past this page (`total_exact`), else a lower bound.

    A page is the same for every caller and is reused for the same query and language for a
    few seconds (`CATALOGUE_CACHE_SECONDS`, 10 by default): its `places_left`, and events
    changed, published or cancelled, may be that many seconds old. `GET /events/{event_id}`
    and registering always read the current places. `online_url` is given only to those whose
    place is confirmed and to the event's organizers (null for everyone else), as on the event page."""
    args = query_args(CATALOGUE_QUERY)
    # The shared page holds nothing of the caller; the online links they may not see are taken
    # out of their copy.
    page = caching.get_or_make("api_event_listing", listing_cache_key_parts(args), lambda: listing_page(args))
    return without_hidden_online_links(page, current_user), 200


@route("GET", "/events/<int:event_id>", summary="One event, with its places and provisions",
       response="EventDetail", auth="optional")
def event_detail(event_id):
    """Drafts are visible only to the event's organizers."""
    return event_response(event_id)


# event_rules' forms of a contact phone and an online link (``CONTACT_PHONE_RE``, ``URL_RE``, which
# ignores case), as JSON Schema patterns; the text is stripped of surrounding spaces first.
CONTACT_PHONE_PATTERN = r"^[ \t\r\n]*[0-9+\-() ]*[ \t\r\n]*$"
ONLINE_URL_PATTERN = r'^[ \t\r\n]*([hH][tT][tT][pP][sS]?://[^\s<>"\u0000-\u001F]+)?[ \t\r\n]*$'


def _text(limit_name, **kwargs):
    return Field("string", max_length=event_rules.LIMITS[limit_name], **kwargs)


def _event_fields(required):
    def req(**kwargs):
        return {"required": required, **kwargs}

    return {
        "title": _text("title", **req(min_length=1)),
        "summary": _text("summary"),
        "description": _text("description"),
        "easy_read_summary": _text("easy_read_summary", description="Plain words, short sentences."),
        "category": Field("string", enum=CATEGORIES, **req()),
        "series_name": _text("series_name", description="A series or campaign; created when new, \"\" for none."),
        "district_id": Field("integer", **req()),
        "venue_id": Field("integer", nullable=True, description="null for an online event."),
        "online_url": Field("string", max_length=event_rules.LIMITS["online_url"], nullable=True,
                            pattern=ONLINE_URL_PATTERN, checked_by_service=True,
                            description="An http(s) address, or \"\" or null for none."),
        "starts_at": Field("datetime", **req(description="Without an offset, read as Asia/Shanghai.")),
        "ends_at": Field("datetime", **req()),
        # Ranges are the service's rules (checked there, with every other rule, in one answer);
        # they are declared here for the document.
        "capacity": Field("integer", minimum=1, maximum=event_rules.CAPACITY_MAX, checked_by_service=True,
                          **req(description=(
            f"1 to {event_rules.CAPACITY_MAX}. Raising it promotes the waitlist; it cannot go below "
            "the places already taken."))),
        "wheelchair_spaces": Field("integer", minimum=0, maximum=event_rules.CAPACITY_MAX, checked_by_service=True,
                                   description="0 up to the capacity."),
        "max_companions": Field("integer", minimum=0, maximum=event_rules.COMPANIONS_MAX, checked_by_service=True,
                                description=f"0 to {event_rules.COMPANIONS_MAX}."),
        "registration_opens_at": Field("datetime", nullable=True),
        "registration_closes_at": Field("datetime", nullable=True),
        "requires_approval": Field("boolean"),
        "provisions": Field("array", items=Field("string", enum=NEED_CODES), max_items=len(NEED_CODES)),
        "contact_name": _text("contact_name"),
        "contact_phone": _text("contact_phone", pattern=CONTACT_PHONE_PATTERN, checked_by_service=True,
                               description="Digits, spaces, +, - and brackets."),
        "contact_email": _text("contact_email"),
    }


CREATE_EVENT = Fields(
    {**_event_fields(required=True), "publish": Field("boolean", description="Publish at once (default: a draft).")},
    example={"title": "全国助残日文艺汇演", "category": "culture", "district_id": 5, "venue_id": 1,
             "starts_at": "2025-05-18T14:00:00+08:00", "ends_at": "2025-05-18T16:00:00+08:00", "capacity": 80,
             "wheelchair_spaces": 6, "provisions": ["sign_language", "captions"]},
)
UPDATE_EVENT = Fields(_event_fields(required=False), example={"capacity": 10})
CANCEL_EVENT = Fields({"reason": Field("string", max_length=event_rules.REASON_MAX,
                                       description="Told to every registrant.")})


@route("POST", "/events", summary="Create an event (organizers of its district)", body=CREATE_EVENT,
       response="EventDetail", status=201)
def create_event():
    user = require_user()
    values = json_body(CREATE_EVENT)
    publish = values.pop("publish", False)
    event = event_admin.create_event(values, user, publish=publish)
    return event_response(event.id, 201)


@route("PATCH", "/events/<int:event_id>", summary="Change an event",
       body=UPDATE_EVENT, response="EventDetail", errors=(409,))
def update_event(event_id):
    """Give only the fields to change. Raising `capacity` or `wheelchair_spaces` promotes the
    waitlist at once; lowering them below what is taken is refused."""
    user = require_user()
    values = json_body(UPDATE_EVENT)
    event_admin.update_event(event_id, values, user)
    return event_response(event_id)


@route("POST", "/events/<int:event_id>/publish", summary="Publish a draft", response="EventDetail", errors=(409,))
def publish_event(event_id):
    event_admin.publish_event(event_id, require_user())
    return event_response(event_id)


@route("POST", "/events/<int:event_id>/cancel", summary="Cancel an event and tell its registrants",
       body=CANCEL_EVENT, response="EventDetail", errors=(409,))
def cancel_event(event_id):
    """The event stays visible, as cancelled."""
    user = require_user()
    values = json_body(CANCEL_EVENT)
    event_admin.cancel_event(event_id, user, values.get("reason", ""))
    return event_response(event_id)
