"""Administrators' pages: find accounts, see their roles, grant and withdraw roles.

The routes live on the auth blueprint (``auth.admin_users`` is in the main navigation).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..api.tokens import active_tokens
from ..districts import District, district_choices
from ..extensions import db
from . import invitations, roles, user_directory
from .accounts import AccountError
from .blueprint import bp
from .forms import ConfirmForm, GrantRoleForm, UserSearchForm
from .lookups import held_role, user_for_admin
from .models import DISTRICT_SCOPED_ROLES, ROLES
from .permissions import roles_required


@bp.app_template_filter("role_label")
def role_label_filter(role):
    return roles.role_label(role)


def _grant_form(formdata=None):
    form = GrantRoleForm(formdata=formdata)
    form.role.choices = roles.role_choices()
    form.district.choices = district_choices(db.session, blank_label=str(roles.WHOLE_CITY))
    return form


def _render_user(user, form, status=200):
    grants = sorted(user.role_grants, key=lambda grant: ROLES.index(grant.role))
    return render_template("auth/admin/user.html", user=user, grants=grants, form=form,
                           scope_label=roles.grant_scope_label, api_tokens=active_tokens(user)), status


@bp.route("/admin/users")
@roles_required("admin")
def admin_users():
    form = UserSearchForm(request.args)
    form.role.choices = [SelectChoice("", _("Any role"))] + roles.role_choices()
    valid = form.validate()
    page = request.args.get("page", 1, type=int)
    query = form.q.data if valid else ""
    role = form.role.data if valid else ""
    pagination = user_directory.find_users(query, role or None, page=page)
    return render_template("auth/admin/users.html", form=form, pagination=pagination, query=query, role=role,
                           searched=bool(query or role), scope_label=roles.grant_scope_label), 200 if valid else 400


@bp.route("/admin/users/<int:user_id>")
@roles_required("admin")
def admin_user(user_id):
    return _render_user(user_for_admin(user_id), _grant_form())


@bp.route("/admin/users/<int:user_id>/roles", methods=["POST"])
@roles_required("admin")
def admin_grant_role(user_id):
    user = user_for_admin(user_id)
    form = _grant_form(request.form)
    if form.validate():
        district = db.session.get(District, int(form.district.data)) if form.district.data else None
        try:
            outcome = roles.grant_as_admin(current_user, user, form.role.data, district)
        except AccountError as error:
            getattr(form, error.field, form.role).errors.append(error.message)
        else:
            label = roles.role_label(form.role.data)
            where = district.name if district is not None else roles.WHOLE_CITY
            if outcome == "unchanged":
                flash(_("%(name)s already has the role %(role)s. Nothing was changed.", name=user.display_name, role=label), "info")
            elif form.role.data in DISTRICT_SCOPED_ROLES:
                flash(_("%(name)s is now %(role)s for: %(where)s.", name=user.display_name, role=label, where=where), "success")
            else:
                flash(_("%(name)s now has the role %(role)s.", name=user.display_name, role=label), "success")
            return redirect(url_for("auth.admin_user", user_id=user.id))
    return _render_user(user, form, 400)


@bp.route("/admin/users/<int:user_id>/roles/<role>/withdraw", methods=["GET", "POST"])
@roles_required("admin")
def admin_withdraw_role(user_id, role):
    """GET asks "are you sure?"; POST withdraws the role."""
    user = user_for_admin(user_id)
    held_role(user, role)
    form = ConfirmForm()
    problem = roles.withdraw_problem(current_user, user, role)
    if problem is None and form.validate_on_submit():
        try:
            roles.withdraw_as_admin(current_user, user, role)
        except AccountError as error:
            problem = error.message
        else:
            flash(_("The role %(role)s was withdrawn from %(name)s.", role=roles.role_label(role), name=user.display_name),
                  "success")
            return redirect(url_for("auth.admin_user", user_id=user.id))
    status = 400 if problem is not None and request.method == "POST" else 200
    grant = next(grant for grant in user.role_grants if grant.role == role)
    return render_template("auth/admin/withdraw_role.html", user=user, role=role, form=form, problem=problem,
                           scope=roles.grant_scope_label(grant)), status


@bp.route("/admin/users/<int:user_id>/invitation", methods=["POST"])
@roles_required("admin")
def admin_send_invitation(user_id):
    """Send the invitation to set a password again (a fresh link, good for 7 days)."""
    user = user_for_admin(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render_user(user, _grant_form(), 400)
    invitations.send_again(user)
    flash(_("An invitation to choose a password has been sent to %(name)s. The link in it works for 7 days.",
            name=user.display_name), "success")
    return redirect(url_for("auth.admin_user", user_id=user.id))
