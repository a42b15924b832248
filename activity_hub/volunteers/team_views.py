"""Teams: the list with training progress, a team's page, members, skills and qualifications."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accessibility import skill_choices
from ..auth.accounts import find_user_by_login, managed_districts
from ..auth.models import ADMIN, ORGANIZER, TEAM_LEADER
from ..auth.permissions import require_role
from ..districts import District
from ..extensions import db
from ..local_time import current_year, local_today
from ..web import render_form
from . import access, teams as service, training
from .errors import VolunteerError
from .forms import ConfirmForm, MemberAddForm, MemberEditForm, QualificationForm, TeamForm
from .views import apply_error, bp, requested_year


def team_or_404(team_id):
    team = service.get_team(db.session, team_id)
    if team is None:
        abort(404)
    return team


def managed_team(team_id):
    """The team, if the current user may manage its members (403 otherwise)."""
    team = team_or_404(team_id)
    if not access.can_manage_team(current_user, team):
        abort(403)
    return team


def membership_or_404(team, user_id):
    membership = service.membership_of(db.session, team.id, user_id)
    if membership is None:
        abort(404)
    return membership


def district_choices_for(user):
    return [(str(d.id), d.name) for d in managed_districts(user)]


@bp.route("/teams")
@login_required
def teams():
    require_role(TEAM_LEADER, ORGANIZER, ADMIN)
    year = requested_year()
    rows = service.all_teams(db.session)
    states = training.training_states(db.session, year)
    trained = sum(1 for state in states.values() if state.marked)
    return render_template(
        "volunteers/teams.html", teams=rows, states=states, year=year, trained=trained,
        target=training.TRAINED_TEAMS_TARGET, can_manage=lambda team: access.can_manage_team(current_user, team),
        can_create=access.can_create_team(current_user), state_label=training.state_label,
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@login_required
def team_new():
    if not access.can_create_team(current_user):
        abort(403)
    form = TeamForm()
    form.district.choices = [("", _("Choose a district"))] + district_choices_for(current_user)
    if form.validate_on_submit():
        district = db.session.get(District, int(form.district.data))
        if district is None or not access.can_create_team(current_user, district.id):
            abort(403)
        try:
            team = service.create_team(db.session, form.name.data, district, find_user_by_login(form.leader.data))
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            apply_error(form, error)
        else:
            flash(_("The team “%(name)s” has been created.", name=team.name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/team_form.html", form, team=None)


@bp.route("/teams/<int:team_id>")
@login_required
def team_detail(team_id):
    team = managed_team(team_id)
    year = requested_year()
    members = service.team_members(db.session, team, local_today(), year)
    state = training.training_states(db.session, year, [team.id])[team.id]
    return render_template(
        "volunteers/team_detail.html", team=team, members=members, state=state, year=year,
        enrolments=training.team_enrolments(db.session, team.id), state_label=training.state_label,
        can_run=access.can_run_team(current_user, team), today=local_today(),
        is_current_year=year == current_year(),
    )


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def team_edit(team_id):
    team = team_or_404(team_id)
    if not access.can_run_team(current_user, team):
        abort(403)
    form = TeamForm(data={"name": team.name, "district": str(team.district_id), "leader": team.leader.login_name})
    form.district.choices = [("", _("Choose a district"))] + district_choices_for(current_user)
    if form.validate_on_submit():
        district = db.session.get(District, int(form.district.data))
        if district is None or not access.can_create_team(current_user, district.id):
            abort(403)
        try:
            service.update_team(db.session, team, form.name.data, district, find_user_by_login(form.leader.data))
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            team = team_or_404(team_id)
            apply_error(form, error)
        else:
            flash(_("The team's details have been saved."), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/team_form.html", form, team=team)


@bp.route("/teams/<int:team_id>/members/new", methods=["GET", "POST"])
@login_required
def member_add(team_id):
    team = managed_team(team_id)
    form = MemberAddForm()
    if form.validate_on_submit():
        try:
            membership = service.add_member(db.session, team, find_user_by_login(form.login.data),
                                            form.availability_notes.data, form.skills.data)
            name = membership.user.display_name
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            team = managed_team(team_id)
            apply_error(form, error)
        else:
            flash(_("%(name)s has joined the team.", name=name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_add.html", form, team=team)


@bp.route("/teams/<int:team_id>/members/<int:user_id>", methods=["GET", "POST"])
@login_required
def member_edit(team_id, user_id):
    team = managed_team(team_id)
    membership = membership_or_404(team, user_id)
    view = service.team_members(db.session, team, local_today(), current_year(), user_ids=[user_id])[0]
    form = MemberEditForm(data={"availability_notes": membership.availability_notes, "skills": sorted(view.declared)})
    if form.validate_on_submit():
        try:
            service.update_member(db.session, membership, form.availability_notes.data, form.skills.data)
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            team, membership = managed_team(team_id), membership_or_404(team, user_id)
            apply_error(form, error)
        else:
            flash(_("%(name)s's details have been saved.", name=membership.user.display_name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_edit.html", form, team=team, membership=membership, member=view,
                       today=local_today())


@bp.route("/teams/<int:team_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def member_remove(team_id, user_id):
    team = managed_team(team_id)
    membership = membership_or_404(team, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = membership.user.display_name
        try:
            service.remove_member(db.session, team, membership)
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            team, membership = managed_team(team_id), membership_or_404(team, user_id)
            apply_error(form, error)
        else:
            flash(_("%(name)s has left the team.", name=name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_remove.html", form, team=team, membership=membership)


@bp.route("/teams/<int:team_id>/members/<int:user_id>/qualifications/new", methods=["GET", "POST"])
@login_required
def qualification_add(team_id, user_id):
    from .skills import add_qualification

    team = managed_team(team_id)
    membership = membership_or_404(team, user_id)
    form = QualificationForm()
    form.skill.choices = [("", _("Choose a skill"))] + skill_choices()
    if form.validate_on_submit():
        try:
            add_qualification(db.session, user_id, form.skill.data, form.title.data, form.expires_on.data,
                              form.issued_on.data)
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            team, membership = managed_team(team_id), membership_or_404(team, user_id)
            apply_error(form, error)
        else:
            flash(_("The qualification has been added."), "success")
            return redirect(url_for("volunteers.member_edit", team_id=team.id, user_id=user_id))
    return render_form("volunteers/qualification_form.html", form, team=team, membership=membership)


@bp.route("/teams/<int:team_id>/members/<int:user_id>/qualifications/<int:qualification_id>/remove",
          methods=["GET", "POST"])
@login_required
def qualification_remove(team_id, user_id, qualification_id):
    team = managed_team(team_id)
    membership = membership_or_404(team, user_id)
    qualification = service.qualification_of(db.session, user_id, qualification_id)
    if qualification is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.remove_qualification(db.session, qualification)
        db.session.commit()
        flash(_("The qualification has been removed."), "success")
        return redirect(url_for("volunteers.member_edit", team_id=team.id, user_id=user_id))
    return render_form("volunteers/qualification_remove.html", form, team=team, membership=membership,
                       qualification=qualification)


from . import training_views  # noqa: E402,F401  (training pages reuse the helpers above)
