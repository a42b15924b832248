"""The pages and the API decide who may see something with the same lookups, so they answer alike."""
from activity_hub.events.models import DRAFT
from tests.conftest import login

from .conftest import error_code


def test_registering_for_a_draft_is_a_404_in_the_api_as_on_the_page(client, api, make_event, make_user):
    """A draft must not be known to exist outside its organizers: the register page says 404, and so
    does the API now (it used to answer 409 ``not_published``, which told a resident it was there)."""
    draft = make_event(status=DRAFT)
    resident = make_user()
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")

    by_api = api("POST", f"/api/v1/events/{draft}/registrations", resident, json={"consent": True})
    assert (by_api.status_code, error_code(by_api)) == (404, "not_found")
    assert api("GET", f"/api/v1/events/{draft}", resident).status_code == 404
    login(client, resident)
    assert client.get(f"/events/{draft}/register").status_code == 404

    # Its organizers may see it, and learn why they cannot register.
    refused = api("POST", f"/api/v1/events/{draft}/registrations", organizer, json={"consent": True})
    assert (refused.status_code, error_code(refused)) == (409, "not_published")
