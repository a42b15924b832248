"""The events domain's two blueprints: the residents' pages (``bp``) and the organizers' pages under
/organize (``organizer_bp``). Each view module registers its routes on one of them; this module
imports the view modules (they never import it back from one another)."""
import importlib

from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")
organizer_bp = Blueprint("organize", __name__, url_prefix="/organize", template_folder="templates")
EXTRA_BLUEPRINTS = (organizer_bp,)

# One line per view module of this domain.
VIEW_MODULES = (
    "views",
    "organizer_views",
    "organizer_roster_views",
    "venue_views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
