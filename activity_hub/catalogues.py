"""Extract each domain's user-visible strings into its own zh_CN catalogue.

``python -m activity_hub.catalogues [core|auth|events|...]`` (or ``make messages``) updates every
``translations/zh_CN/LC_MESSAGES/messages.po``: new strings are added with an
empty translation, strings no longer used are dropped. English is the source
language, so no English catalogue is needed. The test suite fails while any
string lacks its Chinese translation.
"""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import DOMAINS, PACKAGE_DIR

METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
    "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3),
}


def catalogue_sources():
    """(catalogue directory, source directory, directories to skip) for the core and each domain."""
    yield PACKAGE_DIR / "translations", PACKAGE_DIR, set(DOMAINS)
    for domain in DOMAINS:
        yield PACKAGE_DIR / domain / "translations", PACKAGE_DIR / domain, set()


def extract(source_dir, skip):
    """{(context, msgid): [(filename, line), ...]}; context is None except for pgettext strings,
    and msgid is a (singular, plural) tuple for ngettext strings."""
    def callback(filename, method, options):
        return None

    messages = {}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source_dir), METHOD_MAP, keywords=KEYWORDS, callback=callback,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if Path(filename).parts[0] in skip or "translations" in Path(filename).parts:
            continue
        key = (context or None, message if isinstance(message, str) else tuple(message))
        messages.setdefault(key, []).append((filename, lineno))
    return messages


def po_path(catalogue_dir):
    return Path(catalogue_dir) / "zh_CN" / "LC_MESSAGES" / "messages.po"


def load_catalogue(catalogue_dir):
    path = po_path(catalogue_dir)
    if not path.exists():
        return Catalog(locale="zh_CN", domain="messages")
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def update_catalogue(catalogue_dir, source_dir, skip):
    messages = extract(source_dir, skip)
    old = load_catalogue(catalogue_dir)
    new = Catalog(locale="zh_CN", domain="messages", project="activity_hub")
    for (context, message), locations in sorted(messages.items(), key=lambda item: (str(item[0][1]), item[0][0] or "")):
        previous = old.get(message[0] if isinstance(message, tuple) else message, context=context)
        string = previous.string if previous is not None else ("", "") if isinstance(message, tuple) else ""
        new.add(message, string, locations=[(Path(f).as_posix(), line) for f, line in locations], context=context)
    if not messages and not po_path(catalogue_dir).exists():
        return 0, 0
    path = po_path(catalogue_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=120, omit_header=False)
    missing = sum(1 for m in new if m.id and not (m.string if isinstance(m.string, str) else all(m.string)))
    return len(messages), missing


def main(argv=None):
    """Update the named catalogues ("core", "auth", "events", ...), or all of them."""
    import sys

    wanted = set(sys.argv[1:] if argv is None else argv)
    for catalogue_dir, source_dir, skip in catalogue_sources():
        name = "core" if source_dir == PACKAGE_DIR else source_dir.name
        if wanted and name not in wanted:
            continue
        count, missing = update_catalogue(catalogue_dir, source_dir, skip)
        if count:
            print(f"{catalogue_dir.relative_to(PACKAGE_DIR.parent)}: {count} strings, {missing} without a translation")


if __name__ == "__main__":
    main()
