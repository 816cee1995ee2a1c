"""Accessibility in Chromium: axe-core's WCAG 2.1 A and AA rules on every page type, and
keyboard-only use of the lookup and the search."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import TrackedSite

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    import axe_playwright_python  # bundles axe-core; used here only

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


@pytest.fixture
def audited(browser, axe_source: str):  # type: ignore[no-untyped-def]
    # axe is injected as an inline script, which the site's policy forbids:
    # the audit's own context bypasses the policy (the pages' scripts are the site's).
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    page = context.new_page()

    def audit(url: str, ready: str | None = None) -> list[str]:
        page.goto(url)
        if ready:
            page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        return [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    yield audit
    context.close()


PAGES = [
    ("/", None),
    ("/en/", None),
    ("/statistics/", None),
    ("/en/statistics/on_time_reply_rate/", "[data-testid=chart-monthly]"),
    ("/statistics/by/agency/", None),
    # Annual reports: a full year and the demo data's year under way (snapshot 2026-11-15).
    ("/statistics/2025/", None),
    ("/en/statistics/2026/", None),
    ("/regulations/", None),
    ("/regulations/xinfang-gongzuo-tiaoli-2022/", None),
    ("/guides/", None),
    ("/en/guides/time-limits/", None),
    ("/explainers/2022-regulations-for-petitioners/", None),
    ("/search/#q=" + quote("复查"), "[data-testid=search-result]"),
    ("/en/search/#q=review", "[data-testid=search-result]"),
    ("/data/", None),
    ("/staff/", None),
    ("/explainers/category/政策解读/", None),
    ("/en/explainers/tag/time-limits/", None),
    ("/track/", None),
    (
        "/track/#code=0000-0000-0000-0000",
        "[data-testid=code-invalid], [data-testid=case-not-found]",
    ),
]


@pytest.mark.parametrize(("path", "ready"), PAGES)
def test_no_serious_or_critical_violation(
    audited, tracked_url: str, path: str, ready: str | None
) -> None:  # type: ignore[no-untyped-def]
    assert audited(tracked_url + path, ready) == []


def test_a_found_case_passes_too(audited, tracked_url: str, tracked: TrackedSite) -> None:  # type: ignore[no-untyped-def]
    code = next(iter(tracked.codes.values()))
    assert audited(f"{tracked_url}/track/#code={code}", "[data-testid=case-result]") == []


def _tab_to(page, selector: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} not reached with Tab")


def test_the_lookup_works_by_keyboard_alone(page, tracked_url: str, tracked: TrackedSite) -> None:  # type: ignore[no-untyped-def]
    page.goto(tracked_url + "/track/")
    _tab_to(page, "form#lookup input[name=code]")
    page.keyboard.type(next(iter(tracked.codes.values())))
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=case-result]")


def test_the_search_works_by_keyboard_alone(page, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(tracked_url + "/en/search/")
    _tab_to(page, "form#search input[name=q]")
    page.keyboard.type("review")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=search-result]")
    _tab_to(page, "[data-testid=search-result] a")


CONTENT_PAGES = [p for p, _ in PAGES if not p.startswith(("/track/", "/search/", "/en/search/"))]
SHORT_PAGES = {"/staff/", "/explainers/category/政策解读/", "/en/explainers/tag/time-limits/"}


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_without_javascript_every_content_page_shows_its_content(
    browser, tracked_url: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(tracked_url + path)
    assert page.locator("main h1").count() == 1
    # The page's words, not a notice; listings and the staff page are short by nature.
    assert len(page.locator("main").inner_text()) > (60 if path in SHORT_PAGES else 200)
    assert all(url.startswith(tracked_url) for url in requested)  # nothing from elsewhere
    context.close()
