"""Venue pages for organizers (their own district) and admins: list, create, edit."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import acting_user
from ..lookup_errors import Forbidden
from ..web import render_form
from . import venues as venue_service
from .blueprint import organizer_bp
from .lookups import managed_venue
from .organizer_forms import VenueForm, district_choices_for


@organizer_bp.route("/venues")
def venues():
    return render_template("events/organizer/venues.html", venues=venue_service.managed_venues(current_user))


def _save(form, save):
    """Run ``save(values)``; on broken rules put each message beside its field."""
    try:
        return save(form.values())
    except venue_service.InvalidVenue as invalid:
        form.add_errors(invalid.errors)
    except venue_service.VenueError as error:
        if error.code == "forbidden":
            raise Forbidden() from error
        raise
    return None


@organizer_bp.route("/venues/new", methods=["GET", "POST"])
def new_venue():
    form = VenueForm(district_choices=district_choices_for(current_user))
    if form.validate_on_submit():
        venue = _save(form, lambda values: venue_service.create_venue(values, acting_user()))
        if venue is not None:
            flash(_("The venue “%(name)s” has been added.", name=venue.name), "success")
            return redirect(url_for("organize.venues"))
    return render_form("events/organizer/venue_form.html", form, venue=None)


@organizer_bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def edit_venue(venue_id):
    venue = managed_venue(current_user, venue_id)
    form = VenueForm(obj=venue if request.method == "GET" else None,
                     district_choices=district_choices_for(current_user))
    if request.method == "GET":
        form.district_id.data = str(venue.district_id)
        form.features.data = list(venue.features or [])
    if form.validate_on_submit():
        saved = _save(form, lambda values: venue_service.update_venue(venue.id, values, acting_user()))
        if saved is not None:
            flash(_("Your changes to “%(name)s” have been saved.", name=saved.name), "success")
            return redirect(url_for("organize.venues"))
    return render_form("events/organizer/venue_form.html", form, venue=venue)
