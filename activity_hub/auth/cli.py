"""`flask users ...`: accounts for operators and scripts."""
import csv

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..districts import District
from ..extensions import db
from . import accounts
from .models import DISTRICT_SCOPED_ROLES, ROLES


@click.group("users")
def users_cli():
    """Create accounts, grant roles, import registers."""


def _district_by_name(name):
    if not name:
        return None
    district = db.session.scalar(sa.select(District).where(sa.or_(District.name_zh == name, District.code == name)))
    if district is None:
        raise accounts.AccountError(f"unknown district {name!r}", "district")
    return district


def _parse_roles(text):
    roles = [r.strip() for r in (text or "").replace(",", ";").split(";") if r.strip()]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise accounts.AccountError(f"unknown role(s) {', '.join(unknown)}; use {', '.join(ROLES)}", "roles")
    return roles or ["resident"]


@users_cli.command("create")
@click.option("--phone")
@click.option("--email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="May be given several times.")
@click.option("--district", help="Chinese name of the district (for organizers and team leaders: their scope).")
@with_appcontext
def create_command(phone, email, name, password, roles, district):
    """Create one account."""
    if not phone and not email:
        raise click.UsageError("give --phone or --email")
    if len(password) < 8:
        raise click.UsageError("the password must be at least 8 characters")
    try:
        district_obj = _district_by_name(district)
        user = accounts.create_user(None, name, password, roles=roles or ("resident",), district=district_obj,
                                    role_district=district_obj, phone=phone, email=email)
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message))
    click.echo(f"created user {user.id} ({user.login_name}) with roles {', '.join(sorted(user.roles))}")


@users_cli.command("grant")
@click.argument("login")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--district", help="Chinese name of the district; omit for city-wide.")
@click.option("--withdraw", is_flag=True, help="Take the role away instead.")
@with_appcontext
def grant_command(login, role, district, withdraw):
    """Grant (or --withdraw) ROLE for the account LOGIN (phone or e-mail)."""
    user = accounts.find_user_by_login(login)
    if user is None:
        raise click.ClickException(f"no account {login!r}")
    try:
        if withdraw:
            accounts.withdraw_role(user, role)
        else:
            accounts.grant_role(user, role, _district_by_name(district))
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message))
    click.echo(f"{user.login_name}: roles {', '.join(sorted(user.roles))}")


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path):
    """Create many accounts from a CSV file in one transaction; nothing is created if any row is bad.

    Columns: phone or email (or both), name, password, roles (separated by ;), district.
    """
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or ())
        missing = {"name", "password"} - fields
        if missing or not ({"phone", "email"} & fields):
            raise click.ClickException(
                "the header must name the columns phone or email, name, password (and optionally roles, district)"
            )
        problems = []
        created = 0
        seen = set()
        for row in reader:
            line = reader.line_num
            try:
                phone = (row.get("phone") or "").strip() or None
                email = (row.get("email") or "").strip() or None
                name = (row.get("name") or "").strip()
                password = row.get("password") or ""
                if not name:
                    raise accounts.AccountError("the name is empty", "name")
                if len(name) > 80:
                    raise accounts.AccountError("the name is longer than 80 characters", "name")
                if len(password) < 8:
                    raise accounts.AccountError("the password is shorter than 8 characters", "password")
                for value in (phone, email):
                    if value:
                        key = accounts.normalise_login(value)
                        if key in seen:
                            raise accounts.AccountError(f"{value} appears twice in the file", "login")
                        seen.add(key)
                roles = _parse_roles(row.get("roles"))
                district = _district_by_name((row.get("district") or "").strip())
                with db.session.no_autoflush:
                    accounts.create_user(None, name, password, roles=roles, district=district,
                                         role_district=district if set(roles) & set(DISTRICT_SCOPED_ROLES) else None,
                                         phone=phone, email=email)
                db.session.flush()
                created += 1
            except accounts.AccountError as error:
                problems.append(f"line {line}: {error.message}")
    if problems:
        db.session.rollback()
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(problems)} bad row(s); no account was created")
    db.session.commit()
    click.echo(f"created {created} account(s)")
