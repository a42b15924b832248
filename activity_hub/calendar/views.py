"""iCalendar feeds: one event's .ics, public feeds, personal feeds, and the page of secret links."""
from functools import partial

from flask import Response, current_app, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import force_locale, lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.http import http_date
from werkzeug.routing import BuildError

from ..db_types import utcnow
from ..i18n import normalise_locale, select_locale
from ..lookup_errors import NotFound
from ..security_headers import public_cacheable
from ..volunteers.access import is_volunteer
from . import feeds, version_cache
from .blueprint import bp
from .feed_tokens import feed_links, issue_feed_link
from .forms import FeedLinkForm
from .links import template_helpers, webcal
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


@bp.context_processor
def calendar_page_helpers():
    return {"kind_labels": KIND_LABELS, "kind_descriptions": KIND_DESCRIPTIONS}


bp.app_context_processor(template_helpers)
