"""The command-line lookup (``invoke lookup CODE``): the published files only, as the browser.

It reads the lookup parameters from the built ``/track/`` page, derives the key,
reads the one bucket file the code points to and opens the record: exactly
what the page's script does, so staff answering a call and tests see what the
public can see, and nothing the public cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sunshine.cases.calendar import SHANGHAI
from sunshine.cases.query_code import is_valid, normalise
from sunshine.cases.timeline import lookup_view
from sunshine.errors import SunshineError
from sunshine.tracker.sealing import bucket_name, derive, open_record


class SiteNotReady(SunshineError):
    """The published site cannot answer (not built, or built without the tracker)."""


@dataclass(frozen=True)
class PageParams:
    salt: bytes
    iterations: int
    count: int
    buckets: str
    as_of: str


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("id") == "lookup":
            self.attrs = values


def page_params(output: Path) -> PageParams:
    """The lookup parameters as the /track/ page publishes them."""
    page = output / "track" / "index.html"
    if not page.is_file():
        raise SiteNotReady(f"{page} does not exist: build the site first (invoke build)")
    reader = _FormReader()
    reader.feed(page.read_text(encoding="utf-8"))
    attrs = reader.attrs
    try:
        return PageParams(
            bytes.fromhex(attrs["data-salt"]),
            int(attrs["data-iterations"]),
            int(attrs["data-buckets-count"]),
            attrs["data-buckets"],
            attrs.get("data-as-of", ""),
        )
    except (KeyError, ValueError) as error:
        raise SiteNotReady(f"{page} has no usable lookup form ({error})") from None


def today_in_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def lookup(output: Path, typed: str, today: date | None = None) -> dict[str, Any]:
    """What the public sees for ``typed``: the case view, or ``{"error": ...}``."""
    code = normalise(typed)
    if code is None or not is_valid(code):
        return {"error": "invalid", "message": "not a valid query code (check symbol or length)"}
    params = page_params(output)
    derived = derive(code, params.salt, params.iterations)
    # The page names the bucket folder by URL; locally it is the same path under output/.
    folder = output / params.buckets.split("://", 1)[-1].split("/", 1)[-1].strip("/")
    path = folder / bucket_name(derived.bucket(params.count))
    if not path.is_file():
        raise SiteNotReady(f"{path} is missing: the site was built without the tracker")
    record = open_record(path.read_bytes(), derived)
    if record is None:
        return {"error": "not_found", "message": "no published case has this query code"}
    view = lookup_view(record, today or today_in_shanghai())
    return {**view, "as_of": params.as_of or None}
