"""Staff HTML to an allowlist: what the site publishes from staff Markdown, and what it removes.

Markdown lets raw HTML through, and its link syntax takes any URL, so a piece
could carry ``<script>``, event attributes or ``javascript:`` links. Every
piece's HTML is therefore cleaned by nh3 (the Rust sanitiser ammonia) with the
allowlist below before anything else sees it (``plugins/authoring``): pages of
both languages, summaries, feeds and the search index all take the cleaned
HTML.

The allowlist is what the site's Markdown produces: Python-Markdown and its
``extra`` and ``toc`` extensions (headings with ids, lists, tables, code,
footnotes, abbreviations, definition lists, ``[TOC]``) and the project's own
extension (:mod:`sunshine.regulations.citations`: ``<a class="cite">``, ``<details
class="cite-text">``, ``<span class="live-figure" data-figure>``). Left out:
script, style, frames, objects, forms and everything in ``<head>``; event
attributes and ``style`` (the site's CSP forbids inline style, so table column
alignment never showed either); URLs other than http, https, mailto and
relative ones. ``class`` and ``id`` stay on every element: headings and
footnotes need ids, code blocks name their language in a class, and neither
runs anything; but an id the theme's scripts look elements up by
(:data:`RESERVED_IDS`) is removed, so that no staff element can stand in for
the lookup form or its result area. Of the ``data-*`` attributes only ``data-figure`` stays, the
one the project's extension writes: the theme's scripts read their settings
from ``data-*`` attributes, and staff text must not supply them.

:func:`removed` says what cleaning takes out of a piece, for the messages of
``invoke check-content`` and the build (:mod:`sunshine.content.content_checks`):
the elements and attributes are judged by the allowlist itself, and URLs by
nh3, so the report and the cleaning agree. (What the HTML parser itself sets
right, such as a table cell outside any table, is not reported; its text stays.)
:func:`locate` finds the line of the Markdown source each came from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

__all__ = [
    "ATTRIBUTES",
    "DROPPED_WITH_CONTENT",
    "TAGS",
    "URL_SCHEMES",
    "locate",
    "plain_markdown",
    "removed",
    "sanitise",
]

TAGS = frozenset(
    {
        # Blocks: Markdown, tables, definition lists, [TOC], footnotes, md_in_html.
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "br", "div"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("figure", "figcaption", "details", "summary"),
        # Inline: emphasis, code, links, images, abbreviations, footnote numbers.
        *("a", "img", "span", "em", "strong", "b", "i", "code", "kbd", "samp", "var"),
        *("abbr", "sup", "sub", "del", "ins", "mark", "s", "small", "q", "cite"),
    }
)
"""Elements kept; any other is removed and its text kept (but see :data:`DROPPED_WITH_CONTENT`)."""

DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template"})
"""Removed with everything inside: their content is code or markup, not text to read."""

ATTRIBUTES: dict[str, frozenset[str]] = {
    # Headings' and footnotes' anchors, code language and the extension's classes,
    # abbreviations' and footnote links' titles, text in another language.
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "span": frozenset({"data-figure"}),
}
"""Attributes kept, by element (``*``: on every element); any other is removed."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes kept in ``href`` and ``src``; relative URLs (``{static}/images/…``) are kept too."""

_URL_ATTRIBUTES = {"a": "href", "img": "src"}

RESERVED_IDS = frozenset(
    {
        *("lookup", "lookup-result", "lookup-status", "lookup-unsupported", "tracker-text"),
        *("code", "search", "search-q", "search-results", "search-status", "header-q", "main"),
    }
)
"""Ids the theme's scripts and skip link look elements up by: a staff element with one
of them could stand in for the lookup form or its result area, so it loses the id."""


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    return None if name == "id" and value in RESERVED_IDS else value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    # Markdown writes no rel; adding one would change every link of every page.
    link_rel=None,
    # Notes to other staff stay out of the published page.
    strip_comments=True,
    attribute_filter=_keep_attribute,
)


def sanitise(text: str) -> str:
    """``text`` (HTML) with everything outside the allowlist removed."""
    return _CLEANER.clean(text)


@dataclass(frozen=True)
class Removal:
    """One thing cleaning removes, and how to find where the Markdown source wrote it."""

    what: str
    """``<script> element``, ``onclick attribute on <a>``, ``javascript: link``."""
    needles: tuple[re.Pattern[str], ...]
    """Patterns for the source text, tried in turn."""


_MARKUP = re.compile(
    r"<[A-Za-z/!?]"  # raw HTML, comments, autolinks
    r"|&"  # character references, which can spell a scheme
    r"|\{"  # attribute lists ({: onclick=…}, and a stray {static} is one too)
    r"|:-|-:"  # a table column's alignment
)
_PLACEHOLDER = re.compile(r"(\]\s*[(:]\s*)\{(?:static|filename|attach|index|tag|category|author)\}")
"""Pelican's ``{static}`` and the like where a link's destination starts."""
_DESTINATION = re.compile(r"\]\s*[(:]\s*(?P<url>[^\s)]*)")
_PLAIN_URL = re.compile(rf"(?:{'|'.join(sorted(URL_SCHEMES))}):|[^:]*$", re.IGNORECASE)


def plain_markdown(text: str) -> bool:
    """True when Markdown ``text`` cannot produce markup outside the allowlist: no raw
    HTML, character reference, attribute list or column alignment, and every link's
    destination http, https, mailto or without a scheme. It errs towards False; the
    check renders only the pieces it says False of, which spares it most of the work."""
    text = _PLACEHOLDER.sub(r"\1", text)
    if _MARKUP.search(text):
        return False
    return all(_PLAIN_URL.match(m["url"]) for m in _DESTINATION.finditer(text))


def removed(text: str) -> list[Removal]:
    """What :func:`sanitise` removes from ``text`` (HTML), in document order."""
    finder = _Finder()
    finder.feed(text)
    finder.close()
    return finder.found


def locate(removals: Iterable[Removal], lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line number, what) for each removal, ``lines`` being the numbered source it was
    rendered from. A second ``<script>`` is looked for after the first one's line; what
    the source does not show (markup written with character references) gets the first line.
    """
    if not lines:
        return []
    lines = _without_code(lines)
    starts: dict[str, int] = {}  # after the last match of each pattern
    found = []
    for removal in removals:
        number = lines[0][0]
        for needle in removal.needles:
            at = _search(needle, lines, starts.get(needle.pattern, 0))
            if at is None:
                at = _search(needle, lines, 0)
            if at is not None:
                starts[needle.pattern] = at + 1
                number = lines[at][0]
                break
        found.append((number, removal.what))
    return found


_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def _without_code(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines with code blocks and code spans blanked: markup shown as code is text,
    and a guide that shows ``<script>`` as an example is not where a script was written."""
    kept, fenced = [], False
    for number, line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            kept.append((number, ""))
        else:
            kept.append((number, "" if fenced else _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)))
    return kept


def _search(needle: re.Pattern[str], lines: Sequence[tuple[int, str]], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if needle.search(lines[i][1])), None)


def _element(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<\s*{re.escape(tag)}(?![\w-])", re.IGNORECASE)


def _attribute(name: str) -> re.Pattern[str]:
    # In a tag, or in Markdown's attribute lists ({: onclick="…"}).
    return re.compile(
        rf"(?:<[^>]*?\s|\{{:?\s*|\{{[^}}]*?\s){re.escape(name)}(?![\w-])", re.IGNORECASE
    )


_ALIGNMENT = re.compile(r"\|\s*:-|-:\s*\|")
"""A table's delimiter row aligning a column (``| :--- |``): Markdown writes it as style."""


class _Finder(HTMLParser):
    """Walks rendered HTML and notes each element and attribute outside the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removal] = []
        self.inside: list[str] = []  # open elements dropped with their content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in DROPPED_WITH_CONTENT and tag not in self.CDATA_CONTENT_ELEMENTS:
            self.inside.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def parse_html_declaration(self, i: int) -> int:
        # Python 3.11's parser fails on "<![" that starts no marked section; HTML reads
        # it as a comment up to ">", which cleaning removes as it removes comments.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            return  # removed with its container, which is reported
        if tag not in TAGS:
            self.found.append(Removal(f"<{tag}> element", (_element(tag),)))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name == "id" and value in RESERVED_IDS:
                self.found.append(
                    Removal(f"id {value!r} on <{tag}> (the page's own)", (_attribute(name),))
                )
            elif name not in allowed:
                self.found.append(self._attribute(tag, name, value))
            elif name == _URL_ATTRIBUTES.get(tag) and value and not _url_kept(tag, name, value):
                self.found.append(_url(tag, name, value))

    @staticmethod
    def _attribute(tag: str, name: str, value: str | None) -> Removal:
        if name == "style" and tag in ("th", "td") and (value or "").startswith("text-align"):
            return Removal(
                "a table column's alignment (| :--- |, a style attribute)", (_ALIGNMENT,)
            )
        return Removal(f"{name} attribute on <{tag}>", (_attribute(name), _element(tag)))


def _url_kept(tag: str, name: str, value: str) -> bool:
    """Whether nh3 keeps this URL: the judge of schemes, spaces and character references."""
    probe = f'<{tag} {name}="{html.escape(value, quote=True)}">'
    return f"{name}=" in _CLEANER.clean(probe)


def _url(tag: str, name: str, value: str) -> Removal:
    # The scheme as a browser reads it: tabs and newlines anywhere, spaces around ignored.
    plain = re.sub(r"[\t\n\r]", "", value).strip("\x00 \x0b\x0c")
    scheme = plain.split(":", 1)[0].lower() if ":" in plain else ""
    kind = "link" if tag == "a" else "image"
    what = (
        f"{scheme}: {kind}" if re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) else f"{kind} {value!r}"
    )
    return Removal(what, (re.compile(re.escape(value)), _attribute(name), _element(tag)))
