"""activity_hub: public activities of a city federation of persons with disabilities."""
import os
from pathlib import Path

from flask import Flask

from .extensions import babel, cache, csrf, db, login_manager, mail, migrate

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
DOMAINS = ("auth", "events", "volunteers", "calendar", "dashboard", "messages", "privacy", "api")


def create_app(config_name=None, **overrides):
    """Build the application: configuration, extensions, blueprints, CLI and error pages."""
    import config as config_module

    config_name = config_name or os.environ.get("ACTIVITY_HUB_CONFIG", "development")
    if config_name not in config_module.CONFIGS:
        raise RuntimeError(
            f"unknown configuration {config_name!r}: set ACTIVITY_HUB_CONFIG to one of {', '.join(config_module.CONFIGS)}"
        )
    config_class = config_module.CONFIGS[config_name]
    app = Flask(
        __name__,
        instance_path=str(config_module.INSTANCE_DIR),
        static_folder=str(ROOT_DIR / "static"),
    )
    app.config.from_object(config_class)
    app.config["CONFIG_NAME"] = config_name
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = with_psycopg_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    if hasattr(config_class, "check"):
        config_class.check(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    if app.config.get("TRUSTED_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from .request_limits import install_id_converter

    install_id_converter(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_lookup_errors(app)
    _register_cli(app)

    from .web import register_web_helpers
    register_web_helpers(app)
    return app


def with_psycopg_driver(url):
    """``postgres://`` and ``postgresql://`` URLs (as hosting services hand them out) use psycopg 3,
    the driver this project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _init_extensions(app):
    from .database import configure_engine_events
    from .i18n import install_template_gettext, select_locale, translation_directories

    db.init_app(app)
    with app.app_context():
        configure_engine_events(db.engine)
    migrate.init_app(app, db, directory=str(ROOT_DIR / "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    mail.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)  # templates translate with the catalogue Flask-Babel gives each render
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    _import_models()


def _import_models():
    """Import every models module so metadata (and Alembic) sees all tables."""
    import importlib

    importlib.import_module("activity_hub.districts")
    for domain in DOMAINS:
        try:
            importlib.import_module(f"activity_hub.{domain}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"activity_hub.{domain}.models":
                raise


def _register_blueprints(app):
    import importlib

    for domain in DOMAINS:
        try:
            views = importlib.import_module(f"activity_hub.{domain}.blueprint")
        except ModuleNotFoundError as exc:
            if exc.name != f"activity_hub.{domain}.blueprint":
                raise
            views = importlib.import_module(f"activity_hub.{domain}.views")
        app.register_blueprint(views.bp)
        for extra in getattr(views, "EXTRA_BLUEPRINTS", ()):
            app.register_blueprint(extra)
    from .health import bp as health_bp

    app.register_blueprint(health_bp)


def _register_lookup_errors(app):
    """A refused lookup is answered like the matching HTTP error, so each blueprint's own error
    handlers apply: the site's error page for pages, the JSON error body under /api/."""
    from werkzeug.exceptions import default_exceptions

    from .lookup_errors import LookupRefused

    @app.errorhandler(LookupRefused)
    def lookup_refused(error):
        return app.handle_http_exception(default_exceptions[error.status]())


def _register_cli(app):
    from .auth.cli import users_cli
    from .bench_data import seed_scale_command
    from .demo_data import seed_demo_command

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_scale_command)
