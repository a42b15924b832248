"""The dashboard domain's pages under /dashboard. Each view module registers its routes on ``bp``;
this module imports the view modules (they never import it back from one another)."""
import importlib

from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates", url_prefix="/dashboard",
               static_folder="static", static_url_path="/static")

# One line per view module of this domain.
VIEW_MODULES = (
    "views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
