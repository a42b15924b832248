"""Ids past the database's integers, made harmless before any view runs.

An id in a route (``<int:...>``) larger than 2³¹−1, the largest an INTEGER column holds, names
nothing. It is handed to the view as 0, which no row has (ids start at 1) and which anyone could
already ask for (``/events/0``), so every lookup finds it absent: the answer is that of any missing
id (the page's 404, the API's ``not_found``), instead of a number the database refuses with an
error (PostgreSQL past 2³¹−1 for an INTEGER, SQLite past 2⁶³−1). A route that gives its own ``max``
keeps it. (NUL bytes need no such rule: the forms and the API's checks refuse control characters
beside the field; tests/test_extreme_parameters.py walks every route with them.)
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
NO_SUCH_ID = 0


class IdConverter(IntegerConverter):
    """``<int:...>`` whose values past 2³¹−1 arrive as ``NO_SUCH_ID``."""

    def to_python(self, value):
        number = super().to_python(value)
        return NO_SUCH_ID if number > MAX_ID else number


def install_id_converter(app):
    """Before any route is added: the rules take their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
