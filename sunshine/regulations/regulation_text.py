"""A parsed regulation: its model, its cross-references and its JSON.

The model is :mod:`sunshine.regulations.regulation_model`; the parser that reads
a law's plain text into it is :mod:`sunshine.regulations.legislative_parser`
(both re-exported here, the one import the rest of the project needs).
Cross-references inside the text (本条例第三十一条第六项, 前款 …) are found and
resolved to anchors by :func:`references` (the grammar of such citations, which
needs no document, is in :mod:`sunshine.regulations.chinese_numerals`);
:func:`to_json` gives the whole model, references included, as plain JSON.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sunshine.regulations.chinese_numerals import (
    NUMERAL_CHARS,
    Provision,
    chinese_numeral,
    cited_provisions,
)
from sunshine.regulations.legislative_parser import parse
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

__all__ = [
    "Appendix",
    "Article",
    "Chapter",
    "Document",
    "Irregularity",
    "Item",
    "Paragraph",
    "Part",
    "Reference",
    "RegulationParseError",
    "Section",
    "Subpart",
    "chinese_numeral",
    "parse",
    "references",
    "to_json",
]

_N = f"[{NUMERAL_CHARS}]+"

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
        if text.startswith("之", end):  # 第二条之一: an inserted article, not 第二条
            pos = end
            continue
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

    def heading(part: Chapter | Section | Part) -> dict[str, Any]:
        return {
            "number": part.number,
            "title": part.title,
            "anchor": part.anchor,
            "articles": [a.number for a in part.articles],  # 第十条之一 is 10 here
            "article_anchors": [a.anchor for a in part.articles],
        }

    return {
        "reg_id": doc.reg_id,
        "title": doc.title,
        "promulgation": list(doc.promulgation),
        "preamble": list(doc.preamble),
        "parts": [
            {
                **heading(p),
                "subparts": [
                    {"number": s.number, "title": s.title, "anchor": s.anchor} for s in p.subparts
                ],
                "chapters": [c.anchor for c in p.chapters],
            }
            for p in doc.parts
        ],
        "chapters": [
            {
                **heading(c),
                "part": c.part,
                "subpart": c.subpart,
                "sections": [heading(s) for s in c.sections],
            }
            for c in doc.chapters
        ],
        "articles": [
            {
                "number": a.number,
                "insert": a.insert,
                "label": a.label,
                "anchor": a.anchor,
                "part": a.part,
                "chapter": a.chapter,
                "section": a.section,
                "paragraphs": [
                    {**text(p), "items": [text(i) for i in p.items]} for p in a.paragraphs
                ],
            }
            for a in doc.articles
        ],
        "appendices": [{"title": x.title, "lines": list(x.lines)} for x in doc.appendices],
        "irregularities": [asdict(note) for note in doc.irregularities],
    }
