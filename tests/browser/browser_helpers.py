"""What the browser tests share: running axe, reading a page's facts, the site's HTML routes."""
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROLES = ("anonymous", "resident", "volunteer", "team_leader", "organizer", "admin")
LANGUAGES = ("zh_CN", "en")
PASSWORD = "correct horse 1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()

# Facts every page is checked for besides axe: title, language, h1 count, heading levels in order,
# and the POST forms in <main> that have a field a person types into or chooses from.
PAGE_FACTS_JS = """() => {
  const shown = (el) => el.getClientRects().length > 0;
  const typed = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])'
              + ':not([type=button]):not([type=file]), textarea, select';
  const forms = [...document.querySelectorAll('main form')].map((form, index) => ({
      index, method: (form.getAttribute('method') || 'get').toLowerCase(),
      action: form.getAttribute('action') || '',
      typed: form.querySelectorAll(typed).length,
  })).filter((f) => f.method === 'post' && f.typed > 0);
  return {
    title: document.title,
    lang: document.documentElement.lang,
    h1: [...document.querySelectorAll('h1')].filter(shown).length,
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(shown)
                 .map((h) => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
    forms,
    errorSummary: !!document.querySelector('[data-error-summary], .error-summary'),
    // Data tables: header cells, each with a scope or in a <thead>.
    tables: [...document.querySelectorAll('table')].filter((t) => t.getAttribute('role') !== 'presentation')
      .map((t) => {
        const th = [...t.querySelectorAll('th')];
        return {id: t.id || t.className || 'table', th: th.length,
                unscoped: th.filter((c) => !c.hasAttribute('scope') && !c.closest('thead')).length};
      }),
    // Fields about the person filling them in should say what they hold (autocomplete), or opt out.
    personalFields: [...document.querySelectorAll('input, select')]
      .filter((el) => el.type === 'email' || el.type === 'tel' || el.type === 'password'
                      || ['login', 'display_name', 'phone', 'email', 'mobile'].includes(el.name))
      .filter((el) => !['hidden', 'checkbox', 'radio', 'search'].includes(el.type))
      .filter((el) => !el.hasAttribute('autocomplete')).map((el) => el.name || el.id),
    // Graphics that are not hidden from assistive technology need a text alternative.
    unnamedGraphics: [...document.querySelectorAll('svg, canvas')]
      .filter((el) => !el.closest('[aria-hidden=true]') && el.getAttribute('role') !== 'presentation')
      .filter((el) => !(el.getAttribute('role') === 'img' && (el.getAttribute('aria-label')
              || el.getAttribute('aria-labelledby') || el.querySelector(':scope > title'))))
      .map((el) => el.outerHTML.slice(0, 80)),
    pasteBlocked: document.querySelectorAll('[onpaste], [oncopy], [oncut]').length,
  };
}"""


def _violations(response):
    return [
        (v["id"], v["impact"], v["help"], [(" ".join(map(str, n["target"])), n["html"][:200]) for n in v["nodes"]])
        for v in response["violations"]
    ]


def run_axe(page):
    """axe's violations on the page, as (rule id, impact, help, [(target, html), ...])."""
    return _violations(_axe.run(page, options=AXE_OPTIONS).response)


def start_axe(page):
    """Start axe on the page and return at once; ``finish_axe`` waits for its result.

    Pages of different browser contexts run in different renderer processes, so
    starting axe on several before collecting any lets them work in parallel.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe.axe_script)
    page.evaluate("(options) => { window.__axeRun = axe.run(document, options); }", AXE_OPTIONS)


def finish_axe(page):
    return _violations(page.evaluate("() => window.__axeRun"))


# What axe's verdict depends on, split in two: <main>, and the page around it (header, navigation,
# footer). Hidden values (CSRF tokens, next= paths) and query strings are left out. Each part also
# has a "shape": the same markup with its words taken out (text, and the text of aria-label, alt,
# title, placeholder and value), which is what stays the same from one language to the other.
FINGERPRINT_JS = """() => {
  const clean = (root) => {
    root.querySelectorAll('input[type=hidden]').forEach((el) => el.removeAttribute('value'));
    root.querySelectorAll('[href]').forEach((el) => el.setAttribute('href', el.getAttribute('href').split('?')[0]));
    return root;
  };
  const shape = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach((node) => { node.textContent = node.textContent.trim() ? 'T' : ''; });
    root.querySelectorAll('*').forEach((el) => {
      for (const name of ['aria-label', 'alt', 'title', 'placeholder', 'value', 'content', 'lang']) {
        if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).trim() ? 'T' : '');
      }
    });
    return root.outerHTML;
  };
  const main = document.querySelector('main');
  const body = document.body.cloneNode(true);
  const bodyMain = body.querySelector('main');
  if (bodyMain) bodyMain.innerHTML = '';
  const mainCopy = clean(main ? main.cloneNode(true) : document.createElement('main'));
  const around = clean(body);
  return [mainCopy.outerHTML, around.outerHTML, shape(mainCopy), shape(around)];
}"""


def fingerprints(page):
    """(main, surroundings, shape of main, shape of surroundings) as short hashes."""
    import hashlib

    return tuple(hashlib.sha1(part.encode()).hexdigest() for part in page.evaluate(FINGERPRINT_JS))


def page_facts(page):
    return page.evaluate(PAGE_FACTS_JS)


def heading_problems(facts):
    """One visible h1, the first heading an h1, and no level skipped on the way down."""
    problems = []
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} visible h1 elements (want exactly 1)")
    levels = facts["headings"]
    if levels and levels[0][0] != 1:
        problems.append(f"first heading is h{levels[0][0]} {levels[0][1]!r}")
    for (before, _), (level, text) in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(f"h{before} followed by h{level} {text!r}")
    return problems


def format_violations(violations, limit=4):
    lines = []
    for rule, impact, help_text, nodes in violations:
        lines.append(f"    {rule} ({impact}): {help_text}")
        for target, html in nodes[:limit]:
            lines.append(f"        {target}: {html}")
        if len(nodes) > limit:
            lines.append(f"        ... and {len(nodes) - limit} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- routes

@dataclass
class Route:
    endpoint: str
    rule: str
    arguments: tuple
    urls: list = field(default_factory=list)
    missing: tuple = ()


def candidate_routes(app):
    """Every GET route that could be a page: all but static files (the app's and each blueprint's) and the JSON API.

    Whether a route renders HTML is decided by its response's Content-Type at
    scan time, so feeds, exports and redirects need no list here.
    """
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/api/") or rule.endpoint.split(".")[-1] == "static":
            continue
        routes.append(Route(rule.endpoint, rule.rule, tuple(sorted(rule.arguments))))
    return sorted(routes, key=lambda r: r.rule)


def build_urls(app, routes, values, limit=8):
    """Fill each route's arguments from ``values`` (argument name -> list of candidate values)."""
    adapter = app.url_map.bind("127.0.0.1")
    for route in routes:
        missing = tuple(a for a in route.arguments if not values.get(a))
        if missing:
            route.missing = missing
            continue
        choices = [[(a, v) for v in values[a]] for a in route.arguments]
        for combination in itertools.islice(itertools.product(*choices), limit):
            route.urls.append(adapter.build(route.endpoint, dict(combination)))
    return routes
