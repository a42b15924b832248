"""The display-preferences page (text size, contrast, motion, easy-read first).

A blueprint of its own so it can live beside the account pages without sharing
their file; ``auth/blueprint.py`` registers it through ``EXTRA_BLUEPRINTS``.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice

from .. import display_preferences as prefs
from ..web import render_form
from .models import TEXT_SIZES

bp = Blueprint("display", __name__)

ONE_YEAR = 365 * 24 * 3600


class DisplayForm(FlaskForm):
    text_size = RadioField(
        _l("Text size"),
        choices=[SelectChoice(str(size), f"{size}%") for size in TEXT_SIZES],
        default="100", validate_choice=False,
    )
    theme = RadioField(
        _l("Colours"),
        choices=[SelectChoice("default", _l("Standard: dark text on white")),
                 SelectChoice("high_contrast", _l("High contrast: white and yellow on black"))],
        default="default", validate_choice=False,
    )
    reduced_motion = BooleanField(_l("Reduce motion: no animations or smooth scrolling"))
    easy_read = BooleanField(_l("Show easy-read summaries first"))
    # Any value is accepted: unknown ones fall back to the defaults (see display_preferences.clean).
    next = HiddenField()


def current_preferences():
    return prefs.effective(current_user, request.cookies.get(prefs.COOKIE))


@bp.app_context_processor
def inject_display_preferences():
    chosen = current_preferences()
    return {"display_preferences": chosen, "display_classes": chosen.html_classes}


@bp.route("/display", methods=["GET", "POST"])
def preferences():
    from .views import safe_next

    form = DisplayForm()
    if request.method == "GET":
        chosen = current_preferences()
        form.text_size.data = str(chosen.text_size)
        form.theme.data = chosen.theme
        form.reduced_motion.data = chosen.reduced_motion
        form.easy_read.data = chosen.easy_read
        form.next.data = safe_next(request.args.get("next"), default="")
    if form.validate_on_submit():
        chosen = prefs.clean(form.text_size.data, form.theme.data, form.reduced_motion.data, form.easy_read.data)
        if current_user.is_authenticated:
            prefs.save_to_user(current_user, chosen)
        flash(_("Your display settings have been saved."), "success")
        response = redirect(safe_next(form.next.data, default=url_for("display.preferences")))
        response.set_cookie(prefs.COOKIE, chosen.cookie_value(), max_age=ONE_YEAR, samesite="Lax", httponly=True)
        return response
    return render_form("display/preferences.html", form)
