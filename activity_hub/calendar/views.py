"""iCalendar feeds."""
from flask import Blueprint

bp = Blueprint("calendar", __name__, template_folder="templates", url_prefix="/calendar")
