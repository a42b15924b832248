"""Importing a register of accounts from CSV: check every row first, then create all or nothing.

The federation loads its existing registers this way, so a bad file must be
reported completely (every bad row, by line number) before any slow password
hashing starts, and must leave the database untouched.
"""
import csv
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..districts import District
from ..extensions import db
from . import accounts, invitations, password_policy
from .models import DISTRICT_SCOPED_ROLES, ROLES, User

COLUMNS = ("phone", "email", "name", "password", "roles", "district")
NAME_MAX = 80
LOOKUP_CHUNK = 500


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong header, not CSV)."""


@dataclass
class RegisterRow:
    line: int
    phone: str | None = None
    email: str | None = None
    name: str = ""
    password: str = ""
    roles: list = field(default_factory=list)
    district: District | None = None
    problems: list = field(default_factory=list)


def read_register(handle):
    """Parse and check a CSV register; returns (rows, problems) where problems are "line N: ..." strings."""
    try:
        return _read_register(handle)
    except csv.Error as error:
        raise ImportFileError(f"this is not a CSV file the importer can read ({error})")


def _read_register(handle):
    reader = csv.DictReader(handle)
    header = [name.strip().lower() for name in (reader.fieldnames or ()) if name is not None]
    reader.fieldnames = header
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown or "name" not in header or not {"phone", "email"} & set(header):
        raise ImportFileError(
            "the first line must name the columns: phone and/or email, name, and optionally password, roles, district"
            + (f" (unknown column: {', '.join(unknown)})" if unknown else "")
        )
    districts = {}
    for district in db.session.scalars(sa.select(District)):
        districts[district.name_zh] = districts[district.code] = district

    rows, seen = [], {}
    for record in reader:
        row = _check_row(reader.line_num, record, districts)
        for kind in ("phone", "email"):
            value = getattr(row, kind)
            if value is None:
                continue
            if value in seen:
                row.problems.append(f"{value} appears twice in the file (first on line {seen[value]})")
            else:
                seen[value] = row.line
        rows.append(row)
    _check_existing_accounts(rows)
    problems = [f"line {row.line}: {'; '.join(row.problems)}" for row in rows if row.problems]
    return rows, problems


def _check_row(line, record, districts):
    row = RegisterRow(line=line)
    if None in record:  # more cells than header columns
        row.problems.append("more cells than the header names")
    text = {key: (record.get(key) or "").strip() for key in COLUMNS}

    for kind, label in (("phone", "mobile number (11 digits starting with 1)"), ("email", "e-mail address")):
        if text[kind]:
            parsed = accounts.normalise_login(text[kind])
            if parsed is None or parsed[0] != kind:
                row.problems.append(f"{text[kind]!r} is not a valid {label}")
            else:
                setattr(row, kind, parsed[1])
    if not text["phone"] and not text["email"]:
        row.problems.append("give a phone number or an e-mail address")

    row.name = text["name"]
    if not row.name:
        row.problems.append("the name is empty")
    elif len(row.name) > NAME_MAX:
        row.problems.append(f"the name is longer than {NAME_MAX} characters")
    elif any(not ch.isprintable() for ch in row.name):
        row.problems.append("the name contains control characters")

    row.password = record.get("password") or ""
    if row.password:
        reason = password_policy.problem_in_english(row.password, phone=row.phone, email=row.email, name=row.name)
        if reason is not None:
            row.problems.append(f"password: {reason}")

    row.roles = [r.strip() for r in text["roles"].replace(",", ";").split(";") if r.strip()] or ["resident"]
    unknown = [r for r in row.roles if r not in ROLES]
    if unknown:
        row.problems.append(f"unknown role {', '.join(unknown)} (use {', '.join(ROLES)})")

    if text["district"]:
        row.district = districts.get(text["district"])
        if row.district is None:
            row.problems.append(f"unknown district {text['district']!r} (use the Chinese name, e.g. 武昌区)")
    return row


def _check_existing_accounts(rows):
    """One query per few hundred rows, not one per row."""
    for kind in ("phone", "email"):
        column = getattr(User, kind)
        by_value = {getattr(row, kind): row for row in rows if getattr(row, kind)}
        values = list(by_value)
        for start in range(0, len(values), LOOKUP_CHUNK):
            for existing in db.session.scalars(sa.select(column).where(column.in_(values[start:start + LOOKUP_CHUNK]))):
                by_value[existing].problems.append(f"an account with {existing} already exists")


def create_accounts(rows):
    """Create the accounts of a checked register, each with its invitation to set a password (no
    commit: the caller commits once, for all). A row without a password gets an unusable one."""
    users = []
    with db.session.no_autoflush:
        for row in rows:
            scoped = bool(set(row.roles) & set(DISTRICT_SCOPED_ROLES))
            users.append(accounts.create_user(
                None, row.name, row.password or invitations.unusable_password(), roles=row.roles, district=row.district,
                role_district=row.district if scoped else None, phone=row.phone, email=row.email,
            ))
    db.session.flush()
    for user in users:
        invitations.send_invitation(user)
    return users
