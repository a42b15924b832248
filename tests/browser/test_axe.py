"""axe-core on every page of the site, for every role that can see it, in Chinese and English.

One module-scoped scan visits every GET route of ``app.url_map`` (arguments
filled from the seeded data) as each role in each language; the tests below
then judge what it saw. A route that renders HTML for nobody fails the coverage
test, so a new page cannot escape the scan.

Every page view is loaded and checked for its title, language and headings. axe
itself is skipped only where its verdict is already known: when the same <main>
and the same surrounding page (navigation, footer) were checked before, or when
an English page has exactly the markup of a checked Chinese page with only the
words changed. test-artifacts/axe-pages.txt lists every view and which it was.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from .browser_helpers import (
    ARTIFACTS, LANGUAGES, ROLES, build_urls, candidate_routes, finish_axe, fingerprints, format_violations,
    heading_problems, page_facts, run_axe, start_axe,
)

pytestmark = pytest.mark.browser

# GET routes that never show a page of their own: they act and redirect (reason given).
REDIRECT_ONLY = {
    "auth.set_language": "stores the language choice and goes back to the page the visitor was on",
}
HIGH_CONTRAST_BIG_TEXT = "200.high_contrast.1.0"


def argument_values(seeded):
    """Route argument name -> the seeded values to visit, the states that matter first."""
    events, registrations, users = seeded.events, seeded.registrations, seeded.users
    values = {
        "event_id": [events[k] for k in ("open", "full", "cancelled", "interpreter", "draft", "today")],
        "registration_id": [registrations[k] for k in ("confirmed", "waitlisted", "cancelled", "checkin")],
        "user_id": [users["resident"], users["organizer"], users["volunteer"]],
        "venue_id": [seeded.venues["main"]],
    }
    values.update(seeded.extra.get("arguments", {}))
    return values


def sandbox_url(app, seeded, endpoint, role):
    """The form's page on fresh rows, so a form that accepts empty input changes nothing else."""
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {name: candidates[0] for name, candidates in argument_values(seeded).items() if name in rule.arguments}
    if "event_id" in rule.arguments and "assignment_id" in rule.arguments:
        values["event_id"] = argument_values(seeded)["assignment_event_id"][0]
    elif "event_id" in rule.arguments:
        values["event_id"] = seeded.new_event(f"表单测试活动 {endpoint}")
    if "registration_id" in rule.arguments:
        owner = role if role in ("resident", "volunteer") else "sandbox"
        values["registration_id"] = seeded.new_registration(owner, seeded.new_event(f"表单测试报名 {endpoint}"))
    if "user_id" in rule.arguments:  # an account the admin may change; a team member for the team pages
        values["user_id"] = seeded.users["sandbox" if endpoint.startswith("auth.") else "volunteer"]
    return app.url_map.bind("127.0.0.1").build(endpoint, values)


# Roles for whom every state of an event or registration is scanned; the other roles see the
# same content in another frame (a volunteer sees a resident's event pages, an admin the organizer's),
# so they visit each route only until one of its URLs shows them a page.
STATE_ROLES = {"anonymous", "resident", "organizer"}
PARALLEL_LANES = 3


@dataclass
class PageResult:
    endpoint: str
    role: str
    language: str
    url: str
    status: int
    facts: dict
    violations: list = field(default_factory=list)
    state: str = ""
    # Set when the same <main> and the same surrounding page were already checked by axe.
    same_as_scanned: bool = False

    @property
    def where(self):
        state = f" [{self.state}]" if self.state else ""
        return f"{self.role}/{self.language} {self.url} ({self.endpoint}, HTTP {self.status}){state}"


@dataclass
class Visit:
    endpoint: str
    url: str
    form_index: int | None = None
    mode: str = ""
    # Stop visiting this endpoint's other URLs once one of them showed a page.
    first_page_only: bool = False


@dataclass
class SiteScan:
    routes: list
    pages: list = field(default_factory=list)
    # endpoint -> [(role, language, url, status, content type)]
    responses: dict = field(default_factory=lambda: defaultdict(list))
    # language -> fingerprints of the <main> parts and of the surrounding pages axe has checked
    checked: dict = field(default_factory=lambda: defaultdict(lambda: (set(), set())))
    # (shape of main, shape of surroundings) of the pages axe checked in the first language
    shapes_checked: set = field(default_factory=set)
    # (role, url) -> (status, content type): what a route answers a role, whatever the language
    answers: dict = field(default_factory=dict)
    unreachable: list = field(default_factory=list)


def scan(page, url, endpoint, role, language, state=""):
    response = page.goto(url)
    return PageResult(endpoint, role, language, url, response.status, page_facts(page), run_axe(page), state)


class Lane:
    """One role in one language: its own browser context, making its visits in turn."""

    def __init__(self, new_context, role, language, visits, site):
        self.role, self.language, self.site = role, language, site
        self.new_context, self.context, self.page = new_context, None, None
        self.visits = iter(visits)
        self.error_pages_seen = set()
        self.endpoints_shown = set()
        self.pending = None

    def start_next(self):
        """Make visits until one shows a page axe has not checked, and start axe there; False when done."""
        if self.context is None:  # opened only when the lane starts, so few renderers live at once
            self.context = self.new_context(self.role, self.language)
            self.page = self.context.new_page()
        for visit in self.visits:
            if visit.first_page_only and visit.endpoint in self.endpoints_shown:
                continue
            result = self._visit_form(visit) if visit.form_index is not None else self._visit_page(visit)
            if result is None:
                continue
            if result.status == 200:
                self.endpoints_shown.add(visit.endpoint)
            self.site.pages.append(result)
            main, surroundings, main_shape, surroundings_shape = fingerprints(self.page)
            mains, pages = self.site.checked[self.language]
            if main in mains and surroundings in pages:
                result.same_as_scanned = True
                continue
            if (main_shape, surroundings_shape) in self.site.shapes_checked:
                # The same markup in the other language, axe-checked already: only the words differ.
                result.same_as_scanned = True
                continue
            mains.add(main)
            pages.add(surroundings)
            if self.language == LANGUAGES[0]:
                self.site.shapes_checked.add((main_shape, surroundings_shape))
            start_axe(self.page)
            self.pending = result
            return True
        return False

    def finish(self):
        if self.pending is not None:
            self.pending.violations = finish_axe(self.page)
            self.pending = None

    def _visit_page(self, visit):
        known = self.site.answers.get((self.role, visit.url))
        if known is None:  # ask without rendering (a download or a redirect shows nothing)
            response = self.context.request.get(visit.url, max_redirects=0)
            known = (response.status, response.headers.get("content-type", ""))
            self.site.answers[(self.role, visit.url)] = known
        status, content_type = known
        self.site.responses[visit.endpoint].append((self.role, self.language, visit.url, status, content_type))
        if not content_type.startswith("text/html"):
            return None
        if status == 200:
            state = ""
        elif status >= 400 and status not in self.error_pages_seen:
            # Error pages are pages too: each kind once per role and language.
            self.error_pages_seen.add(status)
            state = "error page"
        else:
            return None
        shown = self.page.goto(visit.url)
        return PageResult(visit.endpoint, self.role, self.language, visit.url, shown.status,
                          page_facts(self.page), state=state)

    def _visit_form(self, visit):
        response = self.page.goto(visit.url)
        if response.status != 200 or self.page.locator("main form").count() <= visit.form_index:
            self.site.unreachable.append(f"{self.role}/{self.language} {visit.url} ({visit.endpoint}): "
                                         f"HTTP {response.status}, form {visit.form_index}")
            return None
        with self.page.expect_navigation() as navigation:
            self.page.evaluate(CLEAR_FORM_JS, [visit.form_index, visit.mode])
        return PageResult(visit.endpoint, self.role, self.language, visit.url, navigation.value.status,
                          page_facts(self.page), state=f"form {visit.form_index} submitted {visit.mode}")


def run_lanes(lanes):
    """Run the lanes a few at a time: start axe in each, then collect each result."""
    waiting, active = list(lanes), []
    while active or waiting:
        while len(active) < PARALLEL_LANES and waiting:
            active.append(waiting.pop(0))
        for lane in list(active):
            if not lane.start_next():
                active.remove(lane)
                lane.context.close()  # frees its renderer for the next lane
        for lane in active:
            lane.finish()


def write_report(site, name):
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{'checked' if not p.same_as_scanned else 'same as a checked page'}\t{len(p.violations)}\t{p.where}\t"
             f"{p.facts['title']}" for p in site.pages]
    (ARTIFACTS / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site_scan(app, seeded, new_context):
    """Visit every route as every role in both languages."""
    routes = build_urls(app, candidate_routes(app), argument_values(seeded))
    site = SiteScan(routes)
    visits = {}
    for role in ROLES:
        visits[role] = [Visit(route.endpoint, url, first_page_only=role not in STATE_ROLES)
                        for route in routes if route.endpoint not in REDIRECT_ONLY for url in route.urls]
        visits[role].append(Visit("404", "/no-such-page"))
    # Chinese first: the English pages whose markup matches a checked Chinese page need no second axe run.
    run_lanes([Lane(new_context, role, language, visits[role], site) for language in LANGUAGES for role in ROLES])
    write_report(site, "axe-pages.txt")
    return site


def test_axe_finds_a_planted_violation(new_context):
    """The scanner itself works: an image without a text alternative is reported."""
    context = new_context("anonymous")
    page = context.new_page()
    page.goto("/login")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x.png>')")
    start_axe(page)
    assert "image-alt" in {violation[0] for violation in finish_axe(page)}
    context.close()


def _failures(pages, check):
    failures = []
    for result in pages:
        problem = check(result)
        if problem:
            failures.append(f"{result.where}\n{problem}")
    return failures


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_axe_violations(site_scan, role, language):
    pages = [p for p in site_scan.pages if p.role == role and p.language == language]
    assert pages, f"no page was scanned as {role} in {language}"
    failures = _failures(pages, lambda p: format_violations(p.violations))
    assert not failures, f"axe found violations on {len(failures)} of {len(pages)} pages:\n" + "\n".join(failures)


def test_every_html_route_is_scanned(site_scan):
    """Each GET route is a scanned page for some role, a non-HTML resource, or a listed redirect."""
    uncovered = []
    for route in site_scan.routes:
        if route.missing:
            uncovered.append(f"{route.endpoint} {route.rule}: no seeded value for {', '.join(route.missing)} "
                             "(add one to argument_values in tests/browser/test_axe.py)")
            continue
        seen = site_scan.responses[route.endpoint]
        html = [s for s in seen if s[3] == 200 and s[4].startswith("text/html")]
        other = [s for s in seen if s[3] == 200 and not s[4].startswith("text/html")]
        if html or other or route.endpoint in REDIRECT_ONLY:
            continue
        statuses = sorted({(s[0], s[3]) for s in seen})
        uncovered.append(f"{route.endpoint} {route.rule}: no role got a page; responses {statuses}")
    assert not uncovered, "routes not covered by the accessibility scan:\n" + "\n".join(uncovered)


def test_scan_counts_are_reported(site_scan, record_property):
    pages = [p for p in site_scan.pages if p.status == 200]
    distinct = {p.url for p in pages}
    checked = [p for p in site_scan.pages if not p.same_as_scanned]
    record_property("page_views", len(site_scan.pages))
    print(f"\n{len(site_scan.pages)} page views ({len(distinct)} distinct URLs, {len({p.endpoint for p in pages})} "
          f"endpoints) for {len(ROLES)} roles in {len(LANGUAGES)} languages; axe ran on {len(checked)}, the others "
          "repeat a <main> and a surrounding page already checked")
    assert len(distinct) >= 3


def test_every_page_has_one_h1_and_headings_in_order(site_scan):
    failures = _failures(site_scan.pages, lambda p: "; ".join(heading_problems(p.facts)))
    assert not failures, "heading problems:\n" + "\n".join(failures)


def test_pages_declare_their_language(site_scan):
    expected = {"zh_CN": "zh-CN", "en": "en"}
    failures = _failures(site_scan.pages, lambda p: "" if p.facts["lang"] == expected[p.language]
                         else f"<html lang={p.facts['lang']!r}>")
    assert not failures, "\n".join(failures)


def test_tables_have_header_cells(site_scan):
    failures = _failures(site_scan.pages, lambda p: "; ".join(
        f"table {t['id']!r}: " + ("no <th>" if not t["th"] else f"{t['unscoped']} <th> without scope outside <thead>")
        for t in p.facts["tables"] if not t["th"] or t["unscoped"]))
    assert not failures, "\n".join(failures)


def test_personal_fields_state_their_autocomplete(site_scan):
    """Name, phone, e-mail and password fields carry autocomplete (a purpose, or "off" for someone else's)."""
    failures = _failures(site_scan.pages, lambda p: ", ".join(p.facts["personalFields"]))
    assert not failures, "fields without autocomplete:\n" + "\n".join(failures)


def test_graphics_have_text_alternatives_and_paste_is_allowed(site_scan):
    failures = _failures(site_scan.pages, lambda p: "; ".join(
        [f"graphic without a text alternative: {g}" for g in p.facts["unnamedGraphics"]]
        + ([f"{p.facts['pasteBlocked']} elements handle paste/copy/cut"] if p.facts["pasteBlocked"] else [])))
    assert not failures, "\n".join(failures)


def test_titles_are_unique_per_page(site_scan):
    """Two different pages never share a <title> (error pages aside, which describe the error)."""
    by_title = defaultdict(set)
    for result in site_scan.pages:
        if result.status == 200:
            by_title[(result.language, result.facts["title"])].add(result.url)
    shared = {key: urls for key, urls in by_title.items() if len(urls) > 1}
    assert not shared, "titles shared by different pages:\n" + "\n".join(
        f"  {language} {title!r}: {sorted(urls)}" for (language, title), urls in sorted(shared.items())
    )


# --------------------------------------------------------------------------- forms in their error state

CLEAR_FORM_JS = """([index, mode]) => {
  const form = document.querySelectorAll('main form')[index];
  const long = 'x'.repeat(2001);
  for (const el of form.elements) {
    const type = (el.getAttribute('type') || el.tagName).toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'file', 'fieldset'].includes(type)) continue;
    if (type === 'checkbox' || type === 'radio') { el.checked = false; continue; }
    if (el.tagName === 'SELECT') { el.selectedIndex = mode === 'empty' ? 0 : el.options.length - 1; continue; }
    if (mode === 'empty') { el.value = ''; continue; }
    el.value = {email: 'not-an-email', tel: '12345', number: '-1', date: '', time: '',
                'datetime-local': '', url: 'not a url'}[type] ?? long;
  }
  form.noValidate = true;
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  form.requestSubmit(button || undefined);
}"""


def forms_to_try(site_scan):
    """{role: [(endpoint, form index)]}: each POST form with typed fields, once per endpoint."""
    chosen = {}
    for result in sorted(site_scan.pages, key=lambda p: ROLES.index(p.role)):
        if result.status == 200 and result.language == LANGUAGES[0]:
            for form in result.facts["forms"]:
                chosen.setdefault((result.endpoint, form["index"]), result.role)
    by_role = defaultdict(list)
    for (endpoint, index), role in sorted(chosen.items()):
        by_role[role].append((endpoint, index))
    return by_role


@pytest.fixture(scope="module")
def form_scan(app, seeded, site_scan, new_context):
    """Every form submitted empty, then with invalid values, on the sandbox rows."""
    site = SiteScan([])
    forms = forms_to_try(site_scan)
    run_lanes([
        Lane(new_context, role, language, [Visit(endpoint, sandbox_url(app, seeded, endpoint, role), index, mode)
                                           for endpoint, index in forms[role] for mode in ("empty", "invalid")], site)
        for language in LANGUAGES for role in forms
    ])
    write_report(site, "axe-forms.txt")
    return site.pages, site.unreachable


def test_forms_in_their_error_state_have_no_axe_violations(form_scan):
    pages, unreachable = form_scan
    assert not unreachable, "form pages not reachable with the sandbox data:\n" + "\n".join(unreachable)
    failures = _failures(pages, lambda p: format_violations(p.violations))
    assert not failures, f"axe found violations on {len(failures)} of {len(pages)} form states:\n" + "\n".join(failures)


def test_forms_in_their_error_state_say_so(form_scan):
    """A refused form answers 400 with an error summary and "Error:" first in the title."""
    pages, _ = form_scan
    failures = []
    for result in pages:
        if result.status != 400:
            continue
        title = result.facts["title"]
        if not result.facts["errorSummary"]:
            failures.append(f"{result.where}: no error summary")
        if not (title.startswith("Error:") or title.startswith("错误")):
            failures.append(f"{result.where}: title {title!r} does not start with 'Error:'")
        failures.extend(f"{result.where}: {problem}" for problem in heading_problems(result.facts))
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- high contrast, large text

HIGH_CONTRAST_ENDPOINTS = ("events.catalogue", "events.event_detail", "events.register", "events.registration_result",
                           "events.my_registrations", "auth.login", "auth.profile", "display.preferences",
                           "organize.events", "organize.roster", "volunteers.my_assignments", "dashboard.public")


@pytest.mark.parametrize("language", LANGUAGES)
def test_high_contrast_theme_has_no_axe_violations(site_scan, new_context, language):
    """Contrast must hold in every theme: scan a few main pages again in high contrast at 200 % text."""
    wanted = {}
    for result in site_scan.pages:
        if result.status == 200 and result.endpoint in HIGH_CONTRAST_ENDPOINTS and result.language == language:
            wanted.setdefault(result.endpoint, result)
    assert wanted, "none of the high-contrast pages exist yet"
    failures, contexts = [], {}
    for result in wanted.values():
        if result.role not in contexts:
            contexts[result.role] = new_context(result.role, language, display=HIGH_CONTRAST_BIG_TEXT).new_page()
        page = contexts[result.role]
        checked = scan(page, result.url, result.endpoint, result.role, language, "high contrast, 200 % text")
        assert "theme-high_contrast" in page.evaluate("document.documentElement.className")
        if checked.violations:
            failures.append(f"{checked.where}\n{format_violations(checked.violations)}")
    for page in contexts.values():
        page.context.close()
    assert not failures, "\n".join(failures)
