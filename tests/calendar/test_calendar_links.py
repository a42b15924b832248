"""The pieces the events pages include: feed discovery links, add-to-calendar, subscribe links."""
import re
from types import SimpleNamespace

from flask import render_template_string


def render(app, call, **context):
    """What an events page gets from the calendar's template globals (``calendar/links.py``)."""
    with app.test_request_context("/"):
        return render_template_string("{{ " + call + " }}", **context)


def test_head_links_advertise_the_public_feed_and_the_event_file(app):
    html = render(app, "calendar_head_links()")
    assert re.search(r'<link rel="alternate" type="text/calendar" title="[^"]+" '
                     r'href="http://localhost/calendar/events.ics">', html)
    assert "/calendar/events/" not in html
    html = render(app, "calendar_head_links(event)", event=SimpleNamespace(id=7, status="published"))
    assert 'href="http://localhost/calendar/events/7.ics"' in html
    html = render(app, "calendar_head_links(event)", event=SimpleNamespace(id=7, status="draft"))
    assert "/calendar/events/7.ics" not in html


def test_add_to_calendar_link(app):
    html = render(app, "calendar_event_links(event)", event=SimpleNamespace(id=7, status="published"))
    assert 'href="/calendar/events/7.ics"' in html
    assert 'aria-describedby="calendar-add-hint-7"' in html and 'id="calendar-add-hint-7"' in html
    assert render(app, "calendar_event_links(event)", event=SimpleNamespace(id=7, status="draft")).strip() == ""
    assert render(app, "calendar_event_links(None)").strip() == ""


def test_subscribe_links_for_all_events_each_category_and_district(app):
    from activity_hub.districts import DISTRICTS
    from activity_hub.events.models import CATEGORIES

    html = render(app, "calendar_subscribe_links()")
    assert 'href="webcal://localhost/calendar/events.ics"' in html
    assert 'href="http://localhost/calendar/events.ics"' in html
    for code in CATEGORIES:
        assert f'href="webcal://localhost/calendar/categories/{code}.ics"' in html
    for code, _, _ in DISTRICTS:
        assert f'href="http://localhost/calendar/districts/{code}.ics"' in html
    assert html.count("<h2") == 1 and "<details" in html and "<summary>" in html
    for app_name in ("苹果日历", "Outlook", "谷歌日历", "手机日历"):
        assert app_name in html
    # Every link says where it goes, even out of context (hidden text names the feed).
    names = [re.sub(r"<[^>]+>", "", name).strip() for name in re.findall(r"<a [^>]*>(.*?)</a>", html, re.S)]
    assert len(names) == len(set(names))


def test_subscribe_links_on_english_pages_give_english_feeds(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"):
        html = render_template_string('{{ calendar_subscribe_links() }}')
    assert 'href="webcal://localhost/calendar/events.ics?lang=en"' in html
    assert 'href="http://localhost/calendar/categories/legal.ics?lang=en"' in html
    assert "Apple Calendar" in html and "Google Calendar" in html


def test_subscribe_links_follow_each_request_host_and_language(app):
    """The feed paths are made once per worker and language (caching.py "calendar_feed_paths"); each
    request joins its own host to them, so no page ever links to another request's host."""
    from flask_babel import force_locale

    def page(base_url, locale):
        with app.test_request_context("/events", base_url=base_url), force_locale(locale):
            return render_template_string('{{ calendar_head_links() }}{{ calendar_subscribe_links() }}')

    first = page("https://hub.example.org", "zh_CN")
    second = page('http://other.example:8080', "zh_CN")
    english = page("https://hub.example.org", "en")
    page("http://localhost", "en")
    assert 'href="webcal://hub.example.org/calendar/districts/wuchang.ics"' in first
    assert 'href="https://hub.example.org/calendar/events.ics"' in first
    assert "other.example" not in first and "hub.example.org" not in second
    assert 'href="http://other.example:8080/calendar/categories/legal.ics"' in second
    assert 'href="webcal://other.example:8080/calendar/events.ics"' in second
    assert 'href="https://hub.example.org/calendar/events.ics?lang=en"' in english and "Apple Calendar" in english
