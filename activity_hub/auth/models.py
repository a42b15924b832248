"""Accounts, roles, login sessions and the shared login-failure counters."""
import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

RESIDENT = "resident"
VOLUNTEER = "volunteer"
TEAM_LEADER = "team_leader"
ORGANIZER = "organizer"
ADMIN = "admin"
ROLES = (RESIDENT, VOLUNTEER, TEAM_LEADER, ORGANIZER, ADMIN)
# Roles whose grant may be limited to one district (NULL district = city-wide).
DISTRICT_SCOPED_ROLES = (ORGANIZER, TEAM_LEADER)

LOCALES = ("zh_CN", "en")
TEXT_SIZES = (100, 125, 150, 175, 200)
THEMES = ("default", "high_contrast")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="has_login"),
        sa.CheckConstraint("text_size BETWEEN 100 AND 200", name="text_size_range"),
        sa.CheckConstraint("message_channel IN ('sms', 'email', 'site')", name="known_message_channel"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    phone = sa.Column(sa.String(11), unique=True)
    email = sa.Column(sa.String(254), unique=True)
    display_name = sa.Column(sa.String(80), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"), index=True)
    # Default accessibility needs (codes from accessibility.NEEDS), pre-filled on registration.
    default_needs = sa.Column(sa.JSON, nullable=False, default=list)
    default_needs_note = sa.Column(sa.String(500), nullable=False, default="")
    text_only_contact = sa.Column(sa.Boolean, nullable=False, default=False)
    # How messages reach this person: "sms", "email" or "site" (the inbox on the site only);
    # NULL: automatically (SMS for text-only residents and phone-only accounts, e-mail otherwise).
    message_channel = sa.Column(sa.String(10))
    # Reminders before an event: the day before and/or two hours before.
    remind_day_before = sa.Column(sa.Boolean, nullable=False, default=True, server_default=sa.true())
    remind_two_hours_before = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    emergency_contact_name = sa.Column(sa.String(80), nullable=False, default="")
    emergency_contact_phone = sa.Column(sa.String(20), nullable=False, default="")
    locale = sa.Column(sa.String(10), nullable=False, default="zh_CN")
    # Display preferences (remembered per account when logged in).
    text_size = sa.Column(sa.Integer, nullable=False, default=100)
    theme = sa.Column(sa.String(20), nullable=False, default="default")
    reduced_motion = sa.Column(sa.Boolean, nullable=False, default=False)
    prefers_easy_read = sa.Column(sa.Boolean, nullable=False, default=False)
    is_active_account = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    district = relationship("District")
    role_grants = relationship(
        "RoleGrant", back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="RoleGrant.user_id",
    )

    @property
    def is_active(self):
        return self.is_active_account

    def get_id(self):
        """The bare account id, for Flask-Login's comparisons only: what a session cookie holds is
        ``"<id>.<login session key>"``, written when the login session starts (auth/sessions.py)."""
        return str(self.id)

    @property
    def login_name(self):
        return self.phone or self.email

    @property
    def roles(self):
        return {grant.role for grant in self.role_grants}

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self):
        return ADMIN in self.roles

    def role_district_id(self, role):
        """District of a scoped role: an id, None for city-wide, or False if not held."""
        for grant in self.role_grants:
            if grant.role == role:
                return grant.district_id
        return False

    def __repr__(self):
        return f"<User {self.id} {self.login_name}>"


class RoleGrant(db.Model):
    __tablename__ = "role_grants"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", name="uq_role_grants_user_role"),
        sa.CheckConstraint(
            "role IN ('resident', 'volunteer', 'team_leader', 'organizer', 'admin')", name="known_role"
        ),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role = sa.Column(sa.String(20), nullable=False)
    # For organizers and team leaders: their district; NULL means city-wide.
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"))
    granted_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    granted_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))

    user = relationship("User", back_populates="role_grants", foreign_keys=[user_id])
    district = relationship("District", lazy="joined")


class LoginFailure(db.Model):
    """One failed login, counted per key ("account:<login>" or "address:<ip>").

    Rows live in the database so that every app process on every host sees the
    same counts; old rows are pruned as new ones arrive.
    """

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index("ix_login_failures_key_at", "key", "failed_at"),)

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(300), nullable=False)
    failed_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)


CODE_LOGIN = "login"
CODE_RESET = "reset"
CODE_PURPOSES = (CODE_LOGIN, CODE_RESET)


class LoginCode(db.Model):
    """A 6-digit code sent to a person to log in or to reset a forgotten password (``login_codes``).

    Only a keyed hash of the code is kept, so the table read by someone else lets no one in. A code
    is good for ``LOGIN_CODE_MINUTES``, for ``LOGIN_CODE_MAX_ATTEMPTS`` wrong tries, and once.
    """

    __tablename__ = "login_codes"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('login', 'reset')", name="known_purpose"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_login_codes_user_created", "user_id", "created_at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    purpose = sa.Column(sa.String(10), nullable=False)
    code_hash = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(UTCDateTime, nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    used_at = sa.Column(UTCDateTime)

    user = relationship("User")

class LoginSession(db.Model):
    """One logged-in browser: the key its session (and remember-me) cookie carries, beside the account id.

    Only rows here make a cookie valid, so logging out (the row is deleted) ends that browser's session
    on every app process at once, even for a copy of its cookie; ending every session of an account
    deletes all its rows. Only a SHA-256 digest of the key is stored, like API tokens.
    """

    __tablename__ = "login_sessions"

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    key_digest = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    # After this the cookie is refused even if the browser kept it (a remember-me cookie carries no date).
    expires_at = sa.Column(UTCDateTime, nullable=False, index=True)
