"""Honest time and the office, in real Chromium: old data is called old, with its time;
an overdue step is "not recorded as of" that time; the office is on every page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from operations.serve import make_server
from store import Store, read_state
from sunshine.tracker.lookup import lookup
from tests.conftest import BuiltSite, base_url, build_into, running

pytestmark = pytest.mark.browser

# Unusual values: markup, quotes and ampersands must come out as text.
OFFICE = {
    "SUNSHINE_OFFICE_NAME": '<b data-evil="1">测试</b>信访办 & "Co"',
    "SUNSHINE_OFFICE_ADDRESS": "<script>window.evil=1</script>测试路 9 号",
    "SUNSHINE_OFFICE_PHONE": "0000-<i>1234</i>",
    "SUNSHINE_OFFICE_HOURS": "周三 8:00–9:00 'only'",
    "SUNSHINE_OFFICE_URL": "https://office.example.net/a?b=1&c=<2>",
}

# Every page type that shows registry data, in both languages.
DATA_PAGES = [
    "/",
    "/track/",
    "/statistics/",
    "/statistics/on_time_reply_rate/",
    "/statistics/by/agency/",
    "/data/",
    "/en/",
    "/en/track/",
    "/en/statistics/",
    "/en/statistics/on_time_reply_rate/",
    "/en/data/",
]
# And some that do not: the office is still in their footer.
OTHER_PAGES = ["/regulations/", "/guides/", "/search/", "/en/regulations/", "/about/"]


@pytest.fixture(scope="module")
def office_site(tmp_path_factory: pytest.TempPathFactory, fetched_var: Path) -> BuiltSite:
    return build_into(tmp_path_factory.mktemp("office"), fetched_var, None, **OFFICE)


@pytest.fixture(scope="module")
def office_url(office_site: BuiltSite) -> Iterator[str]:
    with running(make_server(office_site.output, "127.0.0.1", 0)) as server:
        yield base_url(server)


def data_time(site: BuiltSite) -> datetime:
    value = read_state(site.var, "data_as_of")
    assert value
    return datetime.fromisoformat(value)


def shown_time(site: BuiltSite) -> str:
    """The data's time as the pages state it: date and minute, Asia/Shanghai."""
    return data_time(site).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("path", DATA_PAGES)
def test_old_data_is_called_old_with_its_time(
    page, office_site: BuiltSite, office_url: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    page.clock.install(time=data_time(office_site) + timedelta(days=3, hours=1))
    page.goto(office_url + path)
    notice = page.locator("[data-testid=data-stale]")
    notice.wait_for(state="visible")
    assert shown_time(office_site) in notice.inner_text()
    assert "3" in notice.inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/track/", "/statistics/on_time_reply_rate/", "/en/data/"])
def test_fresh_data_carries_no_notice_but_its_time(
    page, office_site: BuiltSite, office_url: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    page.clock.install(time=data_time(office_site) + timedelta(days=2, hours=23))
    page.goto(office_url + path)
    page.wait_for_load_state("load")
    assert not page.locator("[data-testid=data-stale]").is_visible()
    # The data's time is stated anyway (the footer), judged or not.
    assert shown_time(office_site) in page.locator("footer").inner_text()


def test_without_javascript_the_data_time_is_still_stated(
    browser, office_site: BuiltSite, office_url: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(office_url + "/statistics/")
        assert shown_time(office_site) in page.locator("footer").inner_text()
        assert not page.locator("[data-testid=data-stale]").is_visible()
    finally:
        context.close()


def _office_shown(box) -> None:  # type: ignore[no-untyped-def]
    text = box.inner_text()
    for value in OFFICE.values():
        assert value in text, value
    # Text, never markup: nothing the values spell became an element.
    assert box.locator("b, i, script, [data-evil]").count() == 0


@pytest.mark.parametrize("path", DATA_PAGES + OTHER_PAGES + ["/no-such-page/"])
def test_the_office_is_in_every_footer(page, office_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(office_url + path)
    _office_shown(page.locator("footer [data-testid=office-contact]"))
    assert page.evaluate("window.evil") is None


def test_not_found_names_the_office(page, office_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{office_url}/track/#code=0000-0000-0000-0000")
    result = page.locator("[data-testid=case-not-found]")
    result.wait_for()
    _office_shown(result.locator("[data-testid=office-contact]"))
    assert page.evaluate("window.evil") is None
    assert page.console_errors == []


def _overdue_code(site: BuiltSite) -> str:
    store = Store.open(site.var)
    try:
        codes = [row[0] for row in store.db.execute("SELECT tracking_code FROM cases")]
    finally:
        store.close()
    for code in codes:
        if lookup(site.output, code).get("overdue"):
            return str(code)
    raise AssertionError("no overdue case in the demo data")


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", "尚无相应步骤的记录"), ("/en", "is not recorded as of")],
)
def test_an_overdue_step_is_not_recorded_as_of_the_data_time(  # type: ignore[no-untyped-def]
    page, office_site: BuiltSite, office_url: str, prefix: str, words: str
) -> None:
    code = _overdue_code(office_site)
    page.goto(f"{office_url}{prefix}/track/#code={code}")
    result = page.locator("[data-testid=case-result]")
    result.wait_for()
    assert result.get_attribute("data-overdue") == "true"
    said = result.locator("[data-testid=overdue]").inner_text()
    assert words in said and shown_time(office_site) in said
    # The late step itself says the same of itself, never that it was not done.
    late = result.locator("[data-testid=next-step] p.late").first.inner_text()
    step_words = {"": "尚无记录", "/en": "not recorded as of"}[prefix]
    assert step_words in late and shown_time(office_site) in late, late
    _office_shown(result.locator("[data-testid=office-contact]"))
    assert page.console_errors == []
