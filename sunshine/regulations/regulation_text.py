"""Parse the plain text of a regulation (法规) into chapters, articles, paragraphs, items.

The registry serves each regulation as plain text, structured only the way such
texts are: a title line, promulgation lines, ``第X章`` chapter lines, optional
``第X节`` section lines inside chapters, ``第X条`` articles whose first paragraph
(款) follows on the same line, further paragraphs on their own lines, and items
(项) numbered ``（一）（二）…``. Spacing and line endings vary between documents,
so every line is stripped and CRLF, CR and LF all end a line; blank lines carry
no meaning (each non-empty line is its own paragraph).

Numbering is checked rather than trusted: chapters, sections (per chapter),
articles (across the document) and items (per paragraph) must run 1, 2, 3 …, and
a :class:`RegulationParseError` names the line where they do not. Anchors are
built from these numbers (``ch-2``, ``ch-7-s1``, ``art-36-p2``, ``art-22-p1-i3``),
so a misread text must fail loudly rather than publish anchors that point at the
wrong provision. Cross-references inside the text (本条例第三十一条第六项, 前款 …)
are found and resolved to anchors by :func:`references` (the grammar of such
citations, which needs no document, is in :mod:`sunshine.regulations.chinese_numerals`);
:func:`to_json` gives the whole model, references included, as plain JSON.

Three things the real texts do that the simple description does not cover:

- a chapter title may wrap onto a second line (北京市信访条例, 第五章): text
  between a heading and the first article under it continues the heading;
- a paragraph may interrupt a list of items, the list resuming with the next
  number (信访条例 2005, Art. 21: a sentence between 项(三) and 项(四)); the
  sentence belongs to item (三), so that "前款第(二)项至第(四)项" in the next
  paragraph still means items of one paragraph;
- items may have sub-items numbered ``1．2．`` (目, 山东省信访条例 Art. 45); they
  stay in the text of their item, one per line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any, TypeVar

from sunshine.errors import SunshineError
from sunshine.regulations.chinese_numerals import (
    NUMERAL_CHARS,
    Provision,
    chinese_numeral,
    cited_provisions,
    render_chinese_numeral,
)

T = TypeVar("T")

# ASCII and ideographic spaces, no-break spaces, tabs and a byte-order mark all
# occur as indentation in texts copied from official sites.
_SPACE = " \t\u3000\u00a0\ufeff\f\v"
_N = f"[{NUMERAL_CHARS}]+"
_CHAPTER = re.compile(rf"第({_N})章[{_SPACE}]*(.*)")
_SECTION = re.compile(rf"第({_N})节[{_SPACE}]*(.*)")
# The space after 第X条 is required: a paragraph may well begin "第十条规定的…".
_ARTICLE = re.compile(rf"第({_N})条(?:[{_SPACE}]+(.*))?")
_ITEM = re.compile(rf"[（(]({_N})[）)][{_SPACE}]*(.*)")
_SUB_ITEM = re.compile(r"[0-9０-９]+[．.、]")
_ANCHOR = re.compile(r"art-([1-9]\d*)(?:-p([1-9]\d*)(?:-i([1-9]\d*))?)?")


class RegulationParseError(SunshineError, ValueError):
    """A text that does not have the structure of a regulation, at one line."""

    def __init__(self, reg_id: str, line_no: int, line: str, expected: str) -> None:
        super().__init__(f"{reg_id}: line {line_no}: expected {expected}, found {line!r}")
        self.reg_id = reg_id
        self.line_no = line_no
        self.line = line
        self.expected = expected


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    anchor: str  # art-N-pK-iM


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str  # the paragraph's own text; its items are separate
    items: list[Item]
    anchor: str  # art-N-pK

    @property
    def full_text(self) -> str:
        """The paragraph with its items, one per line."""
        return self.text + "".join("\n" + item.text for item in self.items)


@dataclass(frozen=True)
class Article:
    number: int
    paragraphs: list[Paragraph]
    chapter: int | None
    section: int | None
    anchor: str  # art-N

    @property
    def full_text(self) -> str:
        """The article's paragraphs and items, one per line."""
        return "\n".join(p.full_text for p in self.paragraphs)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    articles: list[Article]
    anchor: str  # ch-N-sM


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    sections: list[Section]
    articles: list[Article]  # all articles of the chapter, those in sections included
    anchor: str  # ch-N


@dataclass(frozen=True)
class Document:
    reg_id: str
    title: str
    promulgation: list[str]
    chapters: list[Chapter]
    articles: list[Article]  # all articles in order

    def article(self, n: int) -> Article | None:
        """Article ``n``; numbering is checked consecutive, so it is at index n - 1."""
        return _nth(self.articles, n)

    def find(self, anchor: str) -> Article | Paragraph | Item | None:
        """The article, paragraph or item with this anchor (art-N, art-N-pK, art-N-pK-iM)."""
        m = _ANCHOR.fullmatch(anchor)
        article = self.article(int(m[1])) if m else None
        if m is None or article is None or m[2] is None:
            return article
        paragraph = _nth(article.paragraphs, int(m[2]))
        if paragraph is None or m[3] is None:
            return paragraph
        return _nth(paragraph.items, int(m[3]))


def _nth(parts: list[T], number: int) -> T | None:
    """Part ``number`` (1-based) of a list whose numbering is checked consecutive."""
    return parts[number - 1] if 1 <= number <= len(parts) else None


class _Parser:
    """One pass over the lines. The model is filled in place as lines come (its
    lists are ordinary lists; only its fields are frozen), and nothing outside
    sees it before it is complete."""

    def __init__(self, reg_id: str) -> None:
        self.reg_id = reg_id
        self.title: str | None = None
        self.promulgation: list[str] = []
        self.chapters: list[Chapter] = []
        self.articles: list[Article] = []
        self.heading: str | None = None  # a heading line no article has followed yet

    def fail(self, line_no: int, line: str, expected: str) -> RegulationParseError:
        return RegulationParseError(self.reg_id, line_no, line, expected)

    def number(self, numeral: str, line_no: int, line: str, form: str, expected: int) -> int:
        """The numeral's value, checked to be ``expected``: numbering runs 1, 2, 3 …
        ``form`` shows the expected label, e.g. "第{}条"."""
        try:
            n = chinese_numeral(numeral)
        except ValueError:  # 第十十条: as wrong as a skipped number
            n = 0
        if n != expected:
            raise self.fail(line_no, line, form.format(render_chinese_numeral(expected)))
        return n

    def close_heading(self, line_no: int, line: str, section_ok: bool = False) -> None:
        """A heading needs an article before the next heading; only a chapter's first
        section may follow its heading directly (``section_ok``)."""
        if self.heading is not None and not section_ok:
            raise self.fail(line_no, line, f"an article under {self.heading!r}")

    def line(self, line_no: int, line: str) -> None:
        if self.title is None:
            self.title = line
        elif m := _CHAPTER.fullmatch(line):
            self.close_heading(line_no, line)
            n = self.number(m[1], line_no, line, "第{}章", len(self.chapters) + 1)
            self.chapters.append(Chapter(n, m[2], [], [], f"ch-{n}"))
            self.heading = line
        elif m := _SECTION.fullmatch(line):
            if not self.chapters:
                raise self.fail(line_no, line, "a chapter (第一章) before the first section")
            chapter = self.chapters[-1]
            self.close_heading(line_no, line, section_ok=not chapter.sections)
            n = self.number(m[1], line_no, line, "第{}节", len(chapter.sections) + 1)
            chapter.sections.append(Section(n, m[2], [], f"{chapter.anchor}-s{n}"))
            self.heading = line
        elif m := _ARTICLE.fullmatch(line):
            self.article(m[1], m[2] or "", line_no, line)
        elif self.heading is not None:
            # A heading wrapped onto a second line; the open heading is the
            # chapter's last section if it has one, else the chapter.
            chapter = self.chapters[-1]
            if chapter.sections:
                section = chapter.sections[-1]
                chapter.sections[-1] = replace(section, title=section.title + line)
            else:
                self.chapters[-1] = replace(chapter, title=chapter.title + line)
        elif not self.articles:
            self.promulgation.append(line)
        else:
            self.body(line_no, line)

    def article(self, numeral: str, text: str, line_no: int, line: str) -> None:
        n = self.number(numeral, line_no, line, "第{}条", len(self.articles) + 1)
        self.check_text(line_no, line)
        chapter = self.chapters[-1] if self.chapters else None
        section = chapter.sections[-1] if chapter and chapter.sections else None
        chapter_no = chapter.number if chapter else None
        article = Article(n, [], chapter_no, section.number if section else None, f"art-{n}")
        if text:
            article.paragraphs.append(Paragraph(1, text, [], f"art-{n}-p1"))
        self.articles.append(article)
        for part in (chapter, section):
            if part is not None:
                part.articles.append(article)
        self.heading = None

    def check_text(self, line_no: int, line: str) -> None:
        """The previous article, if any, must have had some text (第五条 alone is not one)."""
        if self.articles and not self.articles[-1].paragraphs:
            label = render_chinese_numeral(self.articles[-1].number)
            raise self.fail(line_no, line, f"the text of 第{label}条")

    def body(self, line_no: int, line: str) -> None:
        """A line inside an article: an item, a sub-item, or a new paragraph."""
        article = self.articles[-1]
        paras = article.paragraphs
        m = _ITEM.fullmatch(line)
        if m is None:
            if paras and paras[-1].items and _SUB_ITEM.match(line):
                _extend_item(paras[-1], [line])
            else:
                k = len(paras) + 1
                paras.append(Paragraph(k, line, [], f"{article.anchor}-p{k}"))
            return
        if not paras:
            raise self.fail(line_no, line, "the article's text before its items")
        try:
            n = chinese_numeral(m[1])
        except ValueError:
            n = 0
        para = paras[-1]
        if n != len(para.items) + 1:
            # The list resumes after text that interrupted it: that text continues
            # the last item of the nearest earlier list (see the module docstring).
            last = max((i for i, p in enumerate(paras) if p.items), default=None)
            if last is None or n != len(paras[last].items) + 1:
                want = render_chinese_numeral(len(para.items) + 1)
                raise self.fail(line_no, line, f"item （{want}）")
            para = paras[last]
            _extend_item(para, [p.text for p in paras[last + 1 :]])
            del paras[last + 1 :]
        para.items.append(Item(n, m[2], f"{para.anchor}-i{n}"))

    def finish(self, line_no: int, line: str) -> Document:
        if self.title is None:
            raise self.fail(line_no, line, "a title line")
        if not self.articles:
            raise self.fail(line_no, line, "an article (第一条) before the end of the text")
        self.close_heading(line_no, line)
        self.check_text(line_no, line)
        return Document(self.reg_id, self.title, self.promulgation, self.chapters, self.articles)


def _extend_item(paragraph: Paragraph, lines: list[str]) -> None:
    """Add lines (sub-items, interrupting text) to the paragraph's last item."""
    last = paragraph.items[-1]
    paragraph.items[-1] = replace(last, text="\n".join([last.text, *lines]))


def parse(text: str, reg_id: str) -> Document:
    """The document model of a regulation's plain text; RegulationParseError if malformed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parser = _Parser(reg_id)
    for line_no, raw in enumerate(lines, 1):
        line = raw.strip(_SPACE)
        if line:
            parser.line(line_no, line)
    # Whatever is still missing at the end is missing at the last line.
    return parser.finish(len(lines), lines[-1].strip(_SPACE))


# --- Cross-references -------------------------------------------------------

# A reference starts with an optional name of the document (本条例, or a 《title》
# that may be another law's) and goes on with a list of provisions, which
# cited_provisions() reads: 第二十条、第二十六条; 本条第一款第一项; 前两款 …
_START = re.compile(
    rf"(?:《(?P<title>[^《》]*)》|本条例|本法|本规定|本办法|本细则|本规则)?"
    rf"(?P<at>第{_N}[条款项]|本条(?=第{_N}款)|(?<!提)前[二三两四五]?款)"
)
# Provisions named right after another law (该法第十条, 行政复议法第九条) or
# after an article named before (该条第二款) are not this text's own.
_NOT_OURS_BEFORE = re.compile(r"(?:法|条例|办法|细则|规则|该规定|该决定|该条|同条|该款|同款)$")


@dataclass(frozen=True)
class Reference:
    start: int  # character offsets into the paragraph's or item's text
    end: int
    text: str
    targets: list[str]  # anchors, in the order the text names them


def _resolve(doc: Document, spec: Provision) -> str | None:
    """The anchor a spec names, or None if the document has no such part."""
    art, para, item = spec
    if para is None and item is not None:
        article = doc.article(art)
        lists = [p.number for p in article.paragraphs if p.items] if article else []
        if not lists:
            return None
        para = lists[0]
    anchor = f"art-{art}" + (f"-p{para}" if para is not None else "")
    anchor += f"-i{item}" if item is not None else ""
    return anchor if doc.find(anchor) is not None else None


def _scan(doc: Document, text: str, art: int, para: int) -> list[Reference]:
    found: list[Reference] = []
    pos = 0
    while m := _START.search(text, pos):
        try:
            chain = cited_provisions(text, m.start("at"), art, para)
        except ValueError:  # a malformed numeral: not a reference
            chain = None
        if chain is None:
            pos = m.end()
            continue
        end, specs = chain
        start, title = m.start(), m["title"]
        if title is not None:
            ours = title.strip() == doc.title
        else:
            ours = text[start] != "第" or not _NOT_OURS_BEFORE.search(text, 0, start)
        targets = list(dict.fromkeys(t for s in specs if (t := _resolve(doc, s))))
        if ours and targets:
            found.append(Reference(start, end, text[start:end], targets))
        pos = end
    return found


def references(doc: Document) -> dict[str, list[Reference]]:
    """Resolved cross-references, keyed by the anchor of the paragraph or item naming them."""
    out: dict[str, list[Reference]] = {}
    for article in doc.articles:
        for p in article.paragraphs:
            for anchor, text in [(p.anchor, p.text)] + [(i.anchor, i.text) for i in p.items]:
                if refs := _scan(doc, text, article.number, p.number):
                    out[anchor] = refs
    return out


def to_json(doc: Document) -> dict[str, Any]:
    """The document model as plain JSON data, with each text's resolved references."""
    refs = references(doc)

    def text(part: Paragraph | Item) -> dict[str, Any]:
        found = [asdict(r) for r in refs.get(part.anchor, [])]
        return {
            "number": part.number,
            "anchor": part.anchor,
            "text": part.text,
            "references": found,
        }

    def heading(part: Chapter | Section) -> dict[str, Any]:
        numbers = [a.number for a in part.articles]
        return {
            "number": part.number,
            "title": part.title,
            "anchor": part.anchor,
            "articles": numbers,
        }

    return {
        "reg_id": doc.reg_id,
        "title": doc.title,
        "promulgation": list(doc.promulgation),
        "chapters": [
            {**heading(c), "sections": [heading(s) for s in c.sections]} for c in doc.chapters
        ],
        "articles": [
            {
                "number": a.number,
                "anchor": a.anchor,
                "chapter": a.chapter,
                "section": a.section,
                "paragraphs": [
                    {**text(p), "items": [text(i) for i in p.items]} for p in a.paragraphs
                ],
            }
            for a in doc.articles
        ],
    }
