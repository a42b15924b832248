"""Ids past the database's integers, answered before any view runs.

Every ``<int:...>`` in a route stops at 2³¹−1, the largest id an INTEGER column holds (PostgreSQL
refuses a larger number in a query, SQLite anything past 2⁶³−1), so a larger one is a plain 404
instead of a database error. (NUL bytes need no such rule: each form and the API's checks refuse
control characters beside the field; tests/test_extreme_parameters.py walks every route with them.)
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` with ``max`` 2³¹−1 unless a route gives its own."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def install_id_converter(app):
    """Before any route is added: the rules take their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
