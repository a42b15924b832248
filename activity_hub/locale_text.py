"""Picking the zh or en text of a bilingual pair for the current locale."""
from flask import has_request_context
from flask_babel import get_locale


def current_language():
    """'zh' or 'en' for the active locale (outside a request: 'zh', the site default)."""
    locale = get_locale() if has_request_context() else None
    if locale is None:
        from flask_babel import get_babel
        try:
            locale = get_babel().instance.default_locale
        except Exception:
            return "zh"
    return "en" if str(locale).startswith("en") else "zh"


def pick(zh, en):
    return en if current_language() == "en" else zh
