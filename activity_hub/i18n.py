"""Locale selection, the per-domain translation catalogues, and translating many strings at once."""
import locale as _locale
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, has_request_context, request
from flask_babel import get_translations
from flask_login import current_user

from . import DOMAINS, PACKAGE_DIR

# Babel (2.15 and later) parses "zh_CN" as "zh_Hans_CN", and gettext then looks for
# catalogues in zh_Hans_CN/ and zh/ only, so our zh_CN/ catalogues were never found.
# This alias makes gettext also try zh_CN/ for that name.
_locale.locale_alias.setdefault("zh_hans_cn", "zh_CN.UTF-8")

LANGUAGE_COOKIE = "lang"
SUPPORTED = ("zh_CN", "en")
ONE_YEAR = 365 * 24 * 3600


def translation_directories():
    """The shared catalogue plus one per domain folder, joined the way Flask-Babel expects."""
    dirs = [str(PACKAGE_DIR / "translations")]
    for domain in DOMAINS:
        path = PACKAGE_DIR / domain / "translations"
        if path.is_dir():
            dirs.append(str(path))
    return ";".join(dirs)


def normalise_locale(value):
    if not value:
        return None
    value = value.replace("-", "_")
    if value.lower().startswith("en"):
        return "en"
    if value.lower().startswith("zh"):
        return "zh_CN"
    return None


def accept_language_locale():
    """The first supported language of the request's Accept-Language header, or None."""
    for value, _quality in request.accept_languages:
        chosen = normalise_locale(value)
        if chosen:
            return chosen
    return None


def select_locale():
    """An explicit choice (cookie, then account) wins; otherwise Chinese, the site's language."""
    if not has_request_context():  # CLI commands and background work: the site's language
        return "zh_CN"
    if request.path.startswith("/api/"):  # API clients state their language in Accept-Language
        chosen = accept_language_locale()
        if chosen:
            return chosen
    chosen = normalise_locale(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED:
        return current_user.locale
    return "zh_CN"


def html_lang():
    from flask_babel import get_locale

    locale = str(get_locale() or "zh_CN")
    return "en" if locale.startswith("en") else "zh-CN"


def remember_language(response, locale):
    """Keep the visitor's language choice in a cookie for a year (Secure wherever the session cookie is)."""
    response.set_cookie(
        LANGUAGE_COOKIE, locale, max_age=ONE_YEAR, httponly=True,
        samesite=current_app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


# The catalogue pinned by ``one_catalogue`` (None outside it).
_pinned_catalogue = ContextVar("pinned_catalogue", default=None)


@contextmanager
def one_catalogue():
    """Within the block, ``gettext`` and ``ngettext`` below use the Flask-Babel catalogue of the
    locale in force as the block starts, looked up once: Flask-Babel looks it up anew for every
    string, and a resident's message (rendered under ``force_locale``) translates a dozen."""
    token = _pinned_catalogue.set(get_translations())
    try:
        yield
    finally:
        _pinned_catalogue.reset(token)


def gettext(string, **variables):
    """Flask-Babel's ``gettext`` (same catalogue, same %-formatting), through ``one_catalogue``'s."""
    text = (_pinned_catalogue.get() or get_translations()).ugettext(string)
    return text % variables if variables else text


def ngettext(singular, plural, num, **variables):
    """Flask-Babel's ``ngettext``, through ``one_catalogue``'s catalogue."""
    variables.setdefault("num", num)
    return (_pinned_catalogue.get() or get_translations()).ungettext(singular, plural, num) % variables


def install_template_gettext(app):
    """Templates' ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` bound, for each
    render, to the catalogue Flask-Babel gives then (``get_translations()``, so ``force_locale``
    around a render is followed). Flask-Babel's own globals (kept for templates rendered without
    Flask's context) look the catalogue up again for every string (``get_locale`` through several
    context lookups); a page translates 60 to 200 strings, and binding once a render saves about a
    tenth of the CPU of an event page served from the cache (measured with the per-string globals).
    Same behaviour as Jinja's new-style gettext: autoescaping and %-formatting with keywords."""
    app.context_processor(lambda: bound_gettext(get_translations()))


def bound_gettext(translations):
    """Jinja new-style gettext functions calling ``translations`` directly."""
    from jinja2 import pass_context
    from markupsafe import Markup

    def finish(context, text, variables):
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def gettext(__context, __string, **variables):
        return finish(__context, translations.ugettext(__string), variables)

    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        return finish(__context, translations.ungettext(__singular, __plural, __num), variables)

    @pass_context
    def pgettext(__context, __string_ctx, __string, **variables):
        variables.setdefault("context", __string_ctx)
        return finish(__context, translations.upgettext(__string_ctx, __string), variables)

    @pass_context
    def npgettext(__context, __string_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        return finish(__context, translations.unpgettext(__string_ctx, __singular, __plural, __num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext,
            "npgettext": npgettext}
