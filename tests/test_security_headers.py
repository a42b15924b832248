"""The headers every answer carries: a Content-Security-Policy allowing this origin only, HSTS in
production only, and ``Cache-Control: no-store`` on whatever a logged-in person is shown."""
import pytest

from activity_hub.extensions import db

from tests.conftest import login


def test_every_kind_of_answer_carries_a_policy_allowing_this_origin_only(client):
    for path in ("/events", "/login", "/no-such-page", "/api/v1/events"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_no_page_template_has_inline_script_style_or_event_handler():
    """What the policy refuses would silently break in browsers: keep it out of the templates
    (the e-mail template is not a page and keeps its inline styles, which mail readers need)."""
    import re
    from pathlib import Path

    import activity_hub

    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    found = []
    for template in Path(activity_hub.__file__).parent.rglob("templates/**/*.html"):
        if "/email/" in template.as_posix():
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if inline.search(line):
                found.append(f"{template.name}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_hsts_is_sent_in_production_only(client, make_app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/events").headers
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    production = make_app("production", SECRET_KEY="x" * 40, MESSAGE_DELIVERY="off", MESSAGE_BACKENDS={
        "email": "activity_hub.messages.channels.console", "sms": "activity_hub.messages.channels.console"})
    answer = production.test_client().get("/events", base_url="https://localhost")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_shown_to_a_logged_in_person_are_never_stored(client, make_user, make_event):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event()
    assert "no-store" not in client.get("/events").headers.get("Cache-Control", "")   # anonymous
    login(client, organizer)
    for path in ("/events", f"/events/{event_id}", "/account", f"/organize/events/{event_id}/roster",
                 "/my/registrations", f"/organize/events/{event_id}/roster.csv"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-store", path


def test_api_answers_to_a_token_are_never_stored(app, client, make_user):
    from activity_hub.api import tokens
    from activity_hub.auth.models import User

    resident = make_user()
    with app.app_context():
        _token, plain = tokens.create_token(db.session.get(User, resident), "test")
        db.session.commit()
    for path in ("/api/v1/me/registrations", "/api/v1/auth/tokens", "/api/v1/events"):
        answer = client.get(path, headers={"Authorization": f"Bearer {plain}"})
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("path", ["/static/css/site.css"])
def test_static_files_keep_their_own_caching_for_a_logged_in_person(client, make_user, path):
    login(client, make_user())
    assert "no-store" not in client.get(path).headers.get("Cache-Control", "")


def test_a_public_feed_keeps_its_caching_for_a_logged_in_person(client, make_user):
    """Marked ``public_cacheable``: the same for everyone, so no reason to refuse a copy."""
    login(client, make_user())
    assert client.get("/calendar/events.ics").headers["Cache-Control"] == "public, max-age=300"
