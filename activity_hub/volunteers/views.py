"""Volunteer pages."""
from flask import Blueprint

bp = Blueprint("volunteers", __name__, template_folder="templates", url_prefix="/volunteers")
