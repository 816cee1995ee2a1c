"""Citations and live figures in staff Markdown (a python-markdown extension).

Staff type ``[[2022:34]]`` (Article 34 of the 2022 Regulations), ``[[2022:23.3]]``
(Article 23, paragraph 3) or ``[[2022:31.1.6]]`` (Article 31, paragraph 1, item
6), and ``[[fuyi:10-1]]`` for an inserted article (第十条之一); the name before
the colon is a short name from :data:`sunshine.regulations.collection.ALIASES` or
a full reg_id. Each renders as a link to
the part's anchor on the regulation's page, and the cited text follows the
paragraph in a ``<details>`` box, readable without JavaScript.

An article of the Regulations on Petition Work (:data:`PRINCIPAL`, what the site is
about) is cited by its number alone (第三十四条, Art. 34), as the guides cite it
throughout; an article of any other text carries that text's short title
(《浙江省信访条例》第三十条; Zhejiang Province Regulations on Letters and Visits,
Art. 30), so a reader can tell which law it is.

``[[fig:NAME]]`` inserts a live figure; :data:`FIGURES` is the hook where the
statistics code registers the figures it can give.

A citation of a regulation or part that does not exist, or of an unknown figure,
stops the build: the error names the line, and Pelican names the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from sunshine.config import load_settings
from sunshine.errors import SunshineError
from sunshine.regulations.chinese_numerals import render_chinese_numeral
from sunshine.regulations.collection import ALIASES, Regulation, RegulationSet, load

CITATION = re.compile(r"\[\[(?!fig:)(?P<reg>[A-Za-z0-9-]+):(?P<ref>\d+(?:-\d+)?(?:\.\d+){0,2})\]\]")
FIGURE = re.compile(r"\[\[fig:(?P<name>[a-z0-9_]+)\]\]")

PRINCIPAL = ALIASES["2022"]
"""The regulation cited by article number alone."""
_REVISION = re.compile(r"[（(][^（）()]*(?:\d|修订|修正|修改)[^（）()]*[）)]")
_STATE = "中华人民共和国"

FIGURES: dict[str, Callable[[str], str]] = {}
"""Live figures by name: each takes the language (``zh``/``en``) and returns the text."""


class CitationError(SunshineError, ValueError):
    """A citation or figure in staff Markdown that cannot be resolved.

    ``key`` and ``values`` say what is wrong for the content checks, which tell it
    in the writer's language (``sunshine.content.messages``); the text itself is
    English, for the build's own check when no content check ran first."""

    def __init__(self, message: str, key: str = "", **values: Any) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


def parse_ref(ref: str) -> tuple[list[int], int | None]:
    """``31.1.6`` → ([31, 1, 6], None); ``10-1.2`` (第十条之一第二款) → ([10, 2], 1)."""
    head, *rest = ref.split(".")
    article, _, insert = head.partition("-")
    return [int(article), *(int(n) for n in rest)], int(insert) if insert else None


def label(numbers: list[int], lang: str, insert: int | None = None) -> str:
    """第三十一条第一款第六项 in Chinese; Art. 31(1), item 6 in English; an inserted
    article 第十条之一 / Art. 10-1."""
    if lang == "en":
        text = f"Art. {numbers[0]}" + (f"-{insert}" if insert else "")
        if len(numbers) > 1:
            text += f"({numbers[1]})"
        if len(numbers) > 2:
            text += f", item {numbers[2]}"
        return text
    parts = [
        f"第{render_chinese_numeral(n)}{unit}" for n, unit in zip(numbers, "条款项", strict=False)
    ]
    if insert:
        parts[0] += f"之{render_chinese_numeral(insert)}"
    return "".join(parts)


def short_title(regulation: Regulation, lang: str) -> str:
    """The title a citation names a text by. The registry's metadata carries none
    (``RegulationMeta`` in its contract), so it is the title as cited in Chinese
    legal writing: without a revision's or date's parenthesis ("（2023年修订）")
    and without the state's name before a national law (中华人民共和国行政复议法 →
    行政复议法); in English, the text's English title."""
    if lang == "en":
        return regulation.title("en")
    title = _REVISION.sub("", regulation.title("zh")).strip()
    return title.removeprefix(_STATE) if len(title) > len(_STATE) + 1 else title


def cited(regulation: Regulation, numbers: list[int], lang: str, insert: int | None = None) -> str:
    """The link text of a citation: :func:`label`, after the short title of any text
    but :data:`PRINCIPAL`."""
    text = label(numbers, lang, insert)
    if regulation.reg_id == PRINCIPAL:
        return text
    name = short_title(regulation, lang)
    return f"{name}, {text}" if lang == "en" else f"《{name}》{text}"


def resolve(regulations: RegulationSet, reg: str, ref: str) -> tuple[str, str, str]:
    """(reg_id, anchor, cited text) for a citation, or CitationError saying what is missing."""
    regulation = regulations.get(reg)
    if regulation is None:
        ids = sorted({*(r.reg_id for r in regulations.regulations)})
        known = ", ".join(ids) or "none"
        raise CitationError(
            f"no regulation '{reg}' (in the store: {known}; run `invoke fetch`?)",
            "cite-no-regulation",
            reg=reg,
            known_ids=ids,
        )
    if regulation.document is None:
        raise CitationError(
            f"regulation '{reg}' could not be parsed: {regulation.error}",
            "cite-unparsed",
            reg=reg,
            error=regulation.error,
        )
    numbers, insert = parse_ref(ref)
    article = regulation.document.article(numbers[0], insert)
    typed = ref.split(".")[0]  # 34, or 10-1 for 第十条之一
    if article is None:
        count = len(regulation.document.articles)
        raise CitationError(
            f"'{reg}' has no Article {typed} (it has {count})",
            "cite-no-article",
            reg=reg,
            article=typed,
            count=count,
        )
    part: Any = article
    text = article.full_text
    if len(numbers) > 1:
        if not 0 < numbers[1] <= len(article.paragraphs):
            raise CitationError(
                f"Article {typed} of '{reg}' has no paragraph {numbers[1]} "
                f"(it has {len(article.paragraphs)})",
                "cite-no-paragraph",
                reg=reg,
                article=typed,
                paragraph=numbers[1],
                count=len(article.paragraphs),
            )
        part = article.paragraphs[numbers[1] - 1]
        text = part.full_text
    if len(numbers) > 2:
        if not 0 < numbers[2] <= len(part.items):
            raise CitationError(
                f"Article {typed} paragraph {numbers[1]} of '{reg}' has no item "
                f"{numbers[2]} (it has {len(part.items)})",
                "cite-no-item",
                reg=reg,
                article=typed,
                paragraph=numbers[1],
                item=numbers[2],
                count=len(part.items),
            )
        part = part.items[numbers[2] - 1]
        text = part.text
    return regulation.reg_id, part.anchor, text


class _Check(Preprocessor):
    """Resolve every citation and figure before rendering, so an error names its line."""

    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(lines, start=1):
            for match in CITATION.finditer(line):
                try:
                    resolve(self.extension.regulations(), match["reg"], match["ref"])
                except CitationError as error:
                    raise CitationError(f"line {number}: {match[0]}: {error}") from None
            for match in FIGURE.finditer(line):
                if match["name"] not in FIGURES:
                    known = ", ".join(sorted(FIGURES)) or "none yet"
                    raise CitationError(
                        f"line {number}: {match[0]}: no live figure '{match['name']}' "
                        f"(known: {known})"
                    )
        return lines


def _lang(md: Markdown) -> str:
    meta = getattr(md, "Meta", {}) or {}
    return "en" if (meta.get("lang") or ["zh"])[0] == "en" else "zh"


class _Cite(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        regulations = self.extension.regulations()
        reg_id, anchor, text = resolve(regulations, m["reg"], m["ref"])
        lang = _lang(self.md)
        numbers, insert = parse_ref(m["ref"])
        link = etree.Element(
            "a", {"class": "cite", "href": self.extension.href(reg_id, anchor, lang)}
        )
        regulation = regulations.get(reg_id)
        assert regulation is not None  # resolve found it
        # Registry text (a title, an article): AtomicString, so Markdown reads no markup in it.
        link.text = AtomicString(cited(regulation, numbers, lang, insert))
        link.set("data-cite-text", text)
        return link, m.start(0), m.end(0)


class _Figure(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        span = etree.Element("span", {"class": "live-figure", "data-figure": m["name"]})
        span.text = FIGURES[m["name"]](_lang(self.md))
        return span, m.start(0), m.end(0)


class _Details(Treeprocessor):
    """After each block with citations, the cited texts in <details> boxes."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in reversed(list(enumerate(parent))):
                cites = [a for a in child.iter("a") if "data-cite-text" in a.attrib]
                if not cites or child.tag == "a":
                    continue
                seen: dict[str, etree.Element] = {}
                for cite in cites:
                    text = cite.attrib.pop("data-cite-text")
                    if cite.text not in seen:
                        box = etree.Element("details", {"class": "cite-text"})
                        summary = etree.SubElement(box, "summary")
                        summary.text = AtomicString(cite.text or "")
                        quote = etree.SubElement(box, "blockquote")
                        quote.text = AtomicString(text)
                        seen[cite.text or ""] = box
                for offset, box in enumerate(seen.values(), start=1):
                    parent.insert(index + offset, box)


class CitationExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "siteurl": ["", "URL prefix of the main (Chinese) site"],
            "var_path": ["", "The state folder with the store (default: from the settings)"],
        }
        super().__init__(**kwargs)

    def regulations(self) -> RegulationSet:
        # Asked for every citation: the folder comes from the extension's
        # configuration when given, as reading the settings costs a millisecond.
        var_path = self.getConfig("var_path")
        return load(Path(var_path) if var_path else load_settings().var_path)

    def href(self, reg_id: str, anchor: str, lang: str) -> str:
        prefix = self.getConfig("siteurl") + ("/en" if lang == "en" else "")
        return f"{prefix}/regulations/{reg_id}/#{anchor}"

    def extendMarkdown(self, md: Markdown) -> None:
        # Before Meta (priority 27) removes the front matter, so line numbers are the file's.
        md.preprocessors.register(_Check(md, self), "citation-check", 30)
        md.inlinePatterns.register(_Cite(CITATION.pattern, md, self), "citation", 175)
        md.inlinePatterns.register(_Figure(FIGURE.pattern, md), "live-figure", 174)
        md.treeprocessors.register(_Details(md), "citation-details", 5)


def makeExtension(**kwargs: Any) -> CitationExtension:
    return CitationExtension(**kwargs)
