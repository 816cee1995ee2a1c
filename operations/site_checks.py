"""Checks over a built site folder: links resolve, nothing points elsewhere.

The build's tests run these, and the scheduled update runs them on a fresh
build before swapping it in. They read files only; no server is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that make the browser fetch or navigate.
_URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "formaction", "cite"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
# Namespaces and identifiers that look like URLs but are never fetched.
_NOT_FETCHED = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one output file."""

    file: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.url}: {self.reason}"


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in _URL_ATTRIBUTES:
                self.urls.append(value.strip())
            elif name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif name == "style":
                self.urls.extend(_CSS_URL.findall(value))


def page_url(root: Path, file: Path) -> str:
    """The root-relative URL a file is served at (``/en/about/`` for its index.html)."""
    rel = file.relative_to(root).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def urls_in(file: Path) -> tuple[list[str], set[str]]:
    """URLs a file makes the browser fetch or follow, and the ids it defines."""
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix in (".html", ".svg"):
        collector = _LinkCollector()
        collector.feed(text)
        return collector.urls, collector.ids
    if file.suffix == ".css":
        return _CSS_URL.findall(text), set()
    return [], set()


def _target(root: Path, path: str) -> Path | None:
    candidate = root / unquote(path).lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def site_files(root: Path) -> Iterator[Path]:
    """Every file of the site that can hold links."""
    for suffix in ("*.html", "*.css", "*.svg"):
        yield from sorted(root.rglob(suffix))


def check_site(root: Path, origin: str | None = None) -> list[Problem]:
    """Every URL in every page: same origin only, and every internal one resolves.

    Fragments are checked too: ``/about/#licence`` needs an element with that
    id on the target page. ``origin`` (a production build's absolute site URL)
    counts as the site itself: its URLs are checked like root-relative ones.
    """
    problems: list[Problem] = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(file: Path) -> set[str]:
        if file not in ids_cache:
            ids_cache[file] = urls_in(file)[1]
        return ids_cache[file]

    for file in site_files(root):
        urls, own_ids = urls_in(file)
        ids_cache[file] = own_ids
        base = page_url(root, file)
        name = file.relative_to(root).as_posix()
        for url in urls:
            if url.startswith(_NOT_FETCHED):
                continue
            if origin and (url == origin or url.startswith(origin + "/")):
                url = url[len(origin) :] or "/"
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.scheme or parts.netloc:
                problems.append(Problem(name, url, "points to another origin"))
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in own_ids:
                    problems.append(Problem(name, url, "no element with this id on the page"))
                continue
            resolved = urlsplit(urljoin(base, parts.path)).path
            target = _target(root, resolved)
            if target is None:
                problems.append(Problem(name, url, f"no file for {resolved}"))
            elif (
                parts.fragment and target.suffix == ".html" and parts.fragment not in ids_of(target)
            ):
                problems.append(Problem(name, url, f"no id '{parts.fragment}' in {resolved}"))
    return problems
