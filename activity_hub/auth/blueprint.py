"""The auth domain's pages: accounts (``bp``: sign-up, log-in, profile, password, the administrators'
pages) and display preferences (their own blueprint, ``EXTRA_BLUEPRINTS``). Each view module registers
its routes; this module imports the view modules (they never import it back from one another)."""
import importlib

from flask import Blueprint

from .display_views import bp as display_bp

bp = Blueprint("auth", __name__, template_folder="templates")
EXTRA_BLUEPRINTS = (display_bp,)

# One line per view module registering routes on ``bp``.
VIEW_MODULES = (
    "views",
    "admin_views",
    "code_views",
    "session_views",
    "admin_access_views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
