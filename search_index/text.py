"""A page's words as search indexes and quotes them: its HTML as readable plain text.

Stripping the tags alone (``Markup.striptags``) runs the cells of a table and the
items of a list together ("登记转送15日第二十二条", "Registration15 days"), and
search results quote that text as their snippet. Here every block (paragraph,
heading, list item, table row) ends its text, a row or an item ends with a
semicolon (；in Chinese text), and the cells of a row are set apart by a middle
dot, so a snippet from a table reads as its rows do.

Written on the standard library's ``html.parser``: the content HTML has already
been cleaned to a small allowlist (:mod:`sunshine.content.sanitise`), so a
tolerant tokenizer is all it needs, and no parsing library joins the build.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["plain_text"]

BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    ]
)
CELLS = frozenset(("td", "th"))
CELL_SEPARATOR = " · "
ITEMS = frozenset(("tr", "li", "dt", "dd"))
ITEM_END = {"zh": "；", "en": ";"}
SKIPPED = frozenset(("script", "style", "template"))
# After one of these a block ends without a space: Chinese punctuation carries
# its own spacing, and "。 下一段" would show a stray gap.
_FULL_WIDTH_END = "。；：！？，、）」』》〕"
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")


class _Text(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.item_end = ITEM_END["en" if lang == "en" else "zh"]
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.cells_in_row = 0
        self.skipping = 0

    def _end_block(self, item: bool = False) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip()
        if text:
            ends = text[-1] in _FULL_WIDTH_END or text[-1] in ".;:!?"
            self.blocks.append(text + (self.item_end if item and not ends else ""))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in CELLS:
            if self.cells_in_row:
                self.current.append(CELL_SEPARATOR)
            self.cells_in_row += 1
        elif tag in BLOCKS:
            self._end_block()
            if tag == "tr":
                self.cells_in_row = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self._end_block(item=tag in ITEMS)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def text(self) -> str:
        self._end_block()
        out = ""
        for block in self.blocks:
            if out and out[-1] not in _FULL_WIDTH_END:
                out += " "
            out += block
        return out


def plain_text(html: str, lang: str) -> str:
    """The visible words of ``html`` (a page in ``lang``), one block after another,
    rows and items ended, table cells set apart."""
    parser = _Text(lang)
    parser.feed(html)
    parser.close()
    return parser.text()
