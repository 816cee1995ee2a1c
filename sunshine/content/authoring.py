"""Scaffolding for staff (``invoke new explainer "标题"``): one piece, both languages.

A piece is a pair of Markdown files that share one slug: ``<slug>.zh.md`` and
``<slug>.en.md``, in ``content/explainers/`` (Pelican articles, with a
category) or ``content/guides/`` (Pelican pages). Both start as drafts
(``Status: draft``), so nothing is published until staff change that line.
The slug is the title in pinyin (pypinyin), so both languages' URLs match
before anyone has written the English title.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sunshine.content.content_rules import CATEGORIES, FOLDERS, PLACEHOLDERS, SLUG, Folder
from sunshine.errors import SunshineError

__all__ = ["KINDS", "PieceExists", "new_piece", "slug_for"]

KINDS: dict[str, Folder] = {"explainer": FOLDERS["explainers"], "guide": FOLDERS["guides"]}


class PieceExists(SunshineError, FileExistsError):
    """A file of the new piece is already there; nothing was written."""


def slug_for(title: str) -> str:
    """``怎样请求复查`` → ``zen-yang-qing-qiu-fu-cha``: pinyin, lower case, hyphens."""
    from pypinyin import lazy_pinyin

    words = " ".join(lazy_pinyin(title)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    return slug[:60].rstrip("-") or "piece"


def _front_matter(
    kind: Folder, lang: str, title: str, slug: str, today: date, category: str
) -> str:
    lines = [f"Title: {title}", f"Slug: {slug}", f"Lang: {lang}"]
    if kind.categorised:
        lines += [f"Date: {today.isoformat()}", f"Category: {CATEGORIES[category].names[lang]}"]
    lines += [f"Summary: {PLACEHOLDERS[lang]['summary']}", "Status: draft"]
    return "\n".join(lines) + "\n"


_BODY = {
    "zh": (
        f"{PLACEHOLDERS['zh']['body']}引用条文用 [[2022:34]]（第三十四条），"
        "引用最新数字用 [[fig:on_time_reply_rate]]。\n"
    ),
    "en": (
        f"{PLACEHOLDERS['en']['body']} Cite an article with [[2022:34]] (Article 34) and quote "
        "the latest figure with [[fig:on_time_reply_rate]].\n"
    ),
}


def new_piece(
    kind: str,
    title: str,
    content: Path,
    *,
    today: date,
    slug: str | None = None,
    category: str = "policy",
) -> list[Path]:
    """Write the Chinese and English files of a new draft piece; the paths written.

    ``category`` (explainers only) is a key of :data:`CATEGORIES`.
    """
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    if category not in CATEGORIES:
        raise ValueError(f"category {category!r}: one of {', '.join(CATEGORIES)}")
    if not title.strip():
        raise ValueError("the title is empty")
    spec = KINDS[kind]
    slug = slug or slug_for(title)
    if not SLUG.fullmatch(slug):
        raise ValueError(f"slug {slug!r}: lower-case letters, digits and hyphens only")
    folder = content / spec.name
    paths = {lang: folder / f"{slug}.{lang}.md" for lang in ("zh", "en")}
    taken = [str(p) for p in paths.values() if p.exists()]
    if taken:
        raise PieceExists(f"already there, nothing written: {', '.join(taken)}")
    folder.mkdir(parents=True, exist_ok=True)
    english = f"{PLACEHOLDERS['en']['title']}{title.strip()})"
    for lang, path in paths.items():
        own_title = title.strip() if lang == "zh" else english
        head = _front_matter(spec, lang, own_title, slug, today, category)
        path.write_text(head + "\n" + _BODY[lang], encoding="utf-8")
    return list(paths.values())
