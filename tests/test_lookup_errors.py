"""A refused lookup answers as the site's error page on pages and as the API's JSON error."""
import pytest
from flask import Blueprint

from activity_hub.lookup_errors import Forbidden, NotFound


@pytest.fixture
def refusing_app(make_app):
    app = make_app()
    pages = Blueprint("refusing_pages", __name__)

    @pages.route("/refusing/<kind>")
    def refuse(kind):
        raise NotFound() if kind == "missing" else Forbidden()

    app.register_blueprint(pages)
    # An endpoint named under the API blueprint gets the API's error handlers.
    app.add_url_rule("/api/v1/refusing/<kind>", "api.refusing", refuse)
    return app


def test_pages_get_the_error_page(refusing_app):
    client = refusing_app.test_client()
    missing = client.get("/refusing/missing")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    refused = client.get("/refusing/other", headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and refused.mimetype == "text/html"


def test_api_gets_the_json_error(refusing_app):
    client = refusing_app.test_client()
    missing = client.get("/api/v1/refusing/missing")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    refused = client.get("/api/v1/refusing/other")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
