"""Configuration classes, read from the environment.

Pick one with ``ACTIVITY_HUB_CONFIG`` (development, testing, production) or pass
the name to ``create_app``.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

INSECURE_SECRET_KEYS = {"", "dev", "change-me", "secret", "changeme"}
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY_FILE = "secret_key"


def check_secret_key(app):
    """Refuse to start with a missing, well-known or short SECRET_KEY: whoever knows it can forge
    any session cookie, so no key may be public or guessable."""
    key = app.config.get("SECRET_KEY") or ""
    if key in INSECURE_SECRET_KEYS or len(key) < SECRET_KEY_MIN_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be set to a random value of at least {SECRET_KEY_MIN_LENGTH} characters "
            f"(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )


def instance_secret_key(instance_path):
    """Development's own random key, made on first start and kept in ``instance/secret_key`` (mode 0600)
    so sessions survive restarts and ``make run`` needs no setup. Two processes starting together
    (the reloader) agree: the file appears whole, by a hard link, or not at all."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        temporary = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _sms_templates(environ=os.environ):
    """{message kind: SMS template code} from the SMS_TEMPLATE_<KIND> variables (README "Messages and background work");
    SMS_TEMPLATE_DEFAULT is the fallback and kept apart (``SMS_TEMPLATE_DEFAULT``)."""
    prefix = "SMS_TEMPLATE_"
    return {
        name[len(prefix):].lower(): code.strip()
        for name, code in environ.items()
        if name.startswith(prefix) and name != prefix + "DEFAULT" and code.strip()
    }


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # No default: development makes its own (``instance_secret_key``), every other configuration
    # but testing refuses to start without a strong one (``check_secret_key``).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'activity_hub.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Redis is optional: when set, login rate-limit counters live there instead of the database.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Prefix of every Redis key, so one Redis server can serve several sites.
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "activity_hub:")
    # Flask-Caching: Redis when REDIS_URL is set (one cache for every process and host), otherwise each
    # worker keeps its own in memory. What is cached, and for how long, is said where it is cached.
    # With Redis down the cache falls back to each worker's memory and logs a warning
    # (activity_hub/cache_backend.py); the timeouts bound what a Redis that does not answer costs.
    CACHE_TYPE = "activity_hub.cache_backend.RedisCacheWithFallback" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    # How long to wait for Redis (cache and login counters) before going on without it.
    REDIS_SOCKET_TIMEOUT_SECONDS = float(os.environ.get("REDIS_SOCKET_TIMEOUT_SECONDS", 0.5))
    CACHE_KEY_PREFIX = REDIS_KEY_PREFIX + "cache:"
    CACHE_DEFAULT_TIMEOUT = 300
    # Entries each worker keeps when there is no Redis (catalogue pages and event pages share them).
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", 2000))
    # How long the catalogue's rendered results may be reused (events/catalogue_page.py); 0: never.
    CATALOGUE_CACHE_SECONDS = int(os.environ.get("CATALOGUE_CACHE_SECONDS", 10))
    # How long an event page's parts that depend only on the event may be reused (events/event_page.py).
    # Edits of the event, its provisions or its venue show at once (version key); this bounds the rest. 0: never.
    EVENT_PAGE_CACHE_SECONDS = int(os.environ.get("EVENT_PAGE_CACHE_SECONDS", 300))
    # How long each worker answers a calendar feed's 304 from the version it last read (calendar/version_cache.py).
    CALENDAR_VERSION_TTL_SECONDS = float(os.environ.get("CALENDAR_VERSION_TTL_SECONDS", 5))
    # How long the dashboard's attendance counts may be reused (dashboard/attendance.py); 0: never.
    DASHBOARD_FIGURES_TTL = int(os.environ.get("DASHBOARD_FIGURES_TTL", 60))
    # Number of reverse proxies (load balancer, nginx) in front of the app. Their
    # X-Forwarded-For / -Proto headers are trusted only when this is set; without it
    # every visitor behind a proxy shares the proxy's address and its login limit.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
    # Strict-Transport-Security (HSTS): production only, where the site is served over HTTPS.
    HSTS_ENABLED = False

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # No time limit on forms: CSRF tokens live as long as the session.
    WTF_CSRF_TIME_LIMIT = None

    # Days a new API token works before it expires (its owner makes a new one).
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", 90))

    # Argon2id costs; None means argon2-cffi's defaults (RFC 9106 low-memory profile).
    PASSWORD_HASH_PARAMETERS = None

    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20))
    LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", 900))

    # Host used in iCalendar UIDs and absolute links.
    CALENDAR_HOST = os.environ.get("CALENDAR_HOST", "activity-hub.local")
    HELP_PHONE = os.environ.get("HELP_PHONE", "027-12345678")
    HELP_EMAIL = os.environ.get("HELP_EMAIL", "help@activity-hub.local")
    # Days after an event ends that its needs are kept (the privacy notice states it).
    RETENTION_NEEDS_DAYS = int(os.environ.get("RETENTION_NEEDS_DAYS", 90))

    # The site's public address, for links in e-mail (e.g. https://activity-hub.example).
    SITE_URL = (os.environ.get("SITE_URL") or "").rstrip("/") or None
    # E-mail over SMTP (messages/channels/email.py, Flask-Mailman). MAIL_USE_TLS is STARTTLS on
    # port 587, MAIL_USE_SSL is TLS from the first byte on port 465; never both.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "noreply@activity-hub.local")
    # Seconds to wait for the mail server before the message is retried later.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", 30))
    # SMS through Alibaba Cloud SMS (messages/channels/sms.py). SMS_ENDPOINT may carry a scheme
    # (http://127.0.0.1:8080 for a local stub); without one it is reached over HTTPS.
    SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID") or None
    SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET") or None
    SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME") or None
    SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
    SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", 10))
    # The approved template of each message kind (SMS_TEMPLATE_REGISTRATION_CONFIRMED=SMS_123...),
    # and the one used for a kind that has none of its own.
    SMS_TEMPLATES = _sms_templates()
    SMS_TEMPLATE_DEFAULT = os.environ.get("SMS_TEMPLATE_DEFAULT") or None
    # Background work (README "Messages and background work"); required in production. The Celery broker, e.g. redis://127.0.0.1:6379/1.
    # Without one (``make run``) the relay runs in the web process right after each commit.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or None
    # How a commit that queued messages asks for their delivery: "celery" (send the relay task),
    # "in_process" (run the relay here, after the response) or "off" (wait for the sweep / a test).
    # Unset: "celery" with a broker, "in_process" without (messages/dispatch.py).
    MESSAGE_DELIVERY = os.environ.get("MESSAGE_DELIVERY") or None
    # {channel: module that delivers it} (messages/channels/__init__.py); "site" needs none. Each can
    # be pointed elsewhere with MESSAGE_BACKEND_EMAIL / MESSAGE_BACKEND_SMS. Development: the console.
    MESSAGE_BACKENDS = {
        "email": os.environ.get("MESSAGE_BACKEND_EMAIL", "activity_hub.messages.channels.console"),
        "sms": os.environ.get("MESSAGE_BACKEND_SMS", "activity_hub.messages.channels.console"),
    }
    # How long a relay owns the messages it claimed; a worker killed mid-send leaves them to be
    # claimed again after this. Longer than the slowest send (a batch gives back what it has not
    # sent after half of it).
    MESSAGE_LEASE_SECONDS = int(os.environ.get("MESSAGE_LEASE_SECONDS", 120))
    # Attempts before a message ends "failed" (a dead letter staff can see and queue again).
    MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", 8))
    # Backoff after a temporary failure: about base x 2^(attempts-1) seconds, with jitter, capped.
    MESSAGE_RETRY_BASE_SECONDS = int(os.environ.get("MESSAGE_RETRY_BASE_SECONDS", 30))
    MESSAGE_RETRY_MAX_SECONDS = int(os.environ.get("MESSAGE_RETRY_MAX_SECONDS", 3600))
    # Messages a relay claims at a time, and how long one relay task keeps claiming batches.
    MESSAGE_RELAY_BATCH_SIZE = int(os.environ.get("MESSAGE_RELAY_BATCH_SIZE", 100))
    MESSAGE_RELAY_BUDGET_SECONDS = float(os.environ.get("MESSAGE_RELAY_BUDGET_SECONDS", 50))
    # Beat's sweep of the outbox (the safety net behind the nudges), in seconds.
    MESSAGE_RELAY_SWEEP_SECONDS = float(os.environ.get("MESSAGE_RELAY_SWEEP_SECONDS", 60))
    # How often beat queues the reminders that are due and completes events past their end.
    REMINDERS_EVERY_SECONDS = float(os.environ.get("REMINDERS_EVERY_SECONDS", 600))
    COMPLETION_EVERY_SECONDS = float(os.environ.get("COMPLETION_EVERY_SECONDS", 600))


class DevelopmentConfig(Config):
    DEBUG = True

    @classmethod
    def check(cls, app):
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
        check_secret_key(app)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    REDIS_URL = os.environ.get("TEST_REDIS_URL") or None
    # Tests see every change at once; tests of a cache switch it on for their own app.
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True
    CALENDAR_VERSION_TTL_SECONDS = 0
    # Cheap password hashing: the same code path, a fraction of the time.
    PASSWORD_HASH_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    # Tests deliver messages by calling the relay; a test of the nudge switches it on.
    MESSAGE_DELIVERY = os.environ.get("MESSAGE_DELIVERY") or "off"


class ProductionConfig(Config):
    # Strict-Transport-Security on every answer (activity_hub/security_headers.py): browsers then
    # never try plain HTTP for this host again. Production is served over HTTPS only.
    HSTS_ENABLED = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    MESSAGE_BACKENDS = {
        "email": os.environ.get("MESSAGE_BACKEND_EMAIL", "activity_hub.messages.channels.email"),
        "sms": os.environ.get("MESSAGE_BACKEND_SMS", "activity_hub.messages.channels.sms"),
    }

    @classmethod
    def check(cls, app):
        check_secret_key(app)
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not _bool("ALLOW_SQLITE_IN_PRODUCTION"):
            raise RuntimeError("production needs DATABASE_URL pointing at PostgreSQL")
        from activity_hub.messages.delivery_settings import delivery_setting_problems

        problems = delivery_setting_problems(app.config)
        if problems:
            raise RuntimeError("production cannot deliver messages: " + "; ".join(problems))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
