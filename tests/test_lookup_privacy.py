"""The query code is not kept by the browser nor sent anywhere, in real Chromium.

Each test that looks at what the browser keeps runs in its own Chromium profile
(a persistent context in tmp_path), closes it, then reads the profile's files:
the History database's ``urls`` table, and the bytes of every file in it.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sunshine.cases.query_code import ALPHABET, is_valid, make_code
from sunshine.tracker.lookup import lookup
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, TrackedSite

pytestmark = pytest.mark.browser


@dataclass
class Profile:
    """A Chromium profile of its own: its page, every request made, its folder."""

    folder: Path
    page: object = None
    requests: list[str] = field(default_factory=list)

    def history_urls(self) -> list[str]:
        db = sqlite3.connect(self.folder / "Default" / "History")
        try:
            return [url for (url,) in db.execute("SELECT url FROM urls")]
        finally:
            db.close()

    def files_holding(self, code: str) -> list[str]:
        """Files of the profile whose bytes hold the code, in any case, dashed or not."""
        compact = code.replace("-", "")
        needles = [
            form.encode(encoding)
            for form in {code, code.lower(), compact, compact.lower()}
            for encoding in ("utf-8", "utf-16-le")
        ]
        return [
            str(path.relative_to(self.folder))
            for path in self.folder.rglob("*")
            if path.is_file() and any(n in path.read_bytes() for n in needles)
        ]


@contextmanager
def profile(browser, tmp_path: Path) -> Iterator[Profile]:  # type: ignore[no-untyped-def]
    """A fresh profile, open for the block, closed (and so written out) after it."""
    held = Profile(tmp_path / "profile")
    context = browser.browser_type.launch_persistent_context(
        str(held.folder),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.on("request", lambda request: held.requests.append(request.url))
    held.page = context.pages[0] if context.pages else context.new_page()
    try:
        yield held
    finally:
        context.close()


def carries(url: str, code: str) -> bool:
    """Whether a URL holds the code in any form: any case, any separators, encoded."""
    symbols = re.sub(r"[^0-9A-Z]", "", unquote(url).upper())
    return code.replace("-", "") in symbols


def assert_kept_nowhere(held: Profile, code: str) -> None:
    assert not [url for url in held.requests if carries(url, code)]
    assert not [url for url in held.history_urls() if carries(url, code)]
    assert held.files_holding(code) == []


def shown_status(page) -> str:  # type: ignore[no-untyped-def]
    result = page.locator("[data-testid=case-result]")
    result.wait_for()
    return str(result.get_attribute("data-status"))


def a_code(tracked: TrackedSite) -> str:
    return next(iter(tracked.codes.values()))


def unpublished_code(tracked: TrackedSite) -> str:
    """A well-formed code (right check symbol) that no published case has."""
    published = set(tracked.codes.values())
    rng = random.Random(7)
    while True:
        code = make_code("".join(rng.choice(ALPHABET) for _ in range(15)))
        if code not in published:
            assert is_valid(code)
            return code


# --- (a) a link carrying the code --------------------------------------------


def test_a_link_with_the_code_is_cleared_from_the_address_bar(
    browser, tmp_path: Path, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    # Typed on a phone from a receipt: small letters, no dashes.
    link = f"{tracked_url}/track/#code={code.replace('-', '').lower()}"
    with profile(browser, tmp_path) as held:
        page = held.page
        page.goto(link)
        assert shown_status(page) == lookup(tracked.output, code)["status"]
        assert page.url == f"{tracked_url}/track/"
        assert page.evaluate("location.hash") == ""
    # Chromium records the address it was asked to open before any script of
    # the page runs; the page can only keep from adding to it: the link itself
    # is the one entry with the code (not the grouped form the page shows).
    assert [url for url in held.history_urls() if carries(url, code)] == [link]
    assert not [url for url in held.requests if carries(url.split("#")[0], code)]


def test_a_link_followed_on_an_open_tracker_is_cleared_too(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    codes = list(tracked.codes.values())[:2]
    page.goto(f"{tracked_url}/track/")
    for code in codes:
        page.goto(f"{tracked_url}/track/#code={code}")  # the fragment only: hashchange
        page.wait_for_function(
            "c => document.querySelector('input[name=code]').value === c", arg=code
        )
        assert shown_status(page) == lookup(tracked.output, code)["status"]
        assert page.url == f"{tracked_url}/track/"
    assert page.console_errors == []


# --- (b) a code typed on the tracker ------------------------------------------


def test_a_code_typed_on_the_tracker_is_kept_nowhere(
    browser, tmp_path: Path, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    with profile(browser, tmp_path) as held:
        page = held.page
        page.goto(f"{tracked_url}/track/")
        page.fill("input[name=code]", code.lower().replace("-", " "))
        page.press("input[name=code]", "Enter")
        assert shown_status(page) == lookup(tracked.output, code)["status"]
        assert page.url == f"{tracked_url}/track/"
        # Away and back: the address still bare, and neither the code nor the case
        # comes back (restored form state, or a page kept in the back-forward cache)
        # for the next person at this device.
        page.goto(f"{tracked_url}/guides/")
        page.go_back()
        assert page.url == f"{tracked_url}/track/"
        assert page.input_value("input[name=code]") == ""
        assert page.locator("[data-testid=case-result]").count() == 0
    assert_kept_nowhere(held, code)


# --- (c) a code typed in the home page's box -----------------------------------


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_code_from_the_home_box_is_looked_up_on_the_tracker_and_kept_nowhere(
    browser, tmp_path: Path, tracked: TrackedSite, tracked_url: str, lang: str
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    with profile(browser, tmp_path) as held:
        page = held.page
        page.goto(f"{tracked_url}{lang}/")
        page.fill("form#lookup input[name=code]", code)
        page.press("form#lookup input[name=code]", "Enter")
        page.wait_for_url(f"{tracked_url}{lang}/track/")
        assert shown_status(page) == lookup(tracked.output, code)["status"]
        assert page.locator("html").get_attribute("lang") == ("en" if lang else "zh-CN")
        assert page.url == f"{tracked_url}{lang}/track/"
        assert page.evaluate("sessionStorage.length") == 0
        page.go_back()  # the home page, from the cache or not: its box is empty
        page.wait_for_url(f"{tracked_url}{lang}/")
        assert page.input_value("form#lookup input[name=code]") == ""
    assert_kept_nowhere(held, code)


def test_a_home_page_drops_a_code_the_tracker_never_took(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{tracked_url}/guides/")
    page.evaluate("c => sessionStorage.setItem('sunshine-code', c)", a_code(tracked))
    page.goto(f"{tracked_url}/statistics/")
    assert page.evaluate("sessionStorage.length") == 0


# --- (d) a code typed in a search box ------------------------------------------


@pytest.mark.parametrize(
    ("start", "box", "typed"),
    [
        ("/en/guides/time-limits/", "form.header-search", "my code is {code}"),
        ("/guides/time-limits/", "form.header-search", "我的码 {code}"),
        ("/search/", "form#search", "{compact}"),
        ("/en/search/", "form#search", "{spaced}"),
        ("/track/", "form.header-search", "{code}"),  # the same page, opened afresh
    ],
)
def test_a_code_typed_in_a_search_box_goes_to_the_tracker_and_is_kept_nowhere(
    browser,
    tmp_path: Path,
    tracked: TrackedSite,
    tracked_url: str,
    start: str,
    box: str,
    typed: str,
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    text = typed.format(
        code=code, compact=code.replace("-", "").lower(), spaced=code.replace("-", " ")
    )
    lang = "/en" if start.startswith("/en/") else ""
    with profile(browser, tmp_path) as held:
        page = held.page
        page.goto(tracked_url + start)
        page.fill(f"{box} input[name=q]", text)
        page.press(f"{box} input[name=q]", "Enter")
        page.wait_for_url(f"{tracked_url}{lang}/track/")
        assert shown_status(page) == lookup(tracked.output, code)["status"]
        assert page.evaluate("sessionStorage.length") == 0
    assert not any(("?q=" in url or "#q=" in url) for url in held.history_urls())
    assert_kept_nowhere(held, code)


def test_a_search_link_carrying_a_code_goes_to_the_tracker(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    page.goto(f"{tracked_url}/en/search/#q={code}")
    page.wait_for_url(f"{tracked_url}/en/track/")
    assert shown_status(page) == lookup(tracked.output, code)["status"]
    assert not [url for url in page.requests if carries(url.split("#")[0], code)]
    assert not any("/search/index/" in url for url in page.requests)  # never searched


def test_what_counts_as_a_code_in_a_search(page, tracked: TrackedSite, tracked_url: str) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    compact = code.replace("-", "")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)  # full width, as an input method types
    confused = compact.replace("0", "O").replace("1", "l")
    found = {
        code: compact,
        compact.lower(): compact,
        code.replace("-", " "): compact,
        code.replace("-", "—"): compact,
        confused: compact,
        f"我的码 {code}，请查": compact,
        f"my code:{compact.lower()}.": compact,
        f"code {code.replace('-', ' ')} please": compact,  # "code" + 3 groups is not it
        wide: compact,
        code[:-1] + ("0" if code[-1] != "0" else "1"): None,  # mistyped: still kept out
    }
    not_codes = ["hearing", "复查 申请", "time limits for review", "what time does work"]
    assert not is_valid("WHAT-T1ME-D0ES-W0RK")  # words pass as words unless the sum fits
    page.goto(f"{tracked_url}/search/")
    page.wait_for_function("() => window.sunshineCodes")
    find = "t => window.sunshineCodes.find(t)"
    for text, expected in found.items():
        got = page.evaluate(find, text)
        assert got is not None, text
        if expected:
            assert got == expected, text
    for text in not_codes:
        assert page.evaluate(find, text) is None, text


# --- (e) without JavaScript -----------------------------------------------------


def test_without_javascript_no_form_sends_a_code(
    browser, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    code = a_code(tracked)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # The header box: Enter opens the search page (which explains it needs
    # JavaScript) with nothing in the query string.
    page.goto(f"{tracked_url}/en/guides/time-limits/")
    page.fill("form.header-search input", f"my code {code}")
    with page.expect_navigation():
        page.press("form.header-search input", "Enter")
    assert urlsplit(page.url).path == "/en/search/"
    assert urlsplit(page.url).query == ""
    assert page.locator("[data-testid=js-required]").is_visible()

    # The lookup boxes: disabled, so nothing can be typed in or sent.
    for path in ("/", "/en/", "/track/", "/en/track/"):
        page.goto(tracked_url + path)
        box = page.locator("form#lookup input[name=code]")
        assert box.is_disabled()
        box.click(force=True)
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert page.url == tracked_url + path
        assert box.input_value() == ""

    # The search page's form is not shown at all.
    page.goto(f"{tracked_url}/search/")
    assert page.locator("form#search").is_hidden()

    context.close()
    assert not [url for url in requested if carries(url, code)]


# --- (f) found and not found look the same on the wire ----------------------------


def lookup_requests(page, tracked_url: str, code: str, testid: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The paths requested from pressing Enter on /track/ to the answer shown."""
    page.goto(f"{tracked_url}/track/")
    page.wait_for_load_state("networkidle")
    before = len(page.requests)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.locator(f"[data-testid={testid}]").wait_for()
    page.wait_for_load_state("networkidle")
    paths = [urlsplit(url).path for url in page.requests[before:]]
    # Which bucket differs by nature (at least 16 cases share each); the favicon
    # is the browser's own, landing whenever it likes.
    return [re.sub(r"/b/[0-9a-f]{5}\.bin$", "/b/*.bin", p) for p in paths if "favicon" not in p]


def test_found_and_not_found_make_the_same_requests(
    browser, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    missing = unpublished_code(tracked)
    assert lookup(tracked.output, missing)["error"] == "not_found"
    seen = {}
    for name, code, testid in [
        ("found", a_code(tracked), "case-result"),
        ("not found", missing, "case-not-found"),
    ]:
        context = browser.new_context()
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request, page=page: page.requests.append(request.url))
        seen[name] = lookup_requests(page, tracked_url, code, testid)
        context.close()
    assert seen["found"] == seen["not found"] == ["/track/names.json", "/track/b/*.bin"]


def test_a_second_lookup_fetches_only_its_bucket_found_or_not(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    lookup_requests(page, tracked_url, a_code(tracked), "case-result")
    for code, testid in [
        (unpublished_code(tracked), "case-not-found"),
        (list(tracked.codes.values())[1], "case-result"),
    ]:
        before = len(page.requests)
        page.fill("input[name=code]", code)
        page.press("input[name=code]", "Enter")
        page.locator(f"[data-testid={testid}]").wait_for()
        page.wait_for_load_state("networkidle")
        paths = [urlsplit(u).path for u in page.requests[before:] if "favicon" not in u]
        assert len(paths) == 1 and re.fullmatch(r"/track/b/[0-9a-f]{5}\.bin", paths[0])
