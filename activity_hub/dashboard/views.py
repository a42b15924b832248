"""Plan dashboard: progress for organizers and admins, public results, exports, target editing."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import roles_required
from ..extensions import db
from ..local_time import current_year, moment
from ..web import download, render_form
from . import target_admin
from .blueprint import bp
from .charts import chart_for
from .exports import table_csv, tables_xlsx
from .forms import TargetForm, YearForm
from .lookups import export_format, plan_target, report_tables
from .report import Hidden, build_report, format_number
from .table_cells import cell_html
from .targets import measure_label, targets_for_year, unit_label

VIEWERS = ("organizer", "admin")


@bp.context_processor
def report_helpers():
    return {
        "format_number": format_number,
        "cell_html": cell_html,
        "chart_for": chart_for,
        "is_hidden": lambda value: isinstance(value, Hidden),
        "measure_label": measure_label,
        "moment": moment,
        "unit_label": unit_label,
    }


def _chosen_year():
    """The ``year`` query value, checked: (form, year); year is None when the value is wrong."""
    form = YearForm(formdata=request.args)
    if not form.validate():
        return form, None
    if form.year.data is None:
        form.year.data = current_year()
    return form, form.year.data


def _report_page(template, public):
    form, year = _chosen_year()
    if year is None:
        return render_template(template, form=form, report=None, public=public), 400
    report = build_report(db.session, year, public=public)
    return render_template(template, form=form, report=report, public=public)


@bp.route("/")
@roles_required(*VIEWERS)
def index():
    return _report_page("dashboard/index.html", public=False)


@bp.route("/results")
def public():
    return _report_page("dashboard/public.html", public=True)


def _export(table_key, fmt, public):
    export_format(fmt)
    form, year = _chosen_year()
    if year is None:
        abort(400)
    report = build_report(db.session, year, public=public)
    tables = report_tables(report, table_key, fmt)
    stem = f"{'results' if public else 'plan-progress'}-{year}-{table_key}"
    heading = _("Results %(year)s", year=year) if public else _("Plan progress %(year)s", year=year)
    body = table_csv(tables[0]) if fmt == "csv" else tables_xlsx(tables, heading)
    return download(body, f"{stem}.{fmt}")


@bp.route("/export/<table_key>.<fmt>")
@roles_required(*VIEWERS)
def export(table_key, fmt):
    return _export(table_key, fmt, public=False)


@bp.route("/results/export/<table_key>.<fmt>")
def public_export(table_key, fmt):
    return _export(table_key, fmt, public=True)


# -- targets -----------------------------------------------------------------------------------

@bp.route("/targets")
@roles_required(*VIEWERS)
def targets():
    form, year = _chosen_year()
    if year is None:
        return render_template("dashboard/targets.html", form=form, targets=None), 400
    return render_template("dashboard/targets.html", form=form, year=year,
                           targets=targets_for_year(db.session, year), can_edit=current_user.is_admin)


def _target_form_page(form, target):
    if form.validate_on_submit():
        try:
            saved = target_admin.save_target(db.session, form.data, current_user, target)
        except target_admin.TargetError as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("The target “%(label)s” for %(year)s has been saved.", label=saved.label, year=saved.year),
                  "success")
            return redirect(url_for("dashboard.targets", year=saved.year))
    return render_form("dashboard/target_form.html", form, target=target)


@bp.route("/targets/new", methods=["GET", "POST"])
@roles_required("admin")
def new_target():
    form = TargetForm()
    if request.method == "GET":
        form.year.data = request.args.get("year", type=int) or current_year()
        form.measure.data = "manual"
    return _target_form_page(form, None)


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_target(target_id):
    target = plan_target(target_id)
    form = TargetForm(data=target_admin.target_values(target) if request.method == "GET" else None)
    return _target_form_page(form, target)


@bp.route("/targets/<int:target_id>/delete", methods=["GET", "POST"])
@roles_required("admin")
def delete_target(target_id):
    target = plan_target(target_id)
    if request.method == "POST":
        year, label = target.year, target.label
        target_admin.delete_target(db.session, target)
        flash(_("The target “%(label)s” for %(year)s has been removed.", label=label, year=year), "success")
        return redirect(url_for("dashboard.targets", year=year))
    return render_template("dashboard/target_delete.html", target=target)
