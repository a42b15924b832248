"""Every user-visible string has its Chinese translation, and pages come out in the chosen language."""
import re
from pathlib import Path

import pytest

from activity_hub.catalogues import catalogue_sources, extract, load_catalogue, po_path

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CATALOGUES = list(catalogue_sources())


def catalogue_name(source_dir):
    return source_dir.name if (source_dir / "__init__.py").exists() and source_dir.name != "activity_hub" else "core"


def _translations(message):
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


@pytest.mark.parametrize("catalogue_dir, source_dir, skip", CATALOGUES,
                         ids=[catalogue_name(source) for _c, source, _s in CATALOGUES])
def test_every_string_has_a_chinese_translation(catalogue_dir, source_dir, skip):
    extracted = extract(source_dir, skip)
    if not extracted:
        return
    catalogue = load_catalogue(catalogue_dir)
    missing = {}
    for message_id, locations in extracted.items():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        entry = catalogue.get(key)
        if entry is None or not all(_translations(entry)):
            for filename, line in locations:
                missing.setdefault(filename, []).append(f"  line {line}: {key!r}")
    assert not missing, (
        f"{po_path(catalogue_dir)} lacks Chinese for these strings "
        f"(run `.venv/bin/python -m activity_hub.catalogues {catalogue_name(source_dir)}` and fill every msgstr):\n"
        + "\n".join(f"{filename}:\n" + "\n".join(lines) for filename, lines in sorted(missing.items()))
    )


@pytest.mark.parametrize("catalogue_dir, source_dir, skip", CATALOGUES,
                         ids=[catalogue_name(source) for _c, source, _s in CATALOGUES])
def test_translations_keep_every_placeholder(catalogue_dir, source_dir, skip):
    """A translation with an unknown %(name)s, or a lone %, breaks the page at run time; one that
    drops a placeholder loses information."""
    if not po_path(catalogue_dir).exists():
        return
    wrong = []
    for message in load_catalogue(catalogue_dir):
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        known = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        needed = set(PLACEHOLDER.findall(ids[-1]))  # the plural form, used for every number in Chinese
        for translation in _translations(message):
            if not translation:
                continue
            used = set(PLACEHOLDER.findall(translation))
            if used - known:
                wrong.append(f"{ids[0]!r}: {translation!r} uses {sorted(used - known)}, which the code does not pass")
            if needed - used:
                wrong.append(f"{ids[0]!r}: {translation!r} drops {sorted(needed - used)}")
            if known and "%" in PLACEHOLDER.sub("", translation).replace("%%", ""):
                wrong.append(f"{ids[0]!r}: {translation!r} has a lone % (write %% for a percent sign)")
    assert not wrong, f"{po_path(catalogue_dir)}:\n" + "\n".join(wrong)


def test_compiled_catalogues_are_up_to_date():
    stale = []
    for catalogue_dir, _source, _skip in CATALOGUES:
        po = po_path(catalogue_dir)
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            stale.append(str(po))
    assert not stale, "run `make translations` to compile: " + ", ".join(stale)


def _translation_of(text, domain_dir):
    catalogue = load_catalogue(domain_dir)
    return catalogue.get(text).string


def test_default_language_renders_chinese(client):
    from activity_hub import PACKAGE_DIR

    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html
    for text, catalogue in (("Log in", PACKAGE_DIR / "auth" / "translations"),
                            ("Skip to main content", PACKAGE_DIR / "translations"),
                            ("Need help?", PACKAGE_DIR / "translations")):
        chinese = _translation_of(text, catalogue)
        assert chinese and chinese in html, text
    assert "Skip to main content" not in html


def test_english_when_chosen(client):
    client.get("/language?lang=en&next=/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Skip to main content" in html and "Log in" in html
    assert not re.search(r"[\u4e00-\u9fff]", html.split("</header>", 1)[1].split("<footer", 1)[0]
                         .replace("中文", "")), "Chinese text on an English page"


def test_language_of_the_page_matches_every_form_message(client):
    """Validation messages (lazy strings in the forms) follow the page's language too."""
    zh = client.post("/signup", data={"login": "", "display_name": "", "password": "", "confirm": ""})
    assert "Enter your name" not in zh.get_data(as_text=True)
    client.get("/language?lang=en&next=/signup")
    en = client.post("/signup", data={"login": "", "display_name": "", "password": "", "confirm": ""})
    assert "Enter your name" in en.get_data(as_text=True)


def test_catalogue_files_are_where_babel_looks(app):
    directories = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    for catalogue_dir, _source, _skip in CATALOGUES:
        if po_path(catalogue_dir).exists():
            assert str(Path(catalogue_dir)) in directories
