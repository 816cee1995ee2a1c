"""Layout in Chromium on every page type, on a phone (390 px) and a desktop (1280 px).

What a reader would notice: a page that scrolls sideways, a name squeezed to one
character a line, text too small to read, a navigation that wraps at 1280 px, a
header without the office's name and emblem, a footer without its contact, text
without enough contrast (axe-core's rule, as tests/test_accessibility.py runs it),
and the tracker's result and the statistics on paper.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from sunshine.cases.query_code import check_symbol
from sunshine.config import load_settings
from tests.conftest import TrackedSite
from tests.test_accessibility import axe_source  # noqa: F401  (the fixture, reused)

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
FOUND = "FOUND-CODE"  # stands for the tracked site's marked case, opened from /track/#code=
NOT_FOUND = "MISSING-CODE"  # a well-formed code no case has
ANNUAL = "LATEST-YEAR"  # stands for the latest year with an annual report

# Every page type in both languages, with what to wait for where a script fills the page.
PAGES: list[tuple[str, str | None]] = [
    (path, ready)
    for prefix in ("", "/en")
    for path, ready in [
        (f"{prefix}/", None),
        (f"{prefix}/track/", None),
        (f"{prefix}/track/#code={FOUND}", "[data-testid=case-result]"),
        (f"{prefix}/track/#code={NOT_FOUND}", "[data-testid=case-not-found]"),
        (f"{prefix}/statistics/", None),
        (f"{prefix}/statistics/on_time_reply_rate/", None),
        (f"{prefix}/statistics/received/", None),
        (f"{prefix}/statistics/by/region/", None),
        (f"{prefix}/statistics/by/agency/", None),
        (f"{prefix}/statistics/methodology/", None),
        (f"{prefix}/statistics/{ANNUAL}/", None),
        (f"{prefix}/data/", None),
        (f"{prefix}/regulations/", None),
        (f"{prefix}/regulations/xinfang-gongzuo-tiaoli-2022/", None),
        (f"{prefix}/guides/", None),
        (f"{prefix}/guides/time-limits/", None),
        (f"{prefix}/explainers/", None),
        (f"{prefix}/explainers/2022-regulations-for-petitioners/", None),
        (f"{prefix}/staff/", None),
        (f"{prefix}/no-such-page/", None),
    ]
] + [
    ("/search/#q=" + quote("复查"), "[data-testid=search-result]"),
    ("/en/search/#q=review", "[data-testid=search-result]"),
]

# Runs in the page: what a reader would see as broken, one line each.
# Text hidden for the eye but kept for screen readers (clipped) is not looked at.
# Chart labels are SVG text that scales with the chart: their size as drawn
# (computed size times the chart's scale on screen) is the one checked.
PROBLEMS_JS = """
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`the page scrolls sideways by ${root.scrollWidth - window.innerWidth}px`);
  }
  const clipped = (el) => {
    for (let a = el; a; a = a.parentElement) {
      if (getComputedStyle(a).clip === "rect(0px, 0px, 0px, 0px)") return true;
    }
    return false;
  };
  const skip = "[hidden], script, style, noscript, title, desc, option";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip) || clipped(el)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // SVG text is drawn at its computed size times the chart's scale on screen.
    const ctm = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
    const size = parseFloat(style.fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
    const what = `<${el.tagName.toLowerCase()}> "${text.slice(0, 40)}"`;
    if (size < 12) problems.push(`text of ${size}px: ${what}`);
    const line = parseFloat(style.lineHeight) || size * 1.3;
    if ([...text].length > 2 && box.height > 3 * line && box.width < 2 * size) {
      problems.push(`one character a line (${Math.round(box.width)}px wide): ${what}`);
    }
  }
  return problems;
}
"""


def _not_found_code(tracked: TrackedSite) -> str:
    """A well-formed code (right check symbol) that no case has."""
    payload = "000000000000000"
    code = payload + check_symbol(payload)
    formatted = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert formatted not in tracked.codes.values()
    return formatted


@pytest.fixture(scope="module")
def at_width(browser) -> Iterator[dict[int, object]]:  # type: ignore[no-untyped-def]
    """One page per width, reused for every path (axe is injected, so no CSP)."""
    contexts, pages = [], {}
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            bypass_csp=True,
        )
        contexts.append(context)
        pages[width] = context.new_page()
    yield pages
    for context in contexts:
        context.close()


def _open(page, tracked_url: str, tracked: TrackedSite, path: str, ready: str | None) -> None:  # type: ignore[no-untyped-def]
    path = path.replace(FOUND, tracked.marked_code).replace(NOT_FOUND, _not_found_code(tracked))
    if ANNUAL in path:
        years = sorted(p.name for p in (tracked.output / "statistics").glob("[0-9]" * 4))
        assert years, "no annual report was built"
        path = path.replace(ANNUAL, years[-1])
    page.goto("about:blank")  # a fragment change alone would not load the page again
    page.goto(tracked_url + path)
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "ready"), PAGES)
def test_page_fits_and_reads(  # type: ignore[no-untyped-def]
    at_width, axe_source: str, tracked_url: str, tracked: TrackedSite, width: int, path: str, ready
) -> None:
    page = at_width[width]
    _open(page, tracked_url, tracked, path, ready)
    assert page.evaluate(PROBLEMS_JS) == []

    settings = load_settings()
    identity = page.locator("[data-testid=site-identity]")
    assert identity.is_visible()
    assert settings.office_name in identity.inner_text()
    logo = page.locator("[data-testid=office-logo]")
    assert logo.is_visible() and logo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".site-footer [data-testid=office-contact]").is_visible()

    tops = page.eval_on_selector_all(
        ".main-nav a", "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(tops) == 8
    if width == 1280:
        assert len(set(tops)) == 1, f"the navigation wraps: {tops}"

    page.add_script_tag(content=axe_source)
    result = page.evaluate("() => axe.run(document, {runOnly: ['color-contrast']})")
    assert [v["nodes"][0]["target"] for v in result["violations"]] == []


def test_home_gives_the_latest_complete_month_with_changes(  # type: ignore[no-untyped-def]
    page, tracked_url: str
) -> None:
    for home in ("/", "/en/"):
        page.goto(tracked_url + home)
        figures = page.locator("[data-testid=headline-figures]")
        assert figures.is_visible()
        # The lookup comes first, the figures after it, the reading after them.
        order = page.evaluate(
            """() => ['form#lookup', '[data-testid=headline-figures]', '#explainers-heading',
                      '#guides-heading'].map(
                        s => document.querySelector(s).getBoundingClientRect().top + scrollY)"""
        )
        assert order == sorted(order)
        rows = figures.locator("tr[data-indicator]")
        assert rows.count() >= 10
        # The same month, figures and changes as the statistics overview.
        page_rows = rows.evaluate_all("rs => rs.map(r => r.innerText)")
        page.goto(tracked_url + home + "statistics/")
        overview = page.locator("[data-testid=headline-figures] tr[data-indicator]")
        assert overview.evaluate_all("rs => rs.map(r => r.innerText)") == page_rows
        page.goto(tracked_url + home)
        changes = figures.locator("[data-testid=change-month]")
        assert changes.count() == rows.count()
        assert figures.locator("[data-change=withheld]").count() > 0
        assert figures.locator("[data-testid=n]").count() > 0


@pytest.mark.parametrize("path", [f"/track/#code={FOUND}", "/statistics/", "/en/statistics/"])
def test_print_keeps_the_result_and_the_figures_alone(  # type: ignore[no-untyped-def]
    browser, tracked_url: str, tracked: TrackedSite, path: str
) -> None:
    context = browser.new_context(viewport={"width": 794, "height": 1123}, locale="zh-CN")
    page = context.new_page()
    _open(page, tracked_url, tracked, path, "[data-testid=case-result]" if FOUND in path else None)
    page.emulate_media(media="print")
    for chrome in (".site-header", ".main-nav", "form#lookup", ".header-search"):
        assert not page.locator(chrome).first.is_visible(), chrome
    if FOUND in path:
        assert page.locator("[data-testid=case-result]").is_visible()
        assert page.locator("[data-testid=timeline-step]").first.is_visible()
    else:
        # On paper the headline stays a table, every column in the page's width.
        table = page.locator("table[data-testid=headline]")
        assert table.evaluate("t => getComputedStyle(t).display") == "table"
        assert table.evaluate("t => t.getBoundingClientRect().right <= window.innerWidth")
    assert page.locator(".site-footer [data-testid=office-contact]").is_visible()
    assert page.evaluate(PROBLEMS_JS) == []
    context.close()
