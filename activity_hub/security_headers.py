"""The headers every response carries: what the browser may load (Content-Security-Policy), HTTPS
only (HSTS, in production), and no copy kept anywhere of what was shown to a logged-in person.

The site has no inline script, no inline style and no third-party resource (static/js/site.js and
static/css/ are its only assets), so the policy allows this origin alone. A page that needs more
should move its script or style into static/ rather than widen the policy.
"""
from flask import current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

# One year, the value browsers' preload lists ask for; sent in production only, where the site is
# served over HTTPS (a development server on http://localhost must stay reachable).
HSTS_SECONDS = 31536000

PUBLIC_CACHEABLE = "_public_cacheable"


def public_cacheable(view):
    """Mark a view whose answer is the same for everyone (and carries nothing personal), so that it
    keeps its own Cache-Control even for a logged-in caller (e.g. a public calendar feed)."""
    setattr(view, PUBLIC_CACHEABLE, True)
    return view


def _is_public_cacheable():
    if request.endpoint is None or request.endpoint == "static":
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, PUBLIC_CACHEABLE, False))


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if current_app.config.get("HSTS_ENABLED"):
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}; includeSubDomains")
    # Whatever a logged-in person (session or API token) is shown may be theirs: their registrations,
    # needs, a roster, a token, an export. One rule here instead of one line in every such view.
    if headers.get("Cache-Control") == "no-store":
        return response  # said already (and /healthz must not ask the database who is logged in)
    if not _is_public_cacheable() and _logged_in():
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def _logged_in():
    """Whether the request has a logged-in person; when that cannot be told (the database is down
    while the error page is sent), assume so: a copy not kept is the safe mistake."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return current_user.is_authenticated
    except SQLAlchemyError:
        return True


def register_security_headers(app):
    app.after_request(add_security_headers)
