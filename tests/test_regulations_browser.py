"""Regulation pages, guides and the tracker's article links in real Chromium."""

from __future__ import annotations

import pytest

from tests.conftest import TrackedSite

pytestmark = pytest.mark.browser
NEW = "/regulations/xinfang-gongzuo-tiaoli-2022/"


def test_deep_link_and_cross_reference(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server_url}{NEW}#art-34")
    article = page.locator("[data-article='34']")
    assert article.get_attribute("id") == "art-34"
    assert article.is_visible()
    assert page.locator("[data-chapter='4']").count() == 1
    article.locator("a.xref").click()
    page.wait_for_function("location.hash === '#art-31-p1-i6'")
    assert page.locator("#art-31-p1-i6").is_visible()
    assert "不属于以上情形的" in page.locator("#art-31-p1-i6").inner_text()
    # The "link to this article" affordance is a plain anchor.
    page.locator("[data-article='36'] a.permalink").click()
    assert page.evaluate("location.hash") == "#art-36"
    assert page.console_errors == []


def test_cited_text_opens_without_javascript(browser, server_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server_url}/guides/time-limits/")
    box = page.locator("details.cite-text").first
    assert not box.locator("blockquote").is_visible()
    box.locator("summary").click()
    assert box.locator("blockquote").is_visible()
    assert len(box.locator("blockquote").inner_text()) > 10
    context.close()


def test_tracker_steps_link_to_their_articles(page, tracked: TrackedSite, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    for code in tracked.codes.values():
        page.goto("about:blank")  # a fresh page per code, not the last one's result
        page.goto(f"{tracked_url}/en/track/#code={code}")
        page.locator("[data-testid=case-result]").wait_for()
        links = page.locator("[data-testid=timeline-step] a.article-link")
        if links.count():
            break
    links.first.click()
    page.wait_for_url(f"**/en{NEW}#art-*")
    anchor = page.evaluate("location.hash")[1:]
    assert page.locator(f"#{anchor}").is_visible()
