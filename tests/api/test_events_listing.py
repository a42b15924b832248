"""GET /api/v1/events reads plain rows, not ORM objects: an event must read the same there as
from GET /api/v1/events/{id}, which serializes the ORM object, field by field."""
from activity_hub.extensions import db


def test_an_event_reads_the_same_in_the_listing_as_on_its_own(app, client, make_event, make_user):
    from activity_hub.events import registration
    from activity_hub.auth.models import User
    from activity_hub.events.models import Event, Series

    with app.app_context():
        series = Series(name="残疾人文化周")
        db.session.add(series)
        db.session.commit()
        series_id = series.id
    at_venue = make_event(title="手语电影放映", series_id=series_id, provisions=("captions", "sign_language"),
                          capacity=5, wheelchair_spaces=2, requires_approval=True)
    online = make_event(title="线上普法讲座", district_code="hanyang", category="legal")
    with app.app_context():
        event = db.session.get(Event, online)
        event.venue_id, event.online_url = None, "https://meeting.example/legal"
        db.session.commit()
        registration.register(at_venue, db.session.get(User, make_user()), consent=True, companions=1,
                              needs=["wheelchair_space"])

    for language in ("zh_CN", "en"):
        headers = {"Accept-Language": language}
        items = client.get("/api/v1/events", headers=headers).get_json()["items"]
        assert [item["id"] for item in items] == [at_venue, online]      # same start: by id
        for item in items:
            detail = client.get(f"/api/v1/events/{item['id']}", headers=headers).get_json()
            venue, detail_venue = item.pop("venue"), detail["venue"]
            assert item == {key: detail[key] for key in item}
            assert (venue is None) == (detail_venue is None)
            if venue is not None:
                assert venue == {key: detail_venue[key] for key in venue}
    listed = {item["id"]: item for item in client.get("/api/v1/events").get_json()["items"]}
    assert listed[at_venue]["series"]["name"] == "残疾人文化周" and listed[online]["series"] is None
    assert listed[at_venue]["provisions"] == ["sign_language", "captions"]     # the taxonomy's order
    assert (listed[at_venue]["places_left"], listed[at_venue]["wheelchair_spaces_left"]) == (3, 1)  # pending holds
    assert listed[online]["venue"] is None and listed[online]["online_url"] is None  # the link: for confirmed places (test_online_link)
