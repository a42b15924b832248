"""Extension objects, created unbound and initialised in ``create_app``."""
from flask_babel import Babel
from flask_caching import Cache
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rendered fragments and computed figures with a time-to-live: Redis when REDIS_URL is set (shared by
# every process and host), else each worker's own memory. See config.Config.CACHE_*.
cache = Cache()
# E-mail over SMTP (messages/channels/email.py); settings MAIL_* in config.py.
mail = Mail()
