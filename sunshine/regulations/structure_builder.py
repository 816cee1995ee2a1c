"""Place classified lines of a legislative text into the model, noting irregularities.

:mod:`sunshine.regulations.legislative_parser` classifies each line; the
:class:`StructureBuilder` here decides where it belongs: the front matter (title,
promulgation lines, a table of contents, a preamble), a heading, an article, a
paragraph or item of the current article, or an appendix. Numbers are checked
against what a regular text would have and kept as written; every deviation is
an :class:`~sunshine.regulations.regulation_model.Irregularity` with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sunshine.regulations.chinese_numerals import render_chinese_numeral as numeral
from sunshine.regulations.regulation_model import (
    Appendix,
    Article,
    Chapter,
    Document,
    Irregularity,
    Item,
    Paragraph,
    Part,
    RegulationParseError,
    Section,
    Subpart,
)

_RANK = {"part": 0, "subpart": 1, "chapter": 2, "section": 3}
_UNIT = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}


@dataclass(frozen=True)
class Line:
    """A classified line: ``kind``, its numbers if it has any, and its text."""

    kind: str  # part subpart chapter section article item sub-item contents preamble appendix text
    number: int = 0
    insert: int | None = None
    text: str = ""
    bad_label: bool = False  # text that looks like a label with a malformed numeral


def _compact(line: str) -> str:
    return "".join(line.split()).replace("\u3000", "")


class StructureBuilder:
    """One pass over the lines. The model is filled in place as lines come, and
    nothing outside sees it before :meth:`finish`."""

    def __init__(self, reg_id: str) -> None:
        self.reg_id = reg_id
        self.title: str | None = None
        self.promulgation: list[str] = []
        self.preamble: list[str] | None = None  # a list once 序言 has been seen
        self.contents: list[str] | None = None  # a list while inside a 目录
        self.contents_done: list[str] = []
        self.parts: list[Part] = []
        self.chapters: list[Chapter] = []
        self.articles: list[Article] = []
        self.appendices: list[Appendix] = []
        self.notes: list[Irregularity] = []
        self.part: Part | None = None
        self.subpart: Subpart | None = None
        self.chapter: Chapter | None = None
        self.section: Section | None = None
        self.anchors: set[str] = set()
        self.article_lines: dict[str, tuple[int, str]] = {}  # anchor → (line_no, line)
        # The last heading no article has followed yet: (rank, line_no, line, object).
        self.open: tuple[int, int, str, Part | Subpart | Chapter | Section] | None = None

    def note(self, line_no: int, kind: str, line: str, expected: str = "") -> None:
        self.notes.append(Irregularity(line_no, kind, line, expected))

    def unique(self, anchor: str) -> str:
        """The anchor, or with ``-r2``, ``-r3`` … if a repeated number has taken it."""
        candidate, k = anchor, 1
        while candidate in self.anchors:
            k += 1
            candidate = f"{anchor}-r{k}"
        self.anchors.add(candidate)
        return candidate

    # --- Dispatch ---------------------------------------------------------------

    def line(self, line_no: int, text: str, line: Line) -> None:
        if self.title is None:
            self.title = text
        elif self.appendices:  # everything after an appendix begins is appendix text
            if line.kind == "appendix":
                self.appendices.append(Appendix(text, []))
            else:
                self.appendices[-1].lines.append(text)
        elif self.contents is not None and self.in_contents(text, line):
            pass
        elif line.kind == "contents" and not self.articles and not self.chapters:
            self.contents = []
        elif line.kind == "preamble" and not self.articles and not self.chapters:
            self.preamble = []
        elif line.kind == "appendix" and self.articles:
            self.appendices.append(Appendix(text, []))
        elif line.kind in _RANK:
            self.heading(line_no, text, line)
        elif line.kind == "article":
            self.article(line_no, text, line)
        elif self.open is not None and line.kind == "text" and not line.bad_label:
            self.continue_heading(text)
        elif not self.articles:
            if line.bad_label or self.chapters or self.parts:
                self.note(line_no, "unknown-line", text)
            target = self.preamble if self.preamble is not None else self.promulgation
            target.append(text)
        else:
            if line.bad_label:
                self.note(line_no, "unknown-line", text)
            self.body(line_no, text, line)

    def in_contents(self, text: str, line: Line) -> bool:
        """Whether a line belongs to the table of contents (and is skipped). The
        contents end when their first entry comes again, or at a line no heading."""
        assert self.contents is not None
        heading_like = line.kind in _RANK or line.kind in ("preamble", "appendix")
        if heading_like and (not self.contents or _compact(text) != self.contents[0]):
            self.contents.append(_compact(text))
            return True
        self.contents_done = self.contents
        self.contents = None
        return False

    # --- Headings ---------------------------------------------------------------

    def heading(self, line_no: int, text: str, line: Line) -> None:
        rank = _RANK[line.kind]
        if self.open is not None and self.open[0] >= rank:
            self.note(self.open[1], "empty-heading", self.open[2])
        siblings: list[Part | Subpart | Chapter | Section]
        if line.kind == "part":
            siblings = list(self.parts)
        elif line.kind == "subpart":
            siblings = list(self.part.subparts) if self.part else []
        elif line.kind == "chapter":
            siblings = list(self.part.chapters if self.part else self.chapters)
        else:
            if self.chapter is None:
                self.note(line_no, "unknown-line", text, "第一章")
                self.body_or_front(line_no, text)
                return
            siblings = list(self.chapter.sections)
        expected = siblings[-1].number + 1 if siblings else 1
        if line.number != expected:
            self.note(line_no, "heading-number", text, f"第{numeral(expected)}{_UNIT[line.kind]}")
        n, title = line.number, line.text
        prefix = self.part.anchor + "-" if self.part else ""
        obj: Part | Subpart | Chapter | Section
        if line.kind == "part":
            obj = self.part = Part(n, title, self.unique(f"part-{n}"))
            self.parts.append(obj)
            self.subpart = self.chapter = self.section = None
        elif line.kind == "subpart":
            if self.part is None:  # a 分编 outside any 编: noted, read as a part
                self.note(line_no, "unknown-line", text)
                self.heading(line_no, text, replace(line, kind="part"))
                return
            obj = self.subpart = Subpart(n, title, self.unique(f"{prefix}sub-{n}"))
            self.part.subparts.append(obj)
            self.chapter = self.section = None
        elif line.kind == "chapter":
            depth = (self.part is not None) + (self.subpart is not None)
            obj = self.chapter = Chapter(
                n, title, [], [], self.unique(f"{prefix}ch-{n}"),
                self.part.number if self.part else None,
                self.subpart.number if self.subpart else None,
                depth,
            )  # fmt: skip
            self.chapters.append(obj)
            if self.part is not None:
                self.part.chapters.append(obj)
            self.section = None
        else:
            assert self.chapter is not None
            anchor = self.unique(f"{self.chapter.anchor}-s{n}")
            obj = self.section = Section(n, title, [], anchor, self.chapter.depth + 1)
            self.chapter.sections.append(obj)
        self.open = (rank, line_no, text, obj)

    def continue_heading(self, text: str) -> None:
        """A heading wrapped onto a second line."""
        assert self.open is not None
        heading = self.open[3]
        heading.title += text

    def body_or_front(self, line_no: int, text: str) -> None:
        if self.articles:
            self.body(line_no, text, Line("text", text=text))
        else:
            self.promulgation.append(text)

    # --- Articles ---------------------------------------------------------------

    def article(self, line_no: int, text: str, line: Line) -> None:
        self.check_numbering(line_no, text, line)
        if self.articles and not self.articles[-1].paragraphs:
            self.note(self.article_lines[self.articles[-1].anchor][0], "empty-article",
                      self.article_lines[self.articles[-1].anchor][1])  # fmt: skip
        n, insert = line.number, line.insert
        base = f"art-{n}" + (f"-{insert}" if insert else "")
        depth = sum(x is not None for x in (self.part, self.subpart, self.chapter, self.section))
        article = Article(
            n, [],
            self.chapter.number if self.chapter else None,
            self.section.number if self.section else None,
            self.unique(base), insert,
            self.part.number if self.part else None,
            depth,
        )  # fmt: skip
        if line.text:
            article.paragraphs.append(Paragraph(1, line.text, [], f"{article.anchor}-p1"))
        self.articles.append(article)
        for holder in (self.part, self.chapter, self.section):
            if holder is not None:
                holder.articles.append(article)
        self.article_lines[article.anchor] = (line_no, text)
        self.open = None

    def check_numbering(self, line_no: int, text: str, line: Line) -> None:
        key = (line.number, line.insert or 0)
        seen = {(a.number, a.insert or 0) for a in self.articles}
        if self.articles:
            last = self.articles[-1]
            if line.insert:
                expected = (last.number, (last.insert or 0) + 1)
            else:
                expected = (last.number + 1, 0)
        else:
            expected = (1, 0)
        if key == expected:
            return
        label = f"第{numeral(expected[0])}条" + (f"之{numeral(expected[1])}" if expected[1] else "")
        if key in seen:
            self.note(line_no, "repeated", text, label)
        elif key > expected:
            self.note(line_no, "skipped", text, label)
        else:
            self.note(line_no, "out-of-order", text, label)

    def body(self, line_no: int, text: str, line: Line) -> None:
        """A line inside an article: an item, a sub-item, or a new paragraph."""
        article = self.articles[-1]
        paras = article.paragraphs
        if line.kind == "sub-item" and paras and paras[-1].items:
            _extend_item(paras[-1], [text])
            return
        if line.kind != "item":
            k = len(paras) + 1
            paras.append(Paragraph(k, text, [], f"{article.anchor}-p{k}"))
            return
        n = line.number
        if not paras:  # items straight after the label: a paragraph with no text of its own
            paras.append(Paragraph(1, "", [], f"{article.anchor}-p1"))
        para = paras[-1]
        if n != len(para.items) + 1:
            # The list resumes after text that interrupted it: that text continues
            # the last item of the nearest earlier list (see the module docstring).
            last = max((i for i, p in enumerate(paras) if p.items), default=None)
            if last is not None and n == len(paras[last].items) + 1 and n > 1:
                para = paras[last]
                _extend_item(para, [p.text for p in paras[last + 1 :]])
                del paras[last + 1 :]
            elif n == 1 or any(i.number == n for i in para.items):
                # A list restarting inside the paragraph: a new paragraph holds it.
                self.note(line_no, "item-number", text, f"（{numeral(len(para.items) + 1)}）")
                k = len(paras) + 1
                para = Paragraph(k, "", [], f"{article.anchor}-p{k}")
                paras.append(para)
            else:
                self.note(line_no, "item-number", text, f"（{numeral(len(para.items) + 1)}）")
        para.items.append(Item(n, line.text, f"{para.anchor}-i{n}"))

    # --- End --------------------------------------------------------------------

    def finish(self, line_no: int, line: str) -> Document:
        if self.title is None:
            raise RegulationParseError(self.reg_id, line_no, line, "a title line")
        if not self.articles:
            raise RegulationParseError(
                self.reg_id, line_no, line, "an article (第一条) before the end of the text"
            )
        if self.open is not None:
            self.note(self.open[1], "empty-heading", self.open[2])
        if not self.articles[-1].paragraphs:
            self.note(*self.article_lines[self.articles[-1].anchor][:1], "empty-article",
                      self.article_lines[self.articles[-1].anchor][1])  # fmt: skip
        if self.chapters or self.parts:
            # Only now is it known that the text has chapters: a missing first heading.
            for article in self.articles:
                if article.chapter is None and article.part is None:
                    at, text = self.article_lines[article.anchor]
                    self.note(at, "before-chapter", text, "第一章")
        self.notes.sort(key=lambda note: note.line_no)
        return Document(
            self.reg_id,
            self.title,
            self.promulgation,
            self.chapters,
            self.articles,
            parts=self.parts,
            preamble=self.preamble or [],
            appendices=self.appendices,
            contents=self.contents_done or self.contents or [],
            irregularities=self.notes,
        )


def _extend_item(paragraph: Paragraph, lines: list[str]) -> None:
    """Add lines (sub-items, interrupting text) to the paragraph's last item."""
    last = paragraph.items[-1]
    paragraph.items[-1] = replace(last, text="\n".join([last.text, *lines]))
