"""iCalendar feeds: one event's .ics, public feeds, personal feeds, and the page of secret links."""
from functools import partial

from flask import Response, current_app, g, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import force_locale, get_locale, lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.http import http_date
from werkzeug.routing import BuildError

from ..db_types import utcnow
from ..events.models import CATEGORIES, category_label
from ..i18n import normalise_locale, select_locale
from ..locale_text import pick
from ..lookup_errors import NotFound
from ..security_headers import public_cacheable
from ..volunteers.access import is_volunteer
from . import feeds, version_cache
from .blueprint import bp
from .feed_tokens import feed_links, issue_feed_link
from .forms import FeedLinkForm
from .lookups import feed_category, feed_district, feed_owner, offered_kind
from .models import ASSIGNMENTS, REGISTRATIONS

CALENDAR_MIMETYPE = "text/calendar; charset=utf-8"
PERSONAL_ENDPOINTS = {REGISTRATIONS: "calendar.registrations_feed", ASSIGNMENTS: "calendar.assignments_feed"}
KIND_LABELS = {REGISTRATIONS: _l("My registrations"), ASSIGNMENTS: _l("My volunteer shifts")}
KIND_DESCRIPTIONS = {
    REGISTRATIONS: _l("The events you registered for. Places on the waiting list or awaiting approval "
                      "are marked as tentative."),
    ASSIGNMENTS: _l("Your volunteer shifts. Proposed shifts are marked as tentative until you accept them."),
}


def event_page_url(event_id):
    """The event's page, absolute; the event's own .ics while the events pages are missing."""
    try:
        return url_for("events.event_detail", event_id=event_id, _external=True)
    except BuildError:
        return url_for("calendar.event_ics", event_id=event_id, _external=True)


def _not_modified(version):
    """If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(version.etag)
    if request.if_modified_since and version.last_modified is not None:
        return version.last_modified.replace(microsecond=0) <= request.if_modified_since
    return False


def _headers(version, *, personal, vary_cookie, download_name):
    headers = {"ETag": f'"{version.etag}"'}
    if version.last_modified is not None:
        headers["Last-Modified"] = http_date(version.last_modified)
    if personal:
        headers["Cache-Control"] = "private, no-cache"
        headers["X-Robots-Tag"] = "noindex, nofollow"
    else:
        headers["Cache-Control"] = "public, max-age=300"
    if vary_cookie:
        headers["Vary"] = "Cookie"
    if download_name:
        headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return headers


def _serve(scope, *, locale=None, personal=False, download_name=None):
    """Answer a feed request: 304 from the version alone (remembered by this worker for a few
    seconds, see version_cache), else read the version afresh and build the document."""
    explicit_locale = locale or normalise_locale(request.args.get("lang"))
    locale = explicit_locale or select_locale()
    # The host in links is part of the document (and so of the version): the key names it cheaply.
    key = (scope, locale, request.scheme, request.host, request.root_path)
    headers = partial(_headers, personal=personal, vary_cookie=not explicit_locale, download_name=download_name)
    version = version_cache.remembered(key)
    if version is not None and not (download_name and version.empty) and _not_modified(version):
        return Response(status=304, headers=headers(version))
    now = utcnow()
    version = feeds.feed_version(scope, now, variant=f"{locale}\x1f{request.host_url}")
    version_cache.remember(key, version)
    if download_name and version.empty:
        raise NotFound()  # no such event, or not a public one
    if _not_modified(version):
        return Response(status=304, headers=headers(version))
    with force_locale(locale):
        head = feeds.feed_head(scope)
    body = _document(head, scope, now, locale, request_ctx.copy())
    return Response(body, status=200, headers=headers(version), content_type=CALENDAR_MIMETYPE)


def _document(head, scope, now, locale, ctx):
    """The document, written while it is sent. The request's context is pushed again only once
    the events are asked for (with its own database session, removed at the end or when the client
    leaves), so a response of which only the head was read holds nothing open."""
    yield head
    with ctx, force_locale(locale):
        yield from feeds.feed_events(scope, now, event_page_url)


@bp.route("/events/<int(max=2147483647):event_id>.ics")
def event_ics(event_id):
    """"Add to calendar": one event as a file to open."""
    return _serve(feeds.event_scope(event_id), download_name=f"event-{event_id}.ics")


@bp.route("/events.ics")
@public_cacheable  # the same for everyone: keeps its max-age for a logged-in browser too
def public_feed():
    return _serve(feeds.public_scope())


@bp.route("/categories/<category>.ics")
@public_cacheable  # the same for everyone: keeps its max-age for a logged-in browser too
def category_feed(category):
    return _serve(feeds.public_scope(category=feed_category(category)))


@bp.route("/districts/<district_code>.ics")
@public_cacheable  # the same for everyone: keeps its max-age for a logged-in browser too
def district_feed(district_code):
    return _serve(feeds.public_scope(district_code=feed_district(district_code)))


def _personal(secret, kind, scope_for):
    owner = feed_owner(secret, kind)
    return _serve(scope_for(owner.user_id), locale=normalise_locale(owner.locale) or "zh_CN", personal=True)


@bp.route("/personal/<secret>/registrations.ics")
def registrations_feed(secret):
    return _personal(secret, REGISTRATIONS, feeds.registrations_scope)


@bp.route("/personal/<secret>/assignments.ics")
def assignments_feed(secret):
    return _personal(secret, ASSIGNMENTS, feeds.assignments_scope)


def _available_kinds():
    kinds = [REGISTRATIONS]
    if is_volunteer(current_user):
        kinds.append(ASSIGNMENTS)
    return kinds


def _private_page(body, status=200):
    """A page that shows a secret link: never cached, never sent on as a Referer."""
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/my-feeds")
@login_required
def my_feeds():
    links = feed_links(current_user.id)
    return render_template("calendar/my_feeds.html", kinds=_available_kinds(), links=links, form=FeedLinkForm())


@bp.route("/my-feeds/<kind>/new", methods=["GET", "POST"])
@login_required
def new_feed_link(kind):
    """GET: what a new link does (and, if one exists, that the old one stops). POST: make it, show it once."""
    offered_kind(kind, _available_kinds())
    existing = feed_links(current_user.id).get(kind)
    form = FeedLinkForm()
    if form.validate_on_submit():
        secret = issue_feed_link(current_user.id, kind)
        https_url = url_for(PERSONAL_ENDPOINTS[kind], secret=secret, _external=True)
        return _private_page(render_template(
            "calendar/feed_link.html", kind=kind, https_url=https_url,
            webcal_url=webcal(https_url), replaced=existing is not None,
        ))
    status = 400 if request.method == "POST" else 200
    return render_template("calendar/new_feed_link.html", kind=kind, existing=existing, form=form), status


def webcal(url):
    """The webcal:// form of an http(s) URL: calendar apps open it as a subscription."""
    scheme, _, rest = url.partition("://")
    return "webcal://" + rest if scheme in ("http", "https") else url


@bp.context_processor
def calendar_page_helpers():
    return {"kind_labels": KIND_LABELS, "kind_descriptions": KIND_DESCRIPTIONS}


@bp.app_context_processor
def calendar_template_helpers():
    return {"calendar_webcal": webcal, "calendar_feed_links": public_feed_links,
            "calendar_feed_url": public_feed_url, "calendar_subscribe_links": subscribe_links_html}


# Every catalogue and event page shows the feed links, so they cost next to nothing: their paths and
# labels, and the subscribe section's HTML, are made once per worker and language (they hold nothing
# from the database and change only with a deployment); a request only joins its host to them.
_HTTPS_BASE, _WEBCAL_BASE = "__calendar_https_base__", "__calendar_webcal_base__"


def _english_page():
    return str(get_locale() or "").startswith("en")


def _made_once(name, key, make):
    made = current_app.extensions.setdefault(name, {})
    if key not in made:
        made[key] = make()
    return made[key]


def _public_feed_paths(english):
    """{"all": path, "categories": [(label, path)], "districts": [(label, path)]} for a language."""
    def make():
        lang = {"lang": "en"} if english else {}
        return {
            "all": url_for("calendar.public_feed", **lang),
            "categories": [(str(category_label(code)), url_for("calendar.category_feed", category=code, **lang))
                           for code in CATEGORIES],
            "districts": [(pick(zh, en), url_for("calendar.district_feed", district_code=code, **lang))
                          for code, (zh, en) in feeds.DISTRICT_NAMES.items()],
        }

    return _made_once("calendar_feed_paths", (english, request.script_root), make)


def _feed_links(english, https_base, webcal_base):
    paths = _public_feed_paths(english)

    def link(label, path):
        return {"label": label, "https": https_base + path, "webcal": webcal_base + path}

    return {
        "all": link(None, paths["all"]),
        "categories": [link(label, path) for label, path in paths["categories"]],
        "districts": [link(label, path) for label, path in paths["districts"]],
    }


def _host_base():
    return request.host_url[:-1]


def public_feed_links():
    """The public feeds for the subscribe links (all events, each category, each district), in the
    language of the page, as calendar apps send no cookie to choose one. Made once per request."""
    english = _english_page()
    made = g.get("calendar_feed_links")
    if made is None or made[0] != english:
        base = _host_base()
        made = g.calendar_feed_links = (english, _feed_links(english, base, webcal(base)))
    return made[1]


def public_feed_url():
    """The absolute address of the feed of all events, in the language of the page."""
    return _host_base() + _public_feed_paths(_english_page())["all"]


def subscribe_links_html():
    """The subscribe section (_subscribe_links.html) for this page's language and host."""
    english = _english_page()
    html = _made_once("calendar_subscribe_links", (english, request.script_root), lambda: render_template(
        "calendar/_subscribe_links.html", feed_links=_feed_links(english, _HTTPS_BASE, _WEBCAL_BASE)))
    base = _host_base()
    return Markup(html.replace(_HTTPS_BASE, escape(base)).replace(_WEBCAL_BASE, escape(webcal(base))))
