"""The /track/ page in real Chromium: it agrees with `invoke lookup`, keeps the code local."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from urllib.parse import urlsplit

import pytest

from store import Store
from sunshine.tracker.lookup import lookup
from tests.conftest import MARKUP_AGENCY, MARKUP_NOTE, TrackedSite

pytestmark = pytest.mark.browser


def shown(page) -> dict:  # type: ignore[no-untyped-def]
    result = page.locator("[data-testid=case-result]")
    result.wait_for()
    steps = page.locator("[data-testid=timeline-step]")
    return {
        "status": result.get_attribute("data-status"),
        "overdue": result.get_attribute("data-overdue") == "true",
        "events": [
            (
                s.get_attribute("data-stage"),
                s.get_attribute("data-date"),
                s.get_attribute("data-due"),
            )
            for s in steps.all()
        ],
    }


def expected(tracked: TrackedSite, code: str) -> dict:
    view = lookup(tracked.output, code)
    return {
        "status": view["status"],
        "overdue": view["overdue"],
        "events": [(e["type"], e["date"], e["due"]) for e in view["events"]],
    }


def sample_codes(tracked: TrackedSite) -> list[str]:
    store = Store.open(tracked.var)
    picked: dict[str, str] = {}
    for code, data in store.db.execute("SELECT tracking_code, data FROM cases ORDER BY case_id"):
        events = json.loads(data)["events"]
        last = max(events, key=lambda e: e["at"])["type"] if events else "none"
        picked.setdefault(last, code)
    store.close()
    return list(picked.values())


def test_browser_and_command_line_agree(page, tracked: TrackedSite, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    codes = sample_codes(tracked)
    assert len(codes) >= 6
    for code in codes:
        page.goto("about:blank")  # a fresh page per code, not the last one's result
        page.goto(f"{tracked_url}/track/#code={code}")
        assert shown(page) == expected(tracked, code), code
    assert page.console_errors == []


def test_invoke_lookup_prints_the_same_json(tracked: TrackedSite) -> None:
    code = sample_codes(tracked)[0]
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "lookup", code],
        env={"SUNSHINE_OUTPUT": str(tracked.output), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    printed = json.loads(done.stdout)
    assert set(printed) == {"status", "overdue", "as_of", "events", "next"}
    assert printed["status"] == lookup(tracked.output, code)["status"]
    for event in printed["events"]:
        assert set(event) == {"type", "date", "due", "late", "article"}


def open_idle_tracker(page, tracked_url: str) -> int:  # type: ignore[no-untyped-def]
    """Open /track/, wait until it is idle; the number of requests made so far."""
    page.goto(f"{tracked_url}/track/")
    page.wait_for_load_state("networkidle")
    return len(page.requests)


def requests_since(page, before: int) -> list[str]:  # type: ignore[no-untyped-def]
    # The browser's own favicon fetch may land late; it is not the lookup's.
    return [url for url in page.requests[before:] if not url.endswith("favicon.svg")]


def test_code_stays_in_the_page_and_only_two_requests(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    before = open_idle_tracker(page, tracked_url)
    code = next(iter(tracked.codes.values()))
    page.fill("input[name=code]", code.lower().replace("-", " "))
    page.click("form#lookup button[type=submit]")
    shown(page)
    after = requests_since(page, before)
    assert len(after) <= 2, after
    compact = code.replace("-", "")
    for url in page.requests:
        assert code not in url.split("#")[0] and compact not in url.upper(), url
        assert urlsplit(url).netloc == urlsplit(tracked_url).netloc
    assert page.url == f"{tracked_url}/track/"  # not even in the fragment


def test_a_code_typed_in_full_width_forms_is_found(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    """A Chinese input method may type Ｋ７Ｑ２－…: the same code, read as the search box does."""
    code = next(iter(tracked.codes.values()))
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code)
    open_idle_tracker(page, tracked_url)
    page.fill("input[name=code]", wide)
    page.press("input[name=code]", "Enter")
    shown(page)
    assert page.input_value("input[name=code]") == code


def test_mistyped_code_is_caught_before_any_request(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    before = open_idle_tracker(page, tracked_url)
    code = next(iter(tracked.codes.values()))
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    page.fill("input[name=code]", typo)
    page.press("input[name=code]", "Enter")
    page.locator("[data-testid=code-invalid]").wait_for()
    assert requests_since(page, before) == []


def test_unknown_code_says_not_found(page, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{tracked_url}/track/#code=0000-0000-0000-0000")
    page.locator("[data-testid=case-not-found]").wait_for()
    assert page.console_errors == []


def test_markup_in_notes_and_agency_names_is_text(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{tracked_url}/track/#code={tracked.marked_code}")
    shown(page)
    text = page.locator("[data-testid=case-result]").inner_text()
    assert MARKUP_NOTE in text and MARKUP_AGENCY in text
    assert page.locator("[data-evil]").count() == 0
    assert page.evaluate("window.evil") is None


def test_home_box_goes_to_the_tracker_with_the_code_in_no_url(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    code = next(iter(tracked.codes.values()))
    page.goto(f"{tracked_url}/en/")
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_url(f"{tracked_url}/en/track/")
    assert shown(page)["status"] == lookup(tracked.output, code)["status"]
    assert page.locator("html").get_attribute("lang") == "en"


def test_without_javascript_the_page_says_what_is_needed(browser, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{tracked_url}/track/")
    assert page.locator("[data-testid=js-required]").is_visible()
    assert page.locator("input[name=code]").is_disabled()  # its fieldset is disabled
    context.close()


def test_overdue_is_judged_against_today_in_shanghai(
    browser, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    """The same page turns red once a pending due date is behind the viewer's date."""
    store = Store.open(tracked.var)
    code = None
    for candidate in tracked.codes.values():
        view = lookup(tracked.output, candidate, today=date(2026, 11, 15))
        if not view["overdue"] and view["next"].get("action") == "wait":
            code = candidate
            break
    store.close()
    assert code
    context = browser.new_context(timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.clock.set_fixed_time("2031-01-01T12:00:00Z")
    page.goto(f"{tracked_url}/track/#code={code}")
    assert shown(page)["overdue"] is True
    assert page.locator(".case-result.colour-red").count() == 1
    context.close()
