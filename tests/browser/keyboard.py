"""Driving a page with the keyboard only, and checking what a keyboard user sees at each step.

Only Tab, Shift+Tab, Enter, Space, the arrow keys and typing text are used:
never a mouse, never a click or a fill by selector.
"""

# Everything the checks need to know about the focused element, in one round trip.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const labelled = el.getAttribute('aria-labelledby');
  const name = (el.getAttribute('aria-label')
      || (labelled && labelled.split(' ').map((id) => document.getElementById(id)?.innerText || '').join(' '))
      || (el.labels && el.labels.length ? [...el.labels].map((l) => l.innerText).join(' ') : '')
      || el.innerText || el.value || el.getAttribute('title') || '').replace(/\\s+/g, ' ').trim();
  const all = document.getElementsByTagName('*');
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', id: el.id, name,
    href: el.getAttribute('href') || '',
    index: Array.prototype.indexOf.call(all, el),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    visible: box.width > 0 && box.height > 0,
    inErrorSummary: !!el.closest('.error-summary'),
    isErrorSummary: el.matches('[data-error-summary], .error-summary'),
    checked: el.checked === true,
    selected: el.tagName === 'SELECT' ? el.options[el.selectedIndex]?.text || '' : '',
  };
}"""

TABBABLE_COUNT_JS = """() => [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')].filter((el) => el.getClientRects().length).length"""


class KeyboardError(AssertionError):
    pass


def focused(page):
    return page.evaluate(FOCUSED_JS)


def assert_focus_visible(page, info=None):
    info = info or focused(page)
    if info is None:
        return
    if not (info["outline"] or info["shadow"]):
        raise KeyboardError(f"focus is not visible on {describe(info)} (no outline, no box-shadow) at {page.url}")
    if not info["visible"]:
        raise KeyboardError(f"focus is on an element with no size: {describe(info)} at {page.url}")


def describe(info):
    if info is None:
        return "<nothing focused>"
    return f"<{info['tag']}{' type=' + info['type'] if info['type'] else ''}{' id=' + info['id'] if info['id'] else ''}> {info['name'][:60]!r}"


def press(page, key):
    page.keyboard.press(key)


def tab_to(page, matches, limit=80, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element's accessible name matches.

    ``matches`` is a string (contained in the name) or a predicate over the focused
    element's facts. At every stop focus must be visible and must move through the
    document in order: forwards with Tab, backwards with Shift+Tab, wrapping at most once.
    """
    if isinstance(matches, str):
        text = matches
        matches = lambda info: text in info["name"]  # noqa: E731
    key = "Shift+Tab" if backwards else "Tab"
    previous, wrapped, seen = focused(page), False, []
    for _ in range(limit):
        press(page, key)
        info = focused(page)
        seen.append(describe(info))
        if info is None:  # focus left the document (past the last element): the next Tab wraps
            wrapped = True
            previous = None
            continue
        assert_focus_visible(page, info)
        if previous is not None and info["index"] != previous["index"]:  # a date field's parts share one element
            forwards = info["index"] > previous["index"]
            if forwards == backwards:
                if wrapped:
                    raise KeyboardError(f"focus order jumped from {describe(previous)} to {describe(info)} "
                                        f"at {page.url}")
                wrapped = True
        previous = info
        if matches(info):
            return info
    raise KeyboardError(f"no element matching after {limit} presses of {key} at {page.url}; focus visited:\n  "
                        + "\n  ".join(seen))


def activate(page, key="Enter", navigates=True):
    """Press Enter (or Space) on the focused element, waiting for the next page if it navigates."""
    if navigates:
        with page.expect_navigation():
            press(page, key)
    else:
        press(page, key)


def choose_option(page, text, limit=40):
    """On a focused <select>, press ArrowDown (then ArrowUp) until the option ``text`` is selected."""
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(limit):
            if text in focused(page)["selected"]:
                return
            press(page, key)
            if text in focused(page)["selected"]:
                return
    raise KeyboardError(f"option {text!r} not reachable with the arrow keys at {page.url}")


def type_text(page, text):
    page.keyboard.type(text)


def assert_not_trapped(page):
    """From wherever focus is, Tab reaches the end of the page and goes round again: no trap."""
    start = focused(page)
    limit = page.evaluate(TABBABLE_COUNT_JS) + 3
    for _ in range(limit):
        press(page, "Tab")
        info = focused(page)
        if info is None or (start is not None and info["index"] < start["index"]):
            return
    raise KeyboardError(f"focus stayed inside the page after {limit} presses of Tab from {describe(start)} "
                        f"at {page.url}")


def status_text(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]"
        ".map((el) => el.innerText.trim()).filter(Boolean).join(' | ')"
    )
