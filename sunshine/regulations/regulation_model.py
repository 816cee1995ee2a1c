"""The model of a parsed law or regulation: parts down to items, and its irregularities.

Chinese legislative texts nest 编 (part) › 分编 (sub-part) › 章 (chapter) › 节
(section) › 条 (article) › 款 (paragraph) › 项 (item); 目 (sub-items, ``1．``) stay
in the text of their item. Every level but the article is optional. Chapters
number afresh in each part, so anchors carry the part (``part-1-ch-2``);
inserted articles (第十条之一) are anchored ``art-10-1``.

The parser publishes irregular texts rather than refusing them, so the model
carries what was irregular (:class:`Irregularity`: a skipped or repeated number,
an article before any chapter, a line it did not understand) with the line it
was found on, for the page and the build's report to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sunshine.errors import SunshineError
from sunshine.regulations.chinese_numerals import render_chinese_numeral

IRREGULARITY_KINDS = (
    "skipped",  # an article number skipped: 第一条 then 第三条
    "repeated",  # an article number that has come before
    "out-of-order",  # an article number lower than the one before, not seen before
    "heading-number",  # a part, chapter or section number skipped, repeated or out of order
    "before-chapter",  # an article before the first chapter of a text that has chapters
    "empty-heading",  # a heading with no article under it
    "empty-article",  # an article label with no text
    "item-number",  # an item number that does not follow the one before
    "unknown-line",  # a line of no known shape where it stands, kept as text
)


class RegulationParseError(SunshineError, ValueError):
    """A text that cannot be published at all (no title, no article), at one line."""

    def __init__(self, reg_id: str, line_no: int, line: str, expected: str) -> None:
        super().__init__(f"{reg_id}: line {line_no}: expected {expected}, found {line!r}")
        self.reg_id = reg_id
        self.line_no = line_no
        self.line = line
        self.expected = expected


@dataclass(frozen=True)
class Irregularity:
    line_no: int
    kind: str  # one of IRREGULARITY_KINDS
    text: str  # the line as it stands in the text
    expected: str = ""  # what a regular text would have had there (第二条), if known

    def message(self) -> str:
        """One line for the build's report."""
        want = f" (expected {self.expected})" if self.expected else ""
        return f"line {self.line_no}: {self.kind}{want}: {self.text}"


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    anchor: str  # art-N-pK-iM


@dataclass
class Paragraph:
    number: int
    text: str  # the paragraph's own text; its items are separate
    items: list[Item]
    anchor: str  # art-N-pK

    @property
    def full_text(self) -> str:
        """The paragraph with its items, one per line."""
        return "\n".join(filter(None, [self.text, *(item.text for item in self.items)]))


@dataclass
class Article:
    number: int
    paragraphs: list[Paragraph]
    chapter: int | None
    section: int | None
    anchor: str  # art-N, art-N-M for 第N条之M
    insert: int | None = None  # M of 第N条之M
    part: int | None = None
    depth: int = 0  # headings around it (part, sub-part, chapter, section): its heading level

    @property
    def label(self) -> str:
        """第十条, 第十条之一."""
        label = f"第{render_chinese_numeral(self.number)}条"
        return label + (f"之{render_chinese_numeral(self.insert)}" if self.insert else "")

    @property
    def number_label(self) -> str:
        """10, 10-1: the number in Arabic digits, for English pages."""
        return f"{self.number}" + (f"-{self.insert}" if self.insert else "")

    @property
    def full_text(self) -> str:
        """The article's paragraphs and items, one per line."""
        return "\n".join(p.full_text for p in self.paragraphs)


@dataclass
class Section:
    number: int
    title: str
    articles: list[Article]
    anchor: str  # ch-N-sM, part-P-ch-N-sM
    depth: int = 1


@dataclass
class Chapter:
    number: int
    title: str
    sections: list[Section]
    articles: list[Article]  # all articles of the chapter, those in sections included
    anchor: str  # ch-N, part-P-ch-N
    part: int | None = None
    subpart: int | None = None
    depth: int = 0


@dataclass
class Subpart:
    number: int
    title: str
    anchor: str  # part-P-sub-M
    depth: int = 1


@dataclass
class Part:
    number: int
    title: str
    anchor: str  # part-P
    chapters: list[Chapter] = field(default_factory=list)
    subparts: list[Subpart] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # all, those in chapters included


@dataclass
class Appendix:
    title: str  # the line naming it: 附件一 …, 附录
    lines: list[str]


@dataclass(frozen=True)
class Document:
    reg_id: str
    title: str
    promulgation: list[str]
    chapters: list[Chapter]  # every chapter, in order, across parts
    articles: list[Article]  # all articles in order
    parts: list[Part] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)  # the text's own 目录 lines, skipped
    irregularities: list[Irregularity] = field(default_factory=list)

    @cached_property
    def _by_key(self) -> dict[tuple[int, int | None], Article]:
        found: dict[tuple[int, int | None], Article] = {}
        for article in self.articles:
            found.setdefault((article.number, article.insert), article)  # a repeat: the first
        return found

    @cached_property
    def _by_anchor(self) -> dict[str, Article | Paragraph | Item]:
        found: dict[str, Article | Paragraph | Item] = {}
        for article in self.articles:
            found[article.anchor] = article
            for paragraph in article.paragraphs:
                found[paragraph.anchor] = paragraph
                found.update((item.anchor, item) for item in paragraph.items)
        return found

    def article(self, n: int, insert: int | None = None) -> Article | None:
        """Article ``n`` (第N条之``insert``); the first of them if the number repeats."""
        return self._by_key.get((n, insert))

    def find(self, anchor: str) -> Article | Paragraph | Item | None:
        """The article, paragraph or item with this anchor (art-N, art-N-pK, art-N-pK-iM)."""
        return self._by_anchor.get(anchor)

    def loose_articles(self) -> list[Article]:
        """Articles outside any part and chapter (a text without chapters, or irregular)."""
        return [a for a in self.articles if a.part is None and a.chapter is None]
