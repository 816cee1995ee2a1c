"""Collect: the documents search covers, from the built content and the store.

Guides (Pelican pages with ``kind: guide``) and explainers (articles), each
language's own; every article of every regulation in the store, deep-linked
(``#art-N``), with its text's level and, when the text is not in force, its
status and successor (results mark those hits, and rank them lower); every
indicator's definition in both languages. URLs are
site-root paths (``/en/guides/time-limits/``). No I/O beyond reading the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from search_index import Doc
from search_index.text import plain_text
from sunshine.regulations.collection import load
from sunshine.statistics.indicators import INDICATORS

__all__ = ["content_docs", "indicator_docs", "regulation_docs"]


def _root(lang: str, url: str) -> str:
    return ("/en/" if lang == "en" else "/") + url.lstrip("/")


def content_docs(contents: Iterable[Any], lang: str) -> list[Doc]:
    """Guides and explainers among Pelican content objects of one language."""
    docs = []
    for content in contents:
        kind = content.metadata.get("kind")
        if kind not in ("guide", "explainer") or content.status != "published":
            continue
        text = plain_text(content.content, lang)  # the page's words, without its markup
        docs.append(Doc(_root(lang, content.url), content.title, text, kind, lang))
    return docs


def regulation_docs(var_path: Path) -> list[Doc]:
    """One document per regulation article (the texts are Chinese: language ``zh``)."""
    docs = []
    regulations = load(var_path)
    for regulation in regulations.regulations:
        if regulation.document is None:
            continue
        name = regulation.title("zh")
        successors = regulations.superseded_by(regulation.reg_id)
        repealed = regulation.meta.get("status") == "repealed"
        status = "repealed" if repealed else ("superseded" if successors else "")
        successor = (successors[0].title("zh"), successors[0].title("en")) if successors else ()
        for article in regulation.document.articles:
            digits = f"第{article.number}条" + (f"之{article.insert}" if article.insert else "")
            docs.append(
                Doc(
                    # The article's own anchor: art-10-1 for 第十条之一, art-N-r2 for a
                    # number the source repeats.
                    f"/regulations/{regulation.reg_id}/#{article.anchor}",
                    # Both numberings, so "第三十四条" and "34" both find it; results
                    # show the Chinese numeral only, as every Chinese page numbers articles.
                    f"{name} {article.label}（{digits}）",
                    article.full_text,
                    "article",
                    "zh",
                    shown_title=f"{name} {article.label}",
                    level=str(regulation.meta.get("level", "")),
                    status=status,
                    successor=successor,
                )
            )
    return docs


def indicator_docs() -> list[Doc]:
    """Every indicator's name and definition, in both languages."""
    return [
        Doc(_root(lang, f"statistics/{code}/"), i.name[lang], i.definition[lang], "indicator", lang)
        for lang in ("zh", "en")
        for code, i in INDICATORS.items()
    ]
