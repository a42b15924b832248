"""What no route has to check for itself: ids past the database's integers and NUL bytes.

Every ``<int:...>`` in a route stops at 2³¹−1, the largest id an INTEGER column holds (PostgreSQL
refuses a larger number in a query, SQLite anything past 2⁶³−1), so a larger one is a plain 404.
A NUL byte anywhere in the path, the query string, a form field or a JSON body is a 400: no text
the site keeps may hold one (PostgreSQL refuses it outright).
"""
from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` with ``max`` 2³¹−1 unless a route gives its own."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def refuse_nul_bytes():
    if "\x00" in request.path or any(_holds_nul(key) or _holds_nul(values) for key, values in request.args.lists()):
        raise BadRequest()
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            if _holds_nul(request.get_json(silent=True)):
                raise BadRequest()
        elif any(_holds_nul(key) or _holds_nul(values) for key, values in request.form.lists()):
            raise BadRequest()


def install_id_converter(app):
    """Before any route is added: the rules take their converters when they are added."""
    app.url_map.converters["int"] = IdConverter


def register_request_limits(app):
    app.before_request(refuse_nul_bytes)
