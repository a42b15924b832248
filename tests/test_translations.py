"""Every user-visible string has its Chinese translation, and pages come out in the chosen language."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from activity_hub.catalogues import catalogue_sources, extract, load_catalogue, po_path, update_catalogue
from tests.conftest import login

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
    for (context, message_id), locations in extracted.items():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        entry = catalogue.get(key, context=context)
        if entry is None or not all(_translations(entry)):
            for filename, line in locations:
                missing.setdefault(filename, []).append(f"  line {line}: {key!r}" + (f" (context {context!r})" if context else ""))
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


def _filled(message):
    translations = _translations(message)
    return tuple(translations) if all(translations) else None


def test_no_string_has_two_different_translations():
    """Flask-Babel merges every catalogue into one table, so a msgid (in its context) translated one way
    in one domain and another way elsewhere shows the other domain's Chinese on some pages. Same
    meaning: one translation; different meaning: a different msgid or a pgettext context."""
    seen = {}
    for catalogue_dir, source_dir, _skip in CATALOGUES:
        if not po_path(catalogue_dir).exists():
            continue
        for message in load_catalogue(catalogue_dir):
            filled = message.id and _filled(message)
            if filled:
                key = (message.context, message.id if isinstance(message.id, str) else tuple(message.id))
                seen.setdefault(key, {}).setdefault(filled, []).append(catalogue_name(source_dir))
    clashes = [
        f"{'[' + context + '] ' if context else ''}{message_id!r}: "
        + "; ".join(f"{' / '.join(text)} ({', '.join(names)})" for text, names in sorted(versions.items()))
        for (context, message_id), versions in sorted(seen.items(), key=lambda item: str(item[0]))
        if len(versions) > 1
    ]
    assert not clashes, (
        f"{len(clashes)} strings are translated differently in different catalogues "
        "(only one of them reaches every page):\n" + "\n".join(clashes)
    )


def test_pgettext_strings_keep_their_context_through_extraction_and_update(tmp_path):
    """The same English word in two contexts is two catalogue entries, and an update keeps each translation."""
    source = tmp_path / "source"
    (source / "templates" / "demo").mkdir(parents=True)
    (source / "forms.py").write_text(
        'from flask_babel import lazy_pgettext, gettext as _\n'
        'LABEL = lazy_pgettext("volunteer assignment", "Role")\nPLAIN = _("Role")\n')
    (source / "templates" / "demo" / "page.html").write_text(
        '{{ pgettext("volunteer assignment", "Role") }} {{ npgettext("team", "%(num)d member", "%(num)d members", n) }}\n')
    extracted = extract(source, set())
    assert set(extracted) == {("volunteer assignment", "Role"), (None, "Role"),
                              ("team", ("%(num)d member", "%(num)d members"))}
    assert len(extracted[("volunteer assignment", "Role")]) == 2

    catalogues = tmp_path / "translations"
    assert update_catalogue(catalogues, source, set()) == (3, 3)
    catalogue = load_catalogue(catalogues)
    catalogue.get("Role", context="volunteer assignment").string = "岗位"
    catalogue.get("Role").string = "角色"
    with po_path(catalogues).open("wb") as handle:
        write_po(handle, catalogue)
    assert update_catalogue(catalogues, source, set()) == (3, 1)
    catalogue = load_catalogue(catalogues)
    assert catalogue.get("Role", context="volunteer assignment").string == "岗位"
    assert catalogue.get("Role").string == "角色"


def test_a_word_with_a_context_shows_its_own_translation(client, make_user):
    """“Role” is 角色 on the admin pages and 岗位 (a volunteer's post) on the volunteer pages."""
    from activity_hub import PACKAGE_DIR

    admin = make_user(roles=("admin",))
    volunteer = make_user(roles=("volunteer",))
    login(client, admin)
    html = client.get(f"/admin/users/{volunteer}").get_data(as_text=True)
    auth = load_catalogue(PACKAGE_DIR / "auth" / "translations")
    assert f'<th scope="col">{auth.get("Role").string}</th>' in html
    assert f'<th scope="col">{auth.get("Where", context="the districts a role covers").string}</th>' in html

    from flask import render_template_string
    from flask_babel import gettext, pgettext

    volunteers = load_catalogue(PACKAGE_DIR / "volunteers" / "translations")
    with client.application.test_request_context("/"):
        assert pgettext("volunteer assignment", "Role") == volunteers.get("Role", context="volunteer assignment").string
        assert gettext("Role") == auth.get("Role").string != pgettext("volunteer assignment", "Role")
        assert render_template_string('{{ pgettext("volunteer assignment", "Role") }}') == pgettext("volunteer assignment", "Role")
