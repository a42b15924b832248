"""What every page shares: template helpers, error pages, response headers."""
from datetime import timezone
from zoneinfo import ZoneInfo

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import format_datetime, gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .i18n import html_lang

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_time(value):
    """A stored UTC time as a datetime in Asia/Shanghai."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(SHANGHAI)


# Main navigation: (endpoint, label, who sees it). "anyone", "user" (logged in) or a set of roles.
# An entry appears once its endpoint exists, so a domain adds its pages by adding its blueprint.
NAV_ITEMS = [
    ("events.catalogue", _l("Events"), "anyone"),
    ("events.my_registrations", _l("My registrations"), "user"),
    ("volunteers.my_assignments", _l("My assignments"), {"volunteer", "team_leader"}),
    ("events.organizer_events", _l("Manage events"), {"organizer", "admin"}),
    ("volunteers.teams", _l("Volunteer teams"), {"team_leader", "organizer", "admin"}),
    ("dashboard.index", _l("Plan progress"), {"organizer", "admin"}),
    ("dashboard.public", _l("Results"), "anyone"),
    ("auth.admin_users", _l("Users and roles"), {"admin"}),
]


def visible_nav_items():
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
        items.append({"url": url_for(endpoint), "label": label, "current": request.endpoint == endpoint})
    return items


def wants_json():
    return request.path.startswith("/api/")


def register_web_helpers(app):
    from .extensions import login_manager

    @login_manager.user_loader
    def load_user(user_id):
        from .auth.models import User
        from .extensions import db

        try:
            return db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None

    @app.context_processor
    def inject_globals():
        return {
            "html_lang": html_lang(),
            "nav_items": visible_nav_items(),
            "nav_endpoints": current_app.view_functions,
            "help_phone": current_app.config["HELP_PHONE"],
            "help_email": current_app.config["HELP_EMAIL"],
        }

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value is not None else ""
    )
    app.jinja_env.filters["iso_local"] = lambda value: local_time(value).isoformat() if value else ""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    def error_page(error):
        code = error.code if isinstance(error, HTTPException) else 500
        titles = {
            400: _("The request could not be understood"),
            403: _("You do not have permission to see this page"),
            404: _("Page not found"),
            405: _("This action is not allowed here"),
            409: _("This could not be done"),
            429: _("Too many attempts"),
            500: _("Something went wrong on our side"),
        }
        title = titles.get(code, _("Something went wrong"))
        if wants_json():
            return jsonify({"error": {"code": f"http_{code}", "message": title}}), code
        return render_template("errors/error.html", code=code, title=title), code

    for code in (400, 403, 404, 405, 409, 429):
        app.register_error_handler(code, error_page)

    @app.errorhandler(500)
    def internal_error(error):
        from .extensions import db

        db.session.rollback()
        return error_page(error)
