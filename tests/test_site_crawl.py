"""Every page a demo user can reach by following links answers without a server error.

The crawl starts on the home page (and the account page once logged in) and
follows same-site links breadth-first, for each demo role and in both languages,
on the full demo data. It catches pages that break on real data, which the
per-domain tests with hand-made fixtures can miss.
"""
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
import sqlalchemy as sa

from activity_hub.demo_data import DEMO_ACCOUNTS, seed_demo
from activity_hub.extensions import db
from tests.conftest import login

HREF = re.compile(r'href="([^"]+)"')
# Links that change state on GET or leave the HTML site.
SKIP = re.compile(r"^/(static/|api/|language|logout)|\.(ics|csv|xlsx|svg|png|json)$|/export|/feeds?/")
MAX_PAGES = 120


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(db.session)
        db.session.commit()


def user_id(app, login_name):
    from activity_hub.auth.accounts import find_user_by_login

    with app.app_context():
        return find_user_by_login(login_name).id


def crawl(client, starts):
    seen, queue, failures, visited = set(starts), deque(starts), [], 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        # Closed once read: a static file's response holds the file open until then.
        with client.get(path) as response:
            visited += 1
            if response.status_code >= 500:
                failures.append((path, response.status_code))
                continue
            if not response.content_type.startswith("text/html"):
                continue
            page = response.get_data(as_text=True)
        for href in HREF.findall(page):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(parts.path):
                continue
            # One page per distinct path: query-string variants (filters, pages) add little.
            key = parts.path
            if key not in seen:
                seen.add(key)
                queue.append(href)
    return visited, failures


@pytest.mark.parametrize("account", [None] + [row[0] for row in DEMO_ACCOUNTS])
def test_no_page_reachable_by_links_fails(app, demo, account):
    for language in ("zh_CN", "en"):
        client = app.test_client()
        client.set_cookie("lang", language)
        starts = ["/"]
        if account:
            login(client, user_id(app, account))
            starts.append("/account")
        visited, failures = crawl(client, starts)
        assert visited > 5
        assert failures == [], f"server errors for {account or 'anonymous'} ({language}): {failures}"
