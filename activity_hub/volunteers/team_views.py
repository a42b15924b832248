"""Teams: the list with training progress, a team's page, members, skills and qualifications."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..accessibility import skill_choices
from ..auth.accounts import find_user_by_login
from ..extensions import db
from ..local_time import current_year, local_today
from ..web import render_form
from . import access, lookups, teams as service, training
from .blueprint import bp
from .forms import ConfirmForm, MemberAddForm, MemberEditForm, QualificationForm, TeamForm
from .skills import add_qualification
from .view_helpers import district_choices_for, perform, requested_year


def _chosen_district(form):
    return lookups.team_district(current_user, int(form.district.data))


@bp.route("/teams")
@login_required
def teams():
    lookups.require_team_viewer(current_user)
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
    lookups.require_team_creator(current_user)
    form = TeamForm()
    form.district.choices = [SelectChoice("", _("Choose a district"))] + district_choices_for(current_user)
    if form.validate_on_submit():
        done, team = perform(form, service.create_team, db.session, form.name.data, _chosen_district(form),
                             find_user_by_login(form.leader.data))
        if done:
            flash(_("The team “%(name)s” has been created.", name=team.name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/team_form.html", form, team=None)


@bp.route("/teams/<int:team_id>")
@login_required
def team_detail(team_id):
    team = lookups.manageable_team(current_user, team_id)
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
    team = lookups.runnable_team(current_user, team_id)
    form = TeamForm(data={"name": team.name, "district": str(team.district_id), "leader": team.leader.login_name})
    form.district.choices = [SelectChoice("", _("Choose a district"))] + district_choices_for(current_user)
    if form.validate_on_submit():
        done, _team = perform(form, service.update_team, db.session, team, form.name.data, _chosen_district(form),
                              find_user_by_login(form.leader.data))
        if done:
            flash(_("The team's details have been saved."), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/team_form.html", form, team=team)


@bp.route("/teams/<int:team_id>/members/new", methods=["GET", "POST"])
@login_required
def member_add(team_id):
    team = lookups.manageable_team(current_user, team_id)
    form = MemberAddForm()
    if form.validate_on_submit():
        done, membership = perform(form, service.add_member, db.session, team, find_user_by_login(form.login.data),
                                   form.availability_notes.data, form.skills.data)
        if done:
            flash(_("%(name)s has joined the team.", name=membership.user.display_name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_add.html", form, team=team)


@bp.route("/teams/<int:team_id>/members/<int:user_id>", methods=["GET", "POST"])
@login_required
def member_edit(team_id, user_id):
    team = lookups.manageable_team(current_user, team_id)
    membership = lookups.team_membership(team, user_id)
    view = service.team_members(db.session, team, local_today(), current_year(), user_ids=[user_id])[0]
    form = MemberEditForm(data={"availability_notes": membership.availability_notes, "skills": sorted(view.declared)})
    if form.validate_on_submit():
        done, _membership = perform(form, service.update_member, db.session, membership,
                                    form.availability_notes.data, form.skills.data)
        if done:
            flash(_("%(name)s's details have been saved.", name=membership.user.display_name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_edit.html", form, team=team, membership=membership, member=view,
                       today=local_today())


@bp.route("/teams/<int:team_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def member_remove(team_id, user_id):
    team = lookups.manageable_team(current_user, team_id)
    membership = lookups.team_membership(team, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = membership.user.display_name
        done, _removed = perform(form, service.remove_member, db.session, team, membership)
        if done:
            flash(_("%(name)s has left the team.", name=name), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/member_remove.html", form, team=team, membership=membership)


@bp.route("/teams/<int:team_id>/members/<int:user_id>/qualifications/new", methods=["GET", "POST"])
@login_required
def qualification_add(team_id, user_id):
    team = lookups.manageable_team(current_user, team_id)
    membership = lookups.team_membership(team, user_id)
    form = QualificationForm()
    form.skill.choices = [SelectChoice("", _("Choose a skill"))] + skill_choices()
    if form.validate_on_submit():
        done, _qualification = perform(form, add_qualification, db.session, user_id, form.skill.data,
                                       form.title.data, form.expires_on.data, form.issued_on.data)
        if done:
            flash(_("The qualification has been added."), "success")
            return redirect(url_for("volunteers.member_edit", team_id=team.id, user_id=user_id))
    return render_form("volunteers/qualification_form.html", form, team=team, membership=membership)


@bp.route("/teams/<int:team_id>/members/<int:user_id>/qualifications/<int:qualification_id>/remove",
          methods=["GET", "POST"])
@login_required
def qualification_remove(team_id, user_id, qualification_id):
    team = lookups.manageable_team(current_user, team_id)
    membership = lookups.team_membership(team, user_id)
    qualification = lookups.member_qualification(user_id, qualification_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.remove_qualification(db.session, qualification)
        flash(_("The qualification has been removed."), "success")
        return redirect(url_for("volunteers.member_edit", team_id=team.id, user_id=user_id))
    return render_form("volunteers/qualification_remove.html", form, team=team, membership=membership,
                       qualification=qualification)
