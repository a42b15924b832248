"""Who may reach the organizer pages: organizers of the event's district, city-wide organizers
and admins. Residents, volunteers and organizers of another district get 403; anonymous users
are sent to log in. Rosters and exports carry contacts and needs, so every one is checked."""
import pytest
from tests.conftest import login


EVENT_PAGES = [
    "/organize/events/{id}", "/organize/events/{id}/edit", "/organize/events/{id}/roster",
    "/organize/events/{id}/roster.csv", "/organize/events/{id}/roster.xlsx", "/organize/events/{id}/sign-in-sheet",
    "/organize/events/{id}/needs", "/organize/events/{id}/check-in", "/organize/events/{id}/register-resident",
    "/organize/events/{id}/no-shows", "/organize/events/{id}/cancel",
]
EVENT_POSTS = [
    "/organize/events/{id}/publish", "/organize/events/{id}/duplicate", "/organize/events/{id}/cancel",
    "/organize/events/{id}/complete", "/organize/events/{id}/no-shows", "/organize/events/{id}/edit",
]


@pytest.fixture
def event_id(make_event):
    return make_event(district_code="wuchang")


ROLES = {
    "resident": dict(roles=("resident",)),
    "volunteer": dict(roles=("volunteer", "resident")),
    "team_leader": dict(roles=("team_leader", "volunteer"), role_district_code="wuchang"),
    "other_district_organizer": dict(roles=("organizer",), role_district_code="hanyang"),
    "district_organizer": dict(roles=("organizer",), role_district_code="wuchang"),
    "city_organizer": dict(roles=("organizer",)),
    "admin": dict(roles=("admin",)),
}


@pytest.fixture
def people(make_user):
    """people[role] -> a user id with that role, created when first asked for."""

    class People(dict):
        def __missing__(self, role):
            self[role] = make_user(**ROLES[role])
            return self[role]

    return People()


@pytest.mark.parametrize("role", ["resident", "volunteer", "team_leader", "other_district_organizer"])
def test_outsiders_get_403_on_every_event_page_and_action(client, event_id, people, role):
    login(client, people[role])
    for page in EVENT_PAGES:
        assert client.get(page.format(id=event_id)).status_code == 403, page
    for page in EVENT_POSTS:
        assert client.post(page.format(id=event_id)).status_code == 403, page


@pytest.mark.parametrize("role", ["district_organizer", "city_organizer", "admin"])
def test_the_events_organizers_and_admins_see_every_page(client, event_id, people, role):
    login(client, people[role])
    for page in EVENT_PAGES:
        response = client.get(page.format(id=event_id))
        assert response.status_code == 200, page


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_residents_and_volunteers_cannot_open_the_organizer_area(client, people, role):
    login(client, people[role])
    for page in ("/organize/", "/organize/events/new", "/organize/series/new", "/organize/venues",
                 "/organize/venues/new"):
        assert client.get(page).status_code == 403, page


def test_anonymous_visitors_are_sent_to_log_in(client, event_id):
    for page in ("/organize/", f"/organize/events/{event_id}/roster", f"/organize/events/{event_id}/roster.csv"):
        response = client.get(page)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_registration_actions_are_refused_to_another_districts_organizer(client, make_event, people, sign_up):
    event_id = make_event(requires_approval=True)
    registration_id, status = sign_up(event_id, people["resident"])
    assert status == "pending"
    login(client, people["other_district_organizer"])
    for action in ("approve", "reject", "move-up", "check-in"):
        assert client.post(f"/organize/registrations/{registration_id}/{action}").status_code == 403
    login(client, people["district_organizer"])
    assert client.post(f"/organize/registrations/{registration_id}/approve").status_code == 302


def test_event_list_shows_only_the_organizers_district(client, make_event, people):
    make_event(title="武昌区普法讲座", district_code="wuchang")
    make_event(title="汉阳区普法讲座", district_code="hanyang")
    login(client, people["district_organizer"])
    page = client.get("/organize/").get_data(as_text=True)
    assert "武昌区普法讲座" in page and "汉阳区普法讲座" not in page
    login(client, people["city_organizer"])
    page = client.get("/organize/").get_data(as_text=True)
    assert "武昌区普法讲座" in page and "汉阳区普法讲座" in page


def test_the_main_menu_links_organizers_to_their_events(client, people):
    login(client, people["district_organizer"])
    assert 'href="/organize/"' in client.get("/organize/venues").get_data(as_text=True)
    login(client, people["resident"])
    assert 'href="/organize/"' not in client.get("/account").get_data(as_text=True)


def test_missing_event_is_404_for_organizers(client, people):
    login(client, people["admin"])
    assert client.get("/organize/events/999999/roster").status_code == 404
