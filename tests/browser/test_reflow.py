"""The main pages at 200 % text and at a 320 px wide viewport: no horizontal scrolling, nothing overlapping.

Text is enlarged with the site's own text-size preference (the class on <html>), at
1280×800 and at 640×400 (what 1280×800 looks like at 200 % browser zoom); the
320 px viewport is WCAG's reflow width. Screenshots go to test-artifacts/reflow/.
"""
import pytest

from .browser_helpers import ARTIFACTS

pytestmark = pytest.mark.browser

LAYOUTS = {
    "text200-1280": ({"width": 1280, "height": 800}, "200.default.0.0"),
    "text200-640": ({"width": 640, "height": 400}, "200.default.0.0"),
    "width320": ({"width": 320, "height": 640}, None),
}

# Interactive elements whose boxes (one per line of text) must not overlap one another.
OVERLAPS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const shown = [...document.querySelectorAll(selector)].filter((el) =>
      el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})  // not in a closed <details>
      && !el.closest('.visually-hidden, .skip-link'));
  const boxes = [];
  shown.forEach((el, i) => {
    for (const r of el.getClientRects()) {
      if (r.width >= 2 && r.height >= 2) boxes.push({i, l: r.left, t: r.top + scrollY, r: r.right, b: r.bottom + scrollY});
    }
  });
  const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}> ${(el.innerText || el.value || el.name || '').trim().slice(0, 40)}`;
  const found = new Set();
  for (const a of boxes) for (const b of boxes) {
    if (a.i >= b.i) continue;
    const x = shown[a.i], y = shown[b.i];
    if (x.contains(y) || y.contains(x)) continue;
    const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
    if (w > 1 && h > 1) found.add(`${name(x)}  overlaps  ${name(y)}`);
  }
  return [...found].slice(0, 10);
}"""

GEOMETRY_JS = """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  widest: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
      && el.checkVisibility({visibilityProperty: true}) && !el.closest('.visually-hidden, .skip-link, .table-scroll'))
    .slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(el.getBoundingClientRect().right)}`)})"""


def main_pages(seeded):
    """(name, role, path): the pages most people use, in their most telling states."""
    events, registrations = seeded.events, seeded.registrations
    return [
        ("catalogue", "anonymous", "/events?provision=sign_language"),
        ("event", "anonymous", f"/events/{events['open']}"),
        ("event-full", "resident", f"/events/{events['full']}"),
        ("register", "resident", f"/events/{events['interpreter']}/register"),
        ("registration", "resident", f"/registrations/{registrations['confirmed']}"),
        ("my-registrations", "resident", "/my/registrations"),
        ("my-messages", "resident", "/me/messages"),
        ("message", "resident", f"/me/messages/{seeded.extra['arguments']['message_id'][0]}"),
        ("message-settings", "resident", "/me/messages/settings"),
        ("signup", "anonymous", "/signup"),
        ("login", "anonymous", "/login"),
        ("account", "resident", "/account"),
        ("privacy-notice", "anonymous", "/privacy"),
        ("my-consents", "resident", "/me/consents"),
        ("access-log", "resident", "/me/access-log"),
        ("display", "anonymous", "/display"),
        ("organizer-events", "organizer", "/organize/"),
        ("organizer-event", "organizer", f"/organize/events/{events['full']}"),
        ("roster", "organizer", f"/organize/events/{events['full']}/roster"),
        ("check-in", "organizer", f"/organize/events/{events['today']}/check-in?q=居民"),
        ("needs", "organizer", f"/organize/events/{events['open']}/needs"),
        ("my-assignments", "volunteer", "/volunteers/my"),
        ("teams", "team_leader", "/volunteers/teams"),
        ("results", "anonymous", "/dashboard/results"),
        ("dashboard", "organizer", "/dashboard/"),
    ]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_main_pages_reflow_without_overlap(new_context, seeded, layout):
    viewport, display = LAYOUTS[layout]
    folder = ARTIFACTS / "reflow"
    folder.mkdir(parents=True, exist_ok=True)
    failures, pages = [], {}
    for name, role, path in main_pages(seeded):
        if role not in pages:
            pages[role] = new_context(role, viewport=viewport, display=display).new_page()
        page = pages[role]
        response = page.goto(path)
        assert response.status == 200, f"{path} as {role}: HTTP {response.status}"
        page.screenshot(path=str(folder / f"{name}-{layout}.png"), full_page=True)
        geometry = page.evaluate(GEOMETRY_JS)
        if geometry["scrollWidth"] > geometry["innerWidth"]:
            failures.append(f"{name} ({path}): scrolls sideways, {geometry['scrollWidth']} px wide in a "
                            f"{geometry['innerWidth']} px window; too wide: {geometry['widest']}")
        for overlap in page.evaluate(OVERLAPS_JS):
            failures.append(f"{name} ({path}): {overlap}")
    for page in pages.values():
        page.context.close()
    assert not failures, f"layout {layout}:\n" + "\n".join(failures)
