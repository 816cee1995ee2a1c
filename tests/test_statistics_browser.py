"""Statistics and open-data pages in real Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/statistics/",
        "/en/statistics/on_time_reply_rate/",
        "/statistics/methodology/",
        "/en/data/",
        "/statistics/by/agency/",
    ],
)
def test_pages_render_without_errors_or_foreign_requests(page, server_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.console_errors == []
    assert all(urlsplit(u).netloc == urlsplit(server_url).netloc for u in page.requests)


def test_indicator_chart_is_an_accessible_image(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/en/statistics/on_time_reply_rate/")
    chart = page.locator("[data-testid=chart-monthly] svg")
    assert chart.get_attribute("role") == "img"
    labelled = chart.get_attribute("aria-labelledby") or ""
    title_id = labelled.split()[0]
    assert page.locator(f"[id='{title_id}']").text_content() == "On-time reply rate"
    assert chart.bounding_box()["width"] > 300
