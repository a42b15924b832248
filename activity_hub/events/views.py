"""Event pages."""
from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from .organizer_views import organizer_bp  # noqa: E402
EXTRA_BLUEPRINTS = (organizer_bp,)
