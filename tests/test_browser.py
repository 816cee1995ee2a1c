"""The built site in real Chromium: renders, switches language, stays on this origin."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def only_local(requests: list[str], server_url: str) -> list[str]:
    origin = urlsplit(server_url).netloc
    return [url for url in requests if urlsplit(url).netloc != origin]


def test_home_renders_in_chinese_then_switches_to_english(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").first.inner_text() == "查询信访事项进度"
    # The stylesheet is applied: the skip link is moved off screen until focused.
    assert page.locator(".skip-link").bounding_box()["y"] < 0

    page.get_by_test_id("lang-switch").click()
    page.wait_for_url(server_url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "Track your petition"

    assert page.console_errors == []
    assert only_local(page.requests, server_url) == []


def test_switch_lands_on_the_same_page(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/en/explainers/2022-regulations-for-petitioners/")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_url(server_url + "/explainers/2022-regulations-for-petitioners/")
    assert page.locator("h1").inner_text() == "2022年《信访工作条例》为信访人规定了什么"
    page.get_by_test_id("lang-switch").click()
    page.wait_for_url(server_url + "/en/explainers/2022-regulations-for-petitioners/")
    assert page.console_errors == []


def test_keyboard_user_reaches_main_content_first(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/en/about/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_missing_page_gets_the_sites_404_in_its_language(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(server_url + "/en/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    response = page.goto(server_url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "zh-CN"
