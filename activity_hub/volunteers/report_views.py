"""Organizers' reports: volunteer hours (page, CSV, XLSX) and assistance projects."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..auth.accounts import organizer_scope
from ..districts import District
from ..exports import CSV, MIMETYPES, Sheet, csv_bytes, xlsx_bytes
from ..extensions import db
from ..lookup_errors import NotFound
from ..web import download, render_form
from . import access, hours, lookups, projects
from .blueprint import bp
from .forms import ProjectForm
from .models import VolunteerTeam, project_stage_label
from .view_helpers import district_choices_for, perform, requested_year

EXPORT_KINDS = ("volunteer", "team")


@bp.route("/hours")
@login_required
def hours_report():
    lookups.require_staff(current_user)
    year = requested_year()
    scope = organizer_scope(current_user)
    return render_template(
        "volunteers/hours_report.html", year=year,
        by_volunteer=hours.hours_by_volunteer(db.session, year, scope),
        by_team=hours.hours_by_team(db.session, year, scope),
    )


@bp.route("/hours/export.<fmt>")
@login_required
def hours_export(fmt):
    lookups.require_staff(current_user)
    by = request.args.get("by", "volunteer")
    if fmt not in MIMETYPES or by not in EXPORT_KINDS:
        raise NotFound()
    year = requested_year()
    scope = organizer_scope(current_user)
    rows = hours.hours_by_volunteer(db.session, year, scope) if by == "volunteer" else hours.hours_by_team(
        db.session, year, scope)
    table = hours.export_rows(rows, by)
    if fmt == CSV:
        body = csv_bytes(table)
    else:
        title = _("Hours by volunteer") if by == "volunteer" else _("Hours by team")
        body = xlsx_bytes([Sheet(title, table, widths=(30,))])
    return download(body, f"volunteer-hours-by-{by}-{year}.{fmt}")


@bp.route("/projects")
@login_required
def projects_list():
    lookups.require_staff(current_user)
    return render_template(
        "volunteers/projects.html", projects=projects.list_projects(db.session), stage_label=project_stage_label,
        can_edit=lambda project: access.can_edit_project(current_user, project),
    )


def _project_form(project=None):
    if project is not None and request.method == "GET":
        form = ProjectForm(obj=project)
        form.team.data = str(project.team_id or "")
        form.district.data = str(project.district_id or "")
    else:
        form = ProjectForm()
    scope = organizer_scope(current_user)
    teams = db.session.execute(sa.select(VolunteerTeam.id, VolunteerTeam.name, VolunteerTeam.district_id)
                               .order_by(VolunteerTeam.name)).all()
    form.team.choices = [SelectChoice("", _("No team (an organisation)"))] + [
        SelectChoice(str(team_id), name) for team_id, name, district_id in teams if scope is None or district_id in scope]
    districts = district_choices_for(current_user)
    form.district.choices = ([SelectChoice("", _("City-wide (or the team's district)"))] if scope is None else []) + districts
    if scope is not None and not form.district.data and districts:
        form.district.data = districts[0].value
    return form


def _project_input(form):
    team = db.session.get(VolunteerTeam, int(form.team.data)) if form.team.data else None
    district = db.session.get(District, int(form.district.data)) if form.district.data else None
    if team is not None:
        lookups.require_managed_district(current_user, team.district_id)
    lookups.require_managed_district(current_user, district.id if district is not None else None)  # None: city-wide staff only
    return projects.ProjectInput(
        name=form.name.data, description=form.description.data, stage=form.stage.data, team=team,
        organisation=form.organisation.data, district_id=district.id if district else None,
        proposed_on=form.proposed_on.data, incubating_on=form.incubating_on.data,
        launched_on=form.launched_on.data, closed_on=form.closed_on.data,
    )


def _project_page(project=None):
    """The form to create (``project`` None) or edit a project, and saving it."""
    form = _project_form(project)
    if form.validate_on_submit():
        done, saved = perform(form, projects.save_project, db.session, _project_input(form), project=project)
        if done:
            flash(_("The project “%(name)s” has been saved.", name=saved.name), "success")
            return redirect(url_for("volunteers.projects_list"))
    return render_form("volunteers/project_form.html", form, project=project)


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def project_new():
    lookups.require_staff(current_user)
    return _project_page()


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def project_edit(project_id):
    return _project_page(lookups.editable_project(current_user, project_id))
