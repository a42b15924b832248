"""Feeds are sent as a stream: the head at once, the events read in windows and written as they are
built, the same bytes as the calendar written in one piece, and nothing held open by an unread response."""
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from activity_hub.extensions import db


@pytest.fixture
def varied_events(make_event, make_venue):
    """Events of every kind a feed writes differently: cancelled, online, long text, provisions."""
    venue = make_venue(accessible_entrance="东门坡道")
    ids = [
        make_event(title="手语诗歌朗诵" * 8, venue_id=venue, provisions=("sign_language", "captions"),
                   summary="现场提供手语翻译和实时字幕。" * 10, contact_name="张老师", contact_phone="027-1234"),
        make_event(title="线上普法讲座", online_url="https://meeting.example/abc", category="legal"),
        make_event(title="已取消的活动", status="cancelled", starts_in=timedelta(days=2)),
        make_event(title="已结束的活动", status="completed", starts_in=timedelta(days=-3)),
    ]
    ids += [make_event(title=f"普通活动{n}", starts_in=timedelta(days=5 + n)) for n in range(6)]
    return ids


def one_piece(app, path, locale):
    """The document as icalendar writes the whole calendar at once (how feeds were built before)."""
    from flask_babel import force_locale

    from activity_hub.calendar import feeds
    from activity_hub.calendar.feed_sources import feed_entries
    from activity_hub.calendar.views import event_page_url

    with app.test_request_context(path), force_locale(locale):
        calendar = feeds._calendar(feeds.public_scope(), app.config["CALENDAR_HOST"])
        for entry in feed_entries(feeds.public_scope(), datetime.now(timezone.utc), feeds._Describe):
            calendar.add_component(feeds._vevent(entry, app.config["CALENDAR_HOST"], event_page_url(entry.event.id)))
        return calendar.to_ical()


@pytest.mark.parametrize("path, locale", [("/calendar/events.ics", "zh_CN"), ("/calendar/events.ics?lang=en", "en")])
def test_the_streamed_feed_is_the_calendar_written_in_one_piece(app, client, varied_events, both_readers,
                                                                monkeypatch, path, locale):
    from activity_hub.calendar import feeds

    monkeypatch.setattr(feeds, "WRITE_SIZE", 1)  # one write per VEVENT
    response = client.get(path)
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Length" not in response.headers
    body = response.get_data()
    assert body == one_piece(app, path, locale)
    py, js = both_readers(body)
    assert len(py) == len(js) == len(varied_events)
    assert len(icalendar.Calendar.from_ical(body).walk("VTIMEZONE")) == 1


def test_events_are_read_in_windows_while_the_feed_is_sent(app, client, make_event, count_queries, monkeypatch):
    from activity_hub.calendar import feed_sources, feeds

    monkeypatch.setattr(feed_sources, "ENTRY_WINDOW", 2)
    monkeypatch.setattr(feeds, "WRITE_SIZE", 1)
    for n in range(6):
        make_event(title=f"活动{n}", provisions=("braille",), starts_in=timedelta(days=3 + n))
    with count_queries() as queries:
        response = client.get("/calendar/events.ics")
        chunks = iter(response.response)
        head = next(chunks)
        first_event = next(chunks)
        provisions_read_first = sum("event_provisions" in s for s in queries)
        rest = b"".join(chunks)
    assert head.startswith(b"BEGIN:VCALENDAR") and b"VEVENT" not in head
    assert first_event.startswith(b"BEGIN:VEVENT") and rest.endswith(b"END:VCALENDAR\r\n")
    # The provisions are loaded window by window, as the events are written: 3 windows of 2.
    assert provisions_read_first == 1
    assert sum("event_provisions" in s for s in queries) == 3
    assert (first_event + rest).count(b"BEGIN:VEVENT") == 6


def test_an_unread_feed_response_holds_no_connection(app, client, make_event):
    make_event(title="活动")
    with app.app_context():
        engine = db.engine
    response = client.get("/calendar/events.ics")
    assert response.status_code == 200
    assert engine.pool.checkedout() == 0
    # Reading it later still gives the whole document, and lets its connection go.
    assert response.get_data().count(b"BEGIN:VEVENT") == 1
    assert engine.pool.checkedout() == 0
