"""`flask users ...`: accounts for operators and scripts."""
import io
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from ..districts import District
from ..extensions import db
from . import account_status, accounts, bulk_import, invitations, password_policy
from .models import DISTRICT_SCOPED_ROLES, ROLES


@click.group("users")
def users_cli():
    """Create accounts, grant roles, import registers."""


def _district_by_name(name):
    if not name:
        return None
    district = db.session.scalar(sa.select(District).where(sa.or_(District.name_zh == name, District.code == name)))
    if district is None:
        raise accounts.AccountError(f"unknown district {name!r} (use the Chinese name, e.g. 武昌区)", "district")
    return district


def _describe_roles(user):
    """"organizer (武昌区), resident": roles with the district of organizers and team leaders."""
    parts = []
    for grant in sorted(user.role_grants, key=lambda grant: ROLES.index(grant.role)):
        if grant.role in DISTRICT_SCOPED_ROLES:
            parts.append(f"{grant.role} ({grant.district.name_zh if grant.district else 'whole city'})")
        else:
            parts.append(grant.role)
    return ", ".join(parts)


@users_cli.command("create")
@click.option("--phone", help="Mobile number (11 digits).")
@click.option("--email", help="E-mail address.")
@click.option("--name", required=True, help="Display name.")
@click.option("--password", help="At least 8 characters, not a common one, not the phone number, e-mail or name. "
              "Omit it to let the person choose their own through the invitation.")
@click.option("--no-invitation", is_flag=True, help="Do not send the invitation message (accounts for scripts).")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="May be given several times.")
@click.option("--district", help="Chinese name of the district (for organizers and team leaders: their scope).")
@with_appcontext
def create_command(phone, email, name, password, roles, district, no_invitation):
    """Create one account; its owner gets an invitation to set their password (valid 7 days)."""
    if not phone and not email:
        raise click.UsageError("give --phone or --email")
    name = name.strip()
    if not name or len(name) > bulk_import.NAME_MAX:
        raise click.UsageError(f"the name must be 1 to {bulk_import.NAME_MAX} characters")
    if password is not None:
        facts = {"phone": (accounts.normalise_login(phone) or (None, phone))[1] if phone else None,
                 "email": email, "name": name}
        reason = password_policy.problem_in_english(password, **facts)
        if reason is not None:
            raise click.UsageError(f"--password: {reason}")
    try:
        with force_locale("en"):
            district_obj = _district_by_name(district)
            user = accounts.create_user(None, name, password or invitations.unusable_password(),
                                        roles=roles or ("resident",), district=district_obj,
                                        role_district=district_obj, phone=phone, email=email)
            db.session.flush()
            if not no_invitation:
                invitations.send_invitation(user)
            db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error))  # the text as made inside force_locale("en")
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException("an account with this phone number or e-mail address already exists")
    click.echo(f"created user {user.id} ({user.login_name}) with roles {_describe_roles(user)}"
               + ("" if no_invitation else "; an invitation to set a password is on its way"))


@users_cli.command("grant")
@click.argument("login")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--district", help="Chinese name of the district (organizers, team leaders); omit for city-wide.")
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
            district_obj = _district_by_name(district)
            if district_obj is not None and role not in DISTRICT_SCOPED_ROLES:
                raise accounts.AccountError(f"only {' and '.join(DISTRICT_SCOPED_ROLES)} have a district", "district")
            accounts.grant_role(user, role, district_obj)
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    click.echo(f"{user.login_name}: roles {_describe_roles(user)}")


def _account(login):
    user = accounts.find_user_by_login(login)
    if user is None:
        raise click.ClickException(f"no account {login!r}")
    return user


@users_cli.command("deactivate")
@click.argument("login")
@with_appcontext
def deactivate_command(login):
    """Switch the account LOGIN off: it cannot log in, and its sessions and API tokens end at once."""
    user = _account(login)
    if account_status.deactivate_account(user):
        click.echo(f"{user.login_name}: switched off; every session and API token has ended")
    else:
        click.echo(f"{user.login_name}: was already switched off")


@users_cli.command("reactivate")
@click.argument("login")
@with_appcontext
def reactivate_command(login):
    """Switch the account LOGIN on again: it can log in with its password (old sessions stay ended)."""
    user = _account(login)
    if account_status.reactivate_account(user):
        click.echo(f"{user.login_name}: switched on; they can log in again")
    else:
        click.echo(f"{user.login_name}: was already switched on")


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path):
    """Create many accounts from a CSV file in one transaction; nothing is created if any row is bad.

    The first line names the columns: phone and/or email, name, optionally password,
    roles (resident, volunteer, team_leader, organizer, admin; several separated by ;)
    and district (its Chinese name; empty means city-wide). UTF-8 or GBK. Every new
    account gets an invitation to set its password (an empty password cell: only that way).
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # what Excel on a Chinese Windows saves
        except UnicodeDecodeError:
            raise click.ClickException("the file is neither UTF-8 nor GBK text; save it as CSV (UTF-8)")
    try:
        rows, problems = bulk_import.read_register(io.StringIO(text, newline=""))
    except bulk_import.ImportFileError as error:
        raise click.ClickException(str(error))
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(problems)} bad row(s); no account was created")
    try:
        with force_locale("en"):
            users = bulk_import.create_accounts(rows)
        db.session.commit()
    except (accounts.AccountError, IntegrityError) as error:
        db.session.rollback()
        raise click.ClickException(f"no account was created: {error}")
    click.echo(f"created {len(users)} account(s); each gets an invitation to set a password")
