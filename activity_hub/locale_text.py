"""Picking the zh or en text of a bilingual pair for the current locale."""
from flask import has_app_context
from flask_babel import get_locale


def current_language():
    """'zh' or 'en' for the active locale: the request's, or the one a message is rendered in
    (``force_locale``, also in background work outside any request); 'zh', the site default, otherwise."""
    locale = get_locale() if has_app_context() else None
    if locale is None:
        from flask_babel import get_babel
        try:
            locale = get_babel().instance.default_locale
        except Exception:
            return "zh"
    return "en" if str(locale).startswith("en") else "zh"


def pick(zh, en):
    return en if current_language() == "en" else zh
