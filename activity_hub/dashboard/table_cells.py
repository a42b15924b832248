"""A report table's cells as HTML, for ``_macros.html``'s ``data_table``.

Written in Python rather than as Jinja macros: a table cell is the one piece of the report
repeated per row and column (about 900 a page at city scale, with a hundred volunteer teams),
and a macro call costs tens of microseconds where this costs a few.
"""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .report import Hidden, format_number


def number_html(value):
    if value is None:
        return Markup('<span aria-hidden="true">—</span><span class="visually-hidden">%s</span>') % _("no figure")
    if isinstance(value, Hidden):
        return Markup('<span class="hidden-cell">%s</span>') % str(value)
    return escape(format_number(value))


def cell_html(column, value):
    if column.kind == "text":
        return Markup("<td>%s</td>") % (value if value is not None else "")
    if column.kind == "percent" and value is not None and not isinstance(value, Hidden):
        return Markup('<td class="numeric">%s%%</td>') % format_number(value)
    return Markup('<td class="numeric">%s</td>') % number_html(value)
