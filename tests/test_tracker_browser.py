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
    assert set(printed) == {"status", "route", "overdue", "as_of", "events", "next"}
    assert printed["status"] == lookup(tracked.output, code)["status"]
    # The same next step as the page: action, articles and guide (tests/test_routes.py).
    assert printed["next"] == lookup(tracked.output, code)["next"]
    assert printed["next"]["articles"] and printed["next"]["guide"].startswith("guides/")
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
        # A pending agency step, not yet due then (its next step is to wait for it).
        if not view["overdue"] and view["next"]["action"].startswith("wait_"):
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
    # The next step is now the remedy for the step past due (Art. 40, 43-45).
    later = lookup(tracked.output, code, today=date(2031, 1, 1))["next"]
    step = page.locator("[data-testid=next-step]")
    assert step.get_attribute("data-action") == later["action"]
    assert later["action"].startswith("overdue_") and later["since"] in step.inner_text()
    context.close()


def codes_by_route(tracked: TrackedSite) -> dict[str, list[str]]:
    """Query codes of the tracked store's cases, by the route their kind gives them."""
    from sunshine.cases.routes import route_of

    store = Store.open(tracked.var)
    found: dict[str, list[str]] = {}
    for code, data in store.db.execute("SELECT tracking_code, data FROM cases ORDER BY case_id"):
        case = json.loads(data)
        route = route_of(case.get("kind"), bool(case.get("law_related")))
        found.setdefault(route, []).append(code)
    store.close()
    return found


def test_next_step_follows_the_route_of_each_kind(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    """Per route, a few codes: the page's next step is the lookup's, with its articles and guide."""
    by_route = codes_by_route(tracked)
    assert {"petition", "suggestion", "report", "consultation", "law"} <= set(by_route)
    for route, codes in sorted(by_route.items()):
        for code in codes[:3]:
            view = lookup(tracked.output, code)
            page.goto("about:blank")
            page.goto(f"{tracked_url}/track/#code={code}")
            result = page.locator("[data-testid=case-result]")
            result.wait_for()
            assert (result.get_attribute("data-overdue") == "true") is view["overdue"], code
            step = page.locator("[data-testid=next-step]")
            assert step.get_attribute("data-action") == view["next"]["action"], code
            text = step.inner_text()
            links = [a.get_attribute("href") for a in step.locator("a.article-link").all()]
            assert [href.rsplit("#art-", 1)[1] for href in links] == view["next"]["articles"]
            guide = step.locator("[data-testid=next-step-guide]").get_attribute("href")
            assert guide.endswith("/" + view["next"]["guide"]), (code, guide)
            if route != "petition":
                # No review and no handling limit promised where the regulation gives none.
                assert "请求复查" not in text and "请求复核" not in text, code
                assert view["next"]["action"] not in ("request_review", "request_rereview")
                assert not [e for e in view["events"] if e["article"] in ("34", "35", "36")]
            if view["next"].get("by"):
                assert view["next"]["by"] in text
    assert page.console_errors == []


def test_no_red_without_a_limit_that_applies(
    browser, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    """Years on, a suggestion, report or consultation accepted and never answered is not red."""
    by_route = codes_by_route(tracked)
    later = date(2031, 1, 1)
    picked = []
    for route in ("suggestion", "report", "consultation"):
        for code in by_route[route]:
            view = lookup(tracked.output, code, today=later)
            if view["status"] in ("in_progress", "extended", "replied"):
                assert view["overdue"] is False and view["next"]["action"] == f"route_{route}"
                picked.append(code)
                break
    assert picked
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time("2031-01-01T04:00:00Z")
    for code in picked:
        page.goto("about:blank")
        page.goto(f"{tracked_url}/track/#code={code}")
        result = page.locator("[data-testid=case-result]")
        result.wait_for()
        assert result.get_attribute("data-overdue") == "false", code
        assert (
            page.locator("[data-testid=next-step]")
            .get_attribute("data-action")
            .startswith("route_")
        )
    context.close()


def test_not_found_says_what_to_do_and_links_the_guide(page, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{tracked_url}/track/#code=0000-0000-0000-0000")
    box = page.locator("[data-testid=case-not-found]")
    box.wait_for()
    step = box.locator("[data-testid=next-step]")
    assert step.get_attribute("data-action") == "not_found"
    links = [a.get_attribute("href") for a in step.locator("a.article-link").all()]
    # Ask the office that received it (Art. 22); it must register it (Art. 43).
    assert [href.rsplit("#art-", 1)[1] for href in links] == ["22", "43"]
    assert (
        step.locator("[data-testid=next-step-guide]")
        .get_attribute("href")
        .endswith("/guides/check-progress/#if-a-deadline-has-passed")
    )


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_guide_anchors_the_next_steps_link_exist(tracked: TrackedSite, prefix: str) -> None:
    from sunshine.cases.routes import GUIDES

    for path in GUIDES.values():
        page_path, _, anchor = path.partition("#")
        html = (tracked.output / prefix / page_path / "index.html").read_text(encoding="utf-8")
        if anchor:
            assert f'id="{anchor}"' in html, (prefix, path)
