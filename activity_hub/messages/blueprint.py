"""The messages domain's pages. Each view module registers its routes on ``bp``; this module imports
them (they never import it back from one another)."""
import importlib

from flask import Blueprint

bp = Blueprint("messages", __name__, template_folder="templates")

# One line per view module of this domain.
VIEW_MODULES = (
    "announcement_views",
    "delivery_views",
    "dev_views",
    "inbox_views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")


@bp.record_once
def _check_delivery_setting(state):
    """An app whose messages could never be delivered refuses to start, saying which setting is wrong."""
    from .dispatch import delivery_mode

    delivery_mode(state.app)
