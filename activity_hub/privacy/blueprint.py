"""The privacy domain's pages. Each view module registers its routes on ``bp``; this module imports
them (they never import it back from one another)."""
import importlib

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates")

# One line per view module of this domain.
VIEW_MODULES = (
    "notice_views",
    "consent_views",
    "audit_views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
