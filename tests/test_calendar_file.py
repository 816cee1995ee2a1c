"""'Add these dates to my calendar' on /track/: an iCalendar file made in real Chromium,
read back with a calendar library; it holds the coming dates and nothing that names the case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from plugins.tracker.labels import STEP_LABELS
from sunshine.cases.query_code import normalise
from sunshine.tracker.lookup import page_params
from sunshine.tracker.sealing import bucket_name, derive, open_record
from tests.conftest import TrackedSite

pytestmark = pytest.mark.browser

OWN = {"zh": "您下一步的截止日", "en": "Last day for your next step"}
DUE = {"zh": "到期：{}", "en": "Due: {}"}


def record_of(tracked: TrackedSite, code: str) -> dict[str, Any]:
    """The sealed record the page opens for ``code``, as ``invoke lookup`` opens it."""
    params = page_params(tracked.output)
    compact = normalise(code)
    assert compact is not None
    derived = derive(compact, params.salt, params.iterations)
    folder = tracked.output / params.buckets.split("://", 1)[-1].split("/", 1)[-1].strip("/")
    record = open_record((folder / bucket_name(derived.bucket(params.count))).read_bytes(), derived)
    assert record is not None
    return dict(record)


def coming(record: dict[str, Any], today: str, lang: str) -> list[tuple[date, str]]:
    """The events the file should hold: (date, summary), as the record says."""
    dates = [
        (date.fromisoformat(p["due"]), DUE[lang].format(STEP_LABELS[p["step"]][lang]))
        for p in record.get("pending") or []
        if p.get("due") and p["due"] >= today
    ]
    own = record.get("next") or {}
    if own.get("by") and own["by"] >= today and own.get("action") not in (None, "none"):
        dates.append((date.fromisoformat(own["by"]), OWN[lang]))
    return sorted(dates)


@pytest.fixture(scope="module")
def as_of(tracked: TrackedSite) -> datetime:
    """The data's time: the page is viewed on that day, so the demo's dates are still to come."""
    return datetime.fromisoformat(page_params(tracked.output).as_of)


def pick(tracked: TrackedSite, today: str) -> dict[str, str]:
    """A case with a coming agency deadline, one with the petitioner's own, one with none."""
    found: dict[str, str] = {}
    for case_id, code in tracked.codes.items():
        record = record_of(tracked, code)
        dates = coming(record, today, "zh")
        own = any(summary == OWN["zh"] for _, summary in dates)
        kind = "none" if not dates else ("own" if own else "agency")
        found.setdefault(kind, code)
        found.setdefault(f"{kind}-id", case_id)
        if {"none", "own", "agency"} <= found.keys():
            break
    assert {"none", "own", "agency"} <= found.keys(), found
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calendar_file_holds_the_coming_dates_and_no_code(
    page, tracked: TrackedSite, tracked_url: str, as_of: datetime, lang: str
) -> None:  # type: ignore[no-untyped-def]
    today = as_of.date().isoformat()
    page.clock.set_fixed_time(as_of)
    picked = pick(tracked, today)
    track = f"{tracked_url}/track/" if lang == "zh" else f"{tracked_url}/en/track/"
    for kind in ("agency", "own"):
        code, case_id = picked[kind], picked[f"{kind}-id"]
        page.goto("about:blank")
        page.goto(f"{track}#code={code}")
        page.locator("[data-testid=case-result]").wait_for()
        page.wait_for_load_state("networkidle")
        before = len(page.requests)
        with page.expect_download() as saving:
            page.click("[data-testid=calendar-file]")
        download = saving.value
        assert download.suggested_filename.endswith(".ics")
        raw = Path(download.path()).read_bytes()
        # No request for the file: made in the page (a blob: URL is the page's memory).
        sent = [u for u in page.requests[before:] if u.startswith(("http:", "https:"))]
        assert sent == [], sent

        text = raw.decode("utf-8")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
        assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
        for secret in (code, normalise(code) or code, case_id):
            assert secret not in text and secret not in text.replace("\r\n ", ""), secret

        calendar = Calendar.from_ical(raw)
        assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
        events = calendar.walk("VEVENT")
        got = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events)
        assert got == coming(record_of(tracked, code), today, lang), kind
        for event in events:
            start = event.decoded("DTSTART")
            assert type(start) is date  # all day
            assert event["DTSTART"].params.get("VALUE") == "DATE"
            assert event.get("UID") and event.get("DTSTAMP")
            assert "2022" in str(event["DESCRIPTION"]) or "条例" in str(event["DESCRIPTION"])
            assert str(event["DESCRIPTION"]).count("#") == 0  # the page's address, no fragment
        assert len({str(e["UID"]) for e in events}) == len(events)

    page.goto("about:blank")
    page.goto(f"{track}#code={picked['none']}")
    page.locator("[data-testid=case-result]").wait_for()
    assert page.locator("[data-testid=calendar-file]").count() == 0
    assert page.console_errors == []
