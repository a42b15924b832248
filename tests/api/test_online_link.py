"""The API gives an event's online link only to those the event page shows it to: residents whose
place is confirmed and the event's organizers (``events.lookups.may_see_online_link``); everyone
else gets ``null``, in the listing (even from the shared cache) and in the event's own object."""
import pytest

from activity_hub.auth.models import User
from activity_hub.events import registration
from activity_hub.events.models import Event
from activity_hub.extensions import db

ROOM = "https://meeting.example/room-9"


@pytest.fixture
def online_event(app, make_event):
    event_id = make_event(capacity=1, wheelchair_spaces=0, district_code="wuchang")
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.venue_id, event.online_url = None, ROOM
        db.session.commit()
    return event_id


def registered(app, user_id, event_id):
    with app.app_context():
        return registration.register(event_id, db.session.get(User, user_id), consent=True).status


def links(client, event_id, headers=None):
    listed = [item for item in client.get("/api/v1/events", headers=headers).get_json()["items"]
              if item["id"] == event_id]
    detail = client.get(f"/api/v1/events/{event_id}", headers=headers).get_json()
    return listed[0]["online_url"], detail["online_url"]


@pytest.mark.parametrize("cache_seconds", [0, 10], ids=["no cache", "shared cache"])
def test_only_confirmed_residents_and_the_events_organizers_get_the_link(
        app, make_app, make_user, make_token, online_event, cache_seconds):
    client = make_app(CACHE_TYPE="SimpleCache", CATALOGUE_CACHE_SECONDS=cache_seconds).test_client()
    confirmed, waitlisted, stranger = make_user(), make_user(), make_user()
    assert registered(app, confirmed, online_event) == "confirmed"
    assert registered(app, waitlisted, online_event) == "waitlisted"
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    other_organizer = make_user(roles=("organizer",), role_district_code="hanyang")

    def as_user(user_id):
        return {"Authorization": f"Bearer {make_token(user_id)}"}

    assert links(client, online_event) == (None, None)                              # anonymous, first in cache
    assert links(client, online_event, as_user(confirmed)) == (ROOM, ROOM)
    assert links(client, online_event, as_user(organizer)) == (ROOM, ROOM)
    assert links(client, online_event, as_user(waitlisted)) == (None, None)
    assert links(client, online_event, as_user(stranger)) == (None, None)
    assert links(client, online_event, as_user(other_organizer)) == (None, None)
    assert links(client, online_event) == (None, None)                              # the cache kept no one's view


def test_the_event_page_applies_the_same_rule(app, client, make_user, online_event):
    from tests.conftest import login

    waitlisted, confirmed = make_user(), make_user()
    registered(app, confirmed, online_event)
    registered(app, waitlisted, online_event)
    login(client, waitlisted)
    assert ROOM not in client.get(f"/events/{online_event}").get_data(as_text=True)
    login(client, confirmed)
    assert f'href="{ROOM}"' in client.get(f"/events/{online_event}").get_data(as_text=True)
