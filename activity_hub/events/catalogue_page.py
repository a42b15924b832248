"""The catalogue page's results, rendered once and shared for a few seconds.

The filter form, the list of events and its pages are the same for everyone who sends the
same query string in the same language to the same host: they hold no user, no CSRF token
and no display setting (those are in the layout around them, rendered for every request).
So the rendered fragment is cached for ``CATALOGUE_CACHE_SECONDS`` (default 10; 0 turns the
cache off). Staleness, on the catalogue only: an event changed, published or cancelled, and
the "places left" figures, may show up to that many seconds late. The event page and
registration always read the database.
"""
from flask import render_template, request
from flask_babel import get_locale, gettext as _
from markupsafe import Markup
from wtforms import SelectChoice

from ..districts import all_districts
from .. import caching
from ..extensions import db
from . import catalogue
from .forms import CatalogueFilterForm, parsed_date


def cache_key_parts():
    """Everything the fragment depends on (caching.DECLARATIONS["catalogue_results"]): the
    language, the host (feed links are absolute) and the query string (parameters sorted, so the
    same filters share an entry)."""
    args = sorted((key, value) for key, value in request.args.items(multi=True))
    return (get_locale(), request.host_url, repr(args))


def render_results():
    """(page title, results HTML, status): the form with its messages, one page of events."""
    districts = all_districts(db.session)
    form = CatalogueFilterForm(request.args, district_choices=[SelectChoice(d.code, d.name) for d in districts])
    valid = form.validate()

    def usable(field):  # a filter with a mistake in it is shown with its message, not applied
        return (field.data or None) if not field.errors else None

    filters = catalogue.CatalogueFilters(
        q=usable(form.q) or "", category=usable(form.category), district=usable(form.district),
        provision=usable(form.provision), date_from=parsed_date(form.date_from), date_to=parsed_date(form.date_to),
    )
    result = catalogue.search_events(filters, request.args.get("page", 1), request.args.get("per_page", 20))
    kept = {key: value for key, value in request.args.items(multi=True) if key != "page" and value}
    html = render_template("events/_catalogue_results.html", form=form, filters=filters, result=result,
                           query_args=kept)
    return page_title(form, result), html, 200 if valid else 400


def page_title(form, result):
    title = _("Events")
    if result.page > 1:
        if result.total_exact:
            title += " (" + _("page %(page)d of %(pages)d", page=result.page, pages=result.pages) + ")"
        else:
            title += " (" + _("Page %(page)d of more than %(pages)d", page=result.page, pages=result.pages) + ")"
    return (_("Error:") + " " + title) if form.errors else title


def catalogue_results():
    """(page title, results as Markup, status), from the cache when a fresh copy is there.
    Pages with a mistake in the filters (400) are not cached."""
    title, html, status = caching.get_or_make("catalogue_results", cache_key_parts(), render_results,
                                              keep=lambda found: found[2] == 200)
    return title, Markup(html), status
