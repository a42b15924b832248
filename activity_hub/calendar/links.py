"""The calendar's links on other domains' pages, as plain functions returning HTML.

The events pages show them (feed discovery in <head>, "add to my calendar", the subscribe section)
by calling ``calendar_head_links(event)``, ``calendar_event_links(event)`` and
``calendar_subscribe_links()`` (template globals registered by the calendar's views): the calendar
owns its markup, the events templates only say where it goes, and without the calendar domain
those names are undefined and nothing is shown.

The public feeds' paths and labels hold nothing from the database and change only with a
deployment, so they are made once per worker, language and script root (caching.py
"calendar_feed_paths"); a request joins its own host to them.
"""
from flask import current_app, g, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from .. import caching
from ..events.models import CATEGORIES, category_label
from ..locale_text import pick
from . import feeds


def webcal(url):
    """The webcal:// form of an http(s) URL: calendar apps open it as a subscription."""
    scheme, _, rest = url.partition("://")
    return "webcal://" + rest if scheme in ("http", "https") else url


def _english_page():
    return str(get_locale() or "").startswith("en")


def _host_base():
    return request.host_url[:-1]


def public_feed_paths(english):
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

    return caching.remembered("calendar_feed_paths", (english, request.script_root), make)


def public_feed_links():
    """The public feeds for the subscribe links (all events, each category, each district) with
    this request's host, in the language of the page, as calendar apps send no cookie to choose
    one. Made once per request."""
    english = _english_page()
    made = g.get("calendar_feed_links")
    if made is None or made[0] != english:
        https_base = _host_base()
        webcal_base = webcal(https_base)
        paths = public_feed_paths(english)

        def link(label, path):
            return {"label": label, "https": https_base + path, "webcal": webcal_base + path}

        made = g.calendar_feed_links = (english, {
            "all": link(None, paths["all"]),
            "categories": [link(label, path) for label, path in paths["categories"]],
            "districts": [link(label, path) for label, path in paths["districts"]],
        })
    return made[1]


def public_feed_url():
    """The absolute address of the feed of all events, in the language of the page."""
    return _host_base() + public_feed_paths(_english_page())["all"]


def _render(template, **context):
    """One of the calendar's own partials, rendered with only what it is given (no context
    processors: these are pieces of a page being rendered already)."""
    return Markup(current_app.jinja_env.get_template(template).render(**context))


def _public_event(event):
    """Only published, cancelled or completed events have a public calendar file (not drafts)."""
    return event is not None and getattr(event, "id", None) and event.status != "draft"


def head_links(event=None):
    """<link>s for feed readers: the feed of all events, and ``event``'s own file when public."""
    return _render("calendar/_head_links.html", feed_url=public_feed_url(),
                   event=event if _public_event(event) else None)


def event_links(event):
    """"Add to my calendar" for ``event`` (nothing for a draft)."""
    if not _public_event(event):
        return Markup("")
    return _render("calendar/_event_links.html", event=event)


def subscribe_links():
    """The subscribe section: all events, each kind of event, each district, with how-to."""
    return _render("calendar/_subscribe_links.html", feed_links=public_feed_links())


def template_helpers():
    """The template globals other domains' pages use (registered in views.py)."""
    return {"calendar_head_links": head_links, "calendar_event_links": event_links,
            "calendar_subscribe_links": subscribe_links}
