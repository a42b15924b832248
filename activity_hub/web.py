"""What every page shares: template helpers, error pages, response headers."""
from flask import Response, current_app, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException, Unauthorized

from . import caching
from .exports import MIMETYPES
from .i18n import html_lang
from .local_time import local_time
from .volunteers.access import is_volunteer


# Main navigation: (endpoint, label, who sees it). "anyone", "user" (logged in), a set of roles, or a
# rule that takes the current user (who counts as a volunteer is decided in volunteers/access.py).
# An entry appears once its endpoint exists, so a domain adds its pages by adding its blueprint.
NAV_ITEMS = [
    ("events.catalogue", _l("Events"), "anyone"),
    ("events.my_registrations", _l("My registrations"), "user"),
    ("messages.inbox", _l("My messages"), "user"),
    ("volunteers.my_assignments", _l("My assignments"), is_volunteer),
    ("calendar.my_feeds", _l("Calendar feeds"), "user"),
    ("organize.events", _l("Manage events"), {"organizer", "admin"}),
    ("volunteers.teams", _l("Volunteer teams"), {"team_leader", "organizer", "admin"}),
    ("dashboard.index", _l("Plan progress"), {"organizer", "admin"}),
    ("dashboard.public", _l("Results"), "anyone"),
    ("auth.admin_users", _l("Users and roles"), {"admin"}),
    ("messages.queue_page", _l("Message queue"), {"admin"}),
]


def page_path(endpoint):
    """``url_for(endpoint)`` for a page without arguments, built once per app and script root
    (such a path depends on nothing else; caching.py "page_paths"); every page's layout asks for
    up to ten of them."""
    return caching.remembered("page_paths", (request.script_root, endpoint), lambda: url_for(endpoint))


def visible_nav_items():
    # A domain may word its entry for the logged-in person (e.g. the inbox's unread count):
    # app.extensions["nav_labels"][endpoint] = function(label) -> label.
    labellers = current_app.extensions.get("nav_labels", {})
    items = []
    for endpoint, label, audience in NAV_ITEMS:
        if endpoint not in current_app.view_functions:
            continue
        if audience == "user" and not current_user.is_authenticated:
            continue
        if isinstance(audience, set) and not (
            current_user.is_authenticated and current_user.has_role(*audience)
        ):
            continue
        if callable(audience) and not audience(current_user):
            continue
        if endpoint in labellers and current_user.is_authenticated:
            label = labellers[endpoint](label)
        items.append({"url": page_path(endpoint), "label": label, "current": request.endpoint == endpoint})
    return items


def wants_json():
    return request.path.startswith("/api/")


def home_url():
    """The front page: the event list once the events blueprint provides it."""
    if "events.catalogue" in current_app.view_functions:
        return page_path("events.catalogue")
    return "/"


def current_path():
    """The path of this request with its query string, for ``next=`` links."""
    return request.full_path if request.query_string else request.path


def render_form(template, form, **context):
    """A page with a form: HTTP 400 while the form shows errors (bad input is never a 200), else 200."""
    return render_template(template, form=form, **context), 400 if form.errors else 200


def download(body, filename):
    """A file to save rather than show (type from the name's ending: csv or xlsx), never cached:
    exports can hold personal data."""
    return Response(body, mimetype=MIMETYPES[filename.rsplit(".", 1)[-1]], headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# Shown by Flask-Login when a page needs a logged-in user (translated when flashed).
LOGIN_MESSAGE = _l("Please log in to see this page.")

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please log in to continue"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This could not be done"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
CSRF_TITLE = _l("Your form could not be sent")


def error_response(error):
    """An error as a page in the site's layout (or as JSON under /api/), in the user's language."""
    from flask_wtf.csrf import CSRFError

    code = error.code if isinstance(error, HTTPException) and error.code else 500
    title = str(CSRF_TITLE if isinstance(error, CSRFError) else ERROR_TITLES.get(code, _("Something went wrong")))
    headers = exception_headers(error)
    if wants_json():
        return jsonify({"error": {"code": f"http_{code}", "message": title}}), code, headers
    try:
        body = render_template("errors/error.html", code=code, title=title,
                               csrf_failed=isinstance(error, CSRFError))
    except Exception:  # the layout itself failed (e.g. the database is down): still say something useful
        current_app.logger.exception("error page could not be rendered")
        body = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return body, code, headers


def exception_headers(error):
    """The headers an HTTP error must carry besides its body, e.g. ``Allow`` on a 405 (RFC 9110)."""
    if not isinstance(error, HTTPException):
        return []
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def register_web_helpers(app):
    from .extensions import login_manager

    from .auth import session_cookies

    session_cookies.install(app, login_manager)

    @login_manager.unauthorized_handler
    def unauthorized():
        """Pages send anonymous visitors to the login form; the JSON API answers 401."""
        if wants_json():
            return make_response(error_response(Unauthorized()))
        flash(str(LOGIN_MESSAGE), "info")
        return redirect(url_for("auth.login", next=current_path()))

    @app.context_processor
    def inject_globals():
        return {
            "html_lang": html_lang(),
            "nav_items": visible_nav_items(),
            "nav_endpoints": current_app.view_functions,
            "home_url": home_url(),
            "current_path": current_path(),
            "help_phone": current_app.config["HELP_PHONE"],
            "help_email": current_app.config["HELP_EMAIL"],
        }

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value is not None else ""
    )
    app.jinja_env.filters["iso_local"] = lambda value: local_time(value).isoformat() if value else ""

    from .security_headers import register_security_headers
    register_security_headers(app)

    for code in (400, 401, 403, 404, 405, 409, 413, 429):
        app.register_error_handler(code, error_response)

    @app.errorhandler(500)
    def internal_error(error):
        from .extensions import db

        db.session.rollback()
        return error_response(error)
