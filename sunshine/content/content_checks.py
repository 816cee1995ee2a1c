"""Checks of staff Markdown, without building: ``invoke check-content`` and every build.

:func:`check_content` reads every piece under ``content/`` and returns a
:class:`ContentReport`: the problems (each with file and line), what publishing
leaves out (HTML outside the allowlist, files in ``content/images/`` that are
not images), and what staff want to know besides (pieces that lack a
translation, drafts, pieces scheduled for a later date). The rules themselves
are in :mod:`sunshine.content.content_rules` and :mod:`sunshine.content.sanitise`.

The build runs the same checks (``plugins/authoring``), citations and live
figures included, and stops on a problem.

Every message about a piece is in the piece's language (the catalogue
:mod:`sunshine.content.messages`): a Chinese piece is told in Chinese, an
English one in English. A piece's language is its ``Lang:``, or where that is
wrong, its file name's (``x.zh.md``): one wrong ``Lang:`` line is one message,
and the other checks judge the piece as the language its file name gives.

What publishing leaves out does not stop the build: the build removes the
markup and leaves the file out, and says so, a line each, as ``check-content``
does (``content/guides/x.zh.md:12: HTML removed on publishing: <script>
element``). Only what could harm a reader is left out, never text a reader
should see, so the rest of the piece is safe to publish; and a scheduled
update, with the statistics it brings, is not held back by one piece's stray
markup. A piece that shows a file the site does not publish
(``![…]({static}/images/x.png)`` where ``x.png`` is no PNG) is a problem: its
page would show a broken image.
"""

from __future__ import annotations

import difflib
import re
import runpy
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown import Markdown

from sunshine.cases.calendar import SHANGHAI
from sunshine.config import ROOT
from sunshine.content import sanitise
from sunshine.content.content_rules import (
    CATEGORIES,
    FIELDS,
    FOLDERS,
    PLACEHOLDERS,
    SLUG,
    STATUSES,
    Folder,
    FrontMatter,
    category_named,
    front_matter,
    image_refusal,
    is_scheduled,
)
from sunshine.content.messages import (
    LANGUAGE_NAMES,
    describe_field,
    listing,
    refusal_reason,
    removed_what,
    say,
)
from sunshine.i18n import LANGUAGES
from sunshine.regulations import citations
from sunshine.regulations.citations import CITATION, FIGURE, CitationError, resolve
from sunshine.regulations.collection import RegulationSet

__all__ = [
    "IMAGE_FOLDER",
    "NOT_PUBLISHED",
    "REMOVED",
    "UNTRANSLATED",
    "ContentReport",
    "Piece",
    "Problem",
    "check_content",
    "is_notice",
    "markdown_renderer",
]

UNTRANSLATED = "untranslated: "
"""How the line for an English piece lacking a translation starts, in the build's report
too (a Chinese piece's starts 未翻译：)."""
IMAGE_FOLDER = "images"
"""Images live in ``content/images/`` and are written as ``{static}/images/NAME``."""
REMOVED = "HTML removed on publishing: "
"""How the message for markup outside the allowlist (:mod:`sunshine.content.sanitise`)
starts in an English piece (发布时删去的HTML： in a Chinese one)."""
NOT_PUBLISHED = "not published: "
"""How the message for a file of ``content/images/`` that is not an image starts."""
_NOTICE_STARTS = tuple(
    say(lang, "untranslated", path="", langs="").split(" ")[0] for lang in LANGUAGES
)
_REMOVED_STARTS = "|".join(re.escape(say(lang, "removed", what="")) for lang in LANGUAGES)
_LEFT_OUT = re.compile(rf"^\S.*?(?::\d+)?: (?:{_REMOVED_STARTS}|{re.escape(NOT_PUBLISHED)})")


def is_notice(line: str) -> bool:
    """Whether a line of a build's report is one staff are told besides the problems:
    a piece that lacks a translation, or something publishing leaves out."""
    return line.startswith(_NOTICE_STARTS) or bool(_LEFT_OUT.match(line))


_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+[\"'][^)]*)?\)")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(?P<name>alt|src)\s*=\s*(?:"(?P<a>[^"]*)"|'(?P<b>[^']*)')""", re.I)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at one line."""

    path: str
    line: int
    """0 for the whole file (an image)."""
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class Piece:
    """One file of staff Markdown, as far as it could be read."""

    path: str
    folder: Folder
    meta: FrontMatter

    @cached_property
    def date(self) -> datetime | None:
        """``Date:`` as the build reads it; None when missing or not a date."""
        try:
            return _date(self.meta.get("date") or "")
        except ValueError:
            return None

    @property
    def declared(self) -> str:
        """``Lang:`` as written."""
        return self.meta.get("lang") or ""

    @property
    def named(self) -> str:
        """The language the file name gives (``x.zh.md``), or ""."""
        parts = self.path.removesuffix(".md").rsplit(".", 1)
        return parts[1] if len(parts) == 2 and parts[1] in LANGUAGES else ""

    @property
    def lang(self) -> str:
        """The piece's language: ``Lang:``, unless that is no language of the site's or
        the file name says another; then the file name's ("" when neither tells)."""
        declared = self.declared if self.declared in LANGUAGES else ""
        if self.named and declared != self.named:
            return self.named
        return declared

    @property
    def writer(self) -> str:
        """The language the checks speak to this piece's writer in (Chinese when unknown)."""
        return self.lang or "zh"

    @property
    def slug(self) -> str:
        return self.meta.get("slug") or ""

    @property
    def title(self) -> str:
        return self.meta.get("title") or self.path

    @property
    def status(self) -> str:
        return (self.meta.get("status") or "published").lower()


@dataclass
class ContentReport:
    """What :func:`check_content` found."""

    problems: list[Problem] = field(default_factory=list)
    removed: list[Problem] = field(default_factory=list)
    """What publishing leaves out: markup outside the allowlist, files that are not images."""
    pieces: list[Piece] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(SHANGHAI))

    def scheduled(self, piece: Piece) -> bool:
        """Published, but dated later than now: it appears on the first build from its date."""
        return is_scheduled(piece.status, piece.date, self.now)

    def live(self, piece: Piece) -> bool:
        return piece.status == "published" and not self.scheduled(piece)

    @property
    def drafts(self) -> list[Piece]:
        return [p for p in self.pieces if p.status == "draft"]

    def notices(self, *, drafts: bool = True) -> list[str]:
        """What staff are told besides the problems, a line each: pieces lacking a
        translation (``untranslated: PATH has no en version``), what publishing leaves
        out (``PATH:LINE: HTML removed on publishing: …``), then, with ``drafts``, the
        drafts and the scheduled pieces (unpublished work, never in a site's log, so
        without ``drafts`` what is left out of them is not told either)."""
        lines = [
            say(
                piece.writer,
                "untranslated",
                path=piece.path,
                langs=(" or " if piece.writer == "en" else "或").join(
                    LANGUAGE_NAMES[piece.writer][lang] for lang in lacking
                ),
            )
            for piece, lacking in self.untranslated
        ]
        unpublished = {p.path for p in self.pieces if p.status == "draft" or self.scheduled(p)}
        lines += [str(r) for r in self.removed if drafts or r.path not in unpublished]
        if drafts:
            lines += [say(piece.writer, "draft", path=piece.path) for piece in self.drafts]
            lines += [
                say(piece.writer, "scheduled", path=piece.path, when=f"{piece.date:%Y-%m-%d %H:%M}")
                for piece in self.pieces
                if self.scheduled(piece) and piece.date
            ]
        return lines

    @property
    def untranslated(self) -> list[tuple[Piece, list[str]]]:
        """Live explainers and guides with the languages they are not yet live in."""
        live: dict[tuple[str, str], set[str]] = defaultdict(set)
        for piece in self.pieces:
            if self.live(piece) and piece.lang:
                live[piece.folder.generator, piece.slug].add(piece.lang)
        missing = []
        for piece in self.pieces:
            if piece.folder.name == "pages" or not self.live(piece) or not piece.lang:
                continue
            langs = live[piece.folder.generator, piece.slug]
            if piece.lang == min(langs) and (lacking := sorted(set(LANGUAGES) - langs)):
                missing.append((piece, lacking))
        return missing


def check_content(
    content: Path,
    *,
    regulations: RegulationSet | None = None,
    figures: Collection[str] | None = None,
    now: datetime | None = None,
    markdown: Mapping[str, Any] | None = None,
    link_regulations: RegulationSet | None = None,
) -> ContentReport:
    """Check every piece under ``content``; citations too when ``regulations`` is given,
    live figures when ``figures`` (their names) is. ``markdown`` is Pelican's
    ``MARKDOWN`` setting the pieces are rendered with to see what the sanitiser
    removes (by default ``pelicanconf.py``'s). Internal links are always checked;
    links to a regulation page and its articles need ``regulations`` or, where
    citations are checked elsewhere (the build), ``link_regulations``."""
    report = ContentReport(now=now or datetime.now(SHANGHAI))
    root = content.parent
    renderer = markdown_renderer(markdown)
    refused = _refused_images(content)
    report.removed += [
        Problem(path.relative_to(root).as_posix(), 0, f"{NOT_PUBLISHED}{reason}")
        for path, reason in refused.items()
    ]
    bodies: list[tuple[Piece, list[tuple[int, str]]]] = []
    for file in sorted(content.rglob("*.md")):
        rel = file.relative_to(root).as_posix()
        folder = FOLDERS.get(file.relative_to(content).parts[0])
        # Before the file is read, its name is all that tells its language.
        named = "en" if file.name.endswith(".en.md") else "zh"
        if folder is None or len(file.relative_to(content).parts) != 2:
            known = listing(named, [f"content/{name}/" for name in FOLDERS])
            report.problems.append(Problem(rel, 1, say(named, "not-in-folder", known=known)))
            continue
        try:
            text = file.read_text("utf-8")
        except UnicodeDecodeError as error:
            report.problems.append(Problem(rel, 1, say(named, "not-utf8", reason=error.reason)))
            continue
        piece = Piece(rel, folder, front_matter(text))
        report.pieces.append(piece)
        report.problems += _check_front_matter(piece, file.name)
        if piece.status == "published":
            report.problems += _check_placeholders(piece, text)
        body = list(enumerate(text.splitlines(), start=1))[piece.meta.end - 1 :]
        report.problems += _check_images(piece, body, content, refused)
        report.removed += _check_markup(piece, body, renderer)
        if regulations is not None or figures is not None:
            report.problems += _check_citations(piece, body, regulations, figures)
        bodies.append((piece, body))
    site = _Site.of(content, report.pieces, regulations or link_regulations)
    for piece, body in bodies:
        report.problems += _check_links(piece, body, content, site)
    report.problems += _check_slugs(report.pieces)
    report.problems += _check_pairs(report.pieces)
    report.problems.sort(key=lambda p: (p.path, p.line))
    report.removed.sort(key=lambda p: (p.path, p.line))
    return report


def _check_front_matter(piece: Piece, file_name: str) -> Iterator[Problem]:
    meta, path, lang = piece.meta, piece.path, piece.writer

    def problem(key: str, message: str, **values: object) -> Problem:
        return Problem(path, meta.line(key), say(lang, message, **values))

    if meta.stray:
        line, text = meta.stray
        yield Problem(path, line, say(lang, "stray", text=text.strip()))
    for key in meta.values:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = say(lang, "did-you-mean-field", close=close[0].capitalize()) if close else ""
            yield Problem(
                path, meta.line(key), say(lang, "unknown-field", field=key.capitalize()) + hint
            )
    for key in piece.folder.required:
        if not meta.get(key):
            yield problem(
                key,
                "field-empty" if key in meta.values else "field-missing",
                field=key.capitalize(),
                description=describe_field(lang, key, FIELDS[key].description),
            )
    # One wrong 'Lang:' line, one message: the other checks take the file name's language.
    if piece.declared and piece.declared not in LANGUAGES:
        yield problem(
            "lang", "lang-unknown", lang=piece.declared, known=listing(lang, list(LANGUAGES))
        )
    elif piece.declared and piece.named and piece.named != piece.declared:
        yield problem("lang", "lang-file-name", named=piece.named, lang=piece.declared)
    if piece.slug and not SLUG.fullmatch(piece.slug):
        yield problem("slug", "slug-form", slug=piece.slug)
    if piece.status not in STATUSES:
        yield problem(
            "status", "status-unknown", status=piece.status, known=listing(lang, STATUSES)
        )
    for key in ("date", "modified"):
        if value := meta.get(key):
            try:
                _date(value)
            except ValueError:
                yield problem(key, "not-a-date", value=value)
    yield from _check_category(piece)


def _check_placeholders(piece: Piece, text: str) -> Iterator[Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        for placeholder in PLACEHOLDERS.get(piece.lang, {}).values():
            if placeholder in line:
                yield Problem(
                    piece.path,
                    number,
                    say(piece.writer, "placeholder", placeholder=placeholder.strip()),
                )


def _date(value: str) -> datetime:
    from pelican.utils import get_date  # the parser the build uses, so both agree

    if not value.strip():
        raise ValueError("no date")
    parsed = get_date(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _check_category(piece: Piece) -> Iterator[Problem]:
    name = piece.meta.get("category")
    if not name:
        return
    line, lang = piece.meta.line("category"), piece.writer
    if not piece.folder.categorised:
        yield Problem(piece.path, line, say(lang, "no-category-here", folder=piece.folder.name))
        return
    category = category_named(name)
    # A piece of no known language may name its category in either.
    if category is not None and (category.names.get(piece.lang) == name or not piece.lang):
        return
    known = "; ".join(" / ".join(c.names.values()) for c in CATEGORIES.values())
    if category is not None and piece.lang in category.names:
        own = category.names[piece.lang]
        yield Problem(piece.path, line, say(lang, "category-other-language", name=name, own=own))
    else:
        yield Problem(piece.path, line, say(lang, "category-unknown", name=name, known=known))


def _check_images(
    piece: Piece, body: list[tuple[int, str]], content: Path, refused: Mapping[Path, str]
) -> Iterator[Problem]:
    path, lang, folder = piece.path, piece.writer, IMAGE_FOLDER
    for number, line in body:
        images = [(m["alt"], m["src"]) for m in _IMAGE.finditer(line)]
        for tag in _IMG_TAG.findall(line):
            attrs = {m["name"].lower(): m["a"] or m["b"] or "" for m in _ATTR.finditer(tag)}
            images.append((attrs.get("alt", ""), attrs.get("src", "")))
        for alt, src in images:
            name = src.rsplit("/", 1)[-1] or src
            if not alt.strip():
                yield Problem(path, number, say(lang, "image-no-alt", name=name, src=src))
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                yield Problem(path, number, say(lang, "image-elsewhere", src=src, folder=folder))
            elif not src.startswith(f"{{static}}/{IMAGE_FOLDER}/"):
                yield Problem(
                    path, number, say(lang, "image-write-as", src=src, folder=folder, name=name)
                )
            elif not (
                file := content / IMAGE_FOLDER / src.split(f"/{IMAGE_FOLDER}/", 1)[1]
            ).is_file():
                yield Problem(path, number, say(lang, "image-missing", name=name, folder=folder))
            elif file in refused:
                yield Problem(
                    path,
                    number,
                    say(
                        lang, "image-refused", name=name, reason=refusal_reason(lang, refused[file])
                    ),
                )


def _refused_images(content: Path) -> dict[Path, str]:
    """The files of ``content/images/`` the site does not publish, with the reason.
    Hidden files (``.DS_Store``) are the system's, not staff's: never published, not told."""
    folder = content / IMAGE_FOLDER
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {
        file: reason
        for file in files
        if not any(part.startswith(".") for part in file.relative_to(folder).parts)
        and (reason := image_refusal(file))
    }


@cache
def _project_markdown() -> dict[str, Any]:
    """``pelicanconf.py``'s ``MARKDOWN``, read as Pelican reads the file."""
    settings: dict[str, Any] = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    return settings


def markdown_renderer(settings: Mapping[str, Any] | None = None) -> Markdown:
    """Markdown as the build renders a piece's text (Pelican's ``MARKDOWN`` setting,
    by default ``pelicanconf.py``'s), less two extensions: the front matter is not
    rendered here (``meta``), and citations and live figures, checked on their own,
    write only markup the allowlist keeps (a test holds them to it)."""
    if settings is None:
        settings = _project_markdown()
    left_out = {citations.__name__, "markdown.extensions.meta"}
    configs = {
        name: config
        for name, config in settings.get("extension_configs", {}).items()
        if name not in left_out
    }
    named = [e for e in settings.get("extensions", []) if e not in left_out]
    return Markdown(
        extensions=[*named, *(name for name in configs if name not in named)],
        extension_configs=configs,
        output_format=settings.get("output_format", "html5"),
    )


def _check_markup(piece: Piece, body: list[tuple[int, str]], md: Markdown) -> Iterator[Problem]:
    """What the sanitiser removes from the piece's text and from its summary (which
    Pelican renders as Markdown too), at the line that wrote it."""
    parts = [(body, "\n".join(line for _, line in body))]
    if summary := piece.meta.get("summary"):
        parts.append(([(piece.meta.line("summary"), summary)], summary))
    seen: set[tuple[int, str]] = set()
    for lines, text in parts:
        if sanitise.plain_markdown(text):
            continue  # nothing to remove: rendering it would only cost time
        md.reset()
        for number, what in sanitise.locate(sanitise.removed(md.convert(text)), lines):
            if (number, what) not in seen:  # one line for a table's columns, say
                seen.add((number, what))
                what_said = removed_what(piece.writer, what)
                yield Problem(piece.path, number, say(piece.writer, "removed", what=what_said))


def _check_citations(
    piece: Piece,
    body: list[tuple[int, str]],
    regulations: RegulationSet | None,
    figures: Collection[str] | None,
) -> Iterator[Problem]:
    path, lang = piece.path, piece.writer
    for number, line in body:
        if regulations is not None:
            for match in CITATION.finditer(line):
                try:
                    resolve(regulations, match["reg"], match["ref"])
                except CitationError as error:
                    values = dict(error.values)
                    if error.key == "cite-no-regulation":
                        values["known"] = listing(lang, values.pop("known_ids")) or "—"  # type: ignore[arg-type]
                    yield Problem(path, number, say(lang, error.key, cite=match[0], **values))
        if figures is not None:
            for match in FIGURE.finditer(line):
                if match["name"] not in figures:
                    close = difflib.get_close_matches(match["name"], figures, n=1)
                    hint = say(lang, "did-you-mean-figure", close=close[0]) if close else ""
                    said = say(lang, "no-figure", cite=match[0], name=match["name"])
                    yield Problem(path, number, said + hint)


def _check_slugs(pieces: list[Piece]) -> Iterator[Problem]:
    seen: dict[tuple[str, str, str], Piece] = {}
    for piece in pieces:
        key = (piece.folder.generator, piece.lang, piece.slug)
        if not piece.slug or not piece.lang:
            continue
        if key in seen:
            said = say(
                piece.writer, "slug-taken", slug=piece.slug, lang=piece.lang, other=seen[key].path
            )
            yield Problem(piece.path, piece.meta.line("slug"), said)
        else:
            seen[key] = piece


def _check_pairs(pieces: list[Piece]) -> Iterator[Problem]:
    """Translations pair by slug: one piece, in one folder, one category, one date."""
    by_slug: dict[tuple[str, str], list[Piece]] = defaultdict(list)
    for piece in pieces:
        if piece.slug:
            by_slug[piece.folder.generator, piece.slug].append(piece)
    for group in by_slug.values():
        first, *others = sorted(group, key=lambda p: p.lang != "zh")
        for other in others:
            if other.lang == first.lang:
                continue
            lang = other.writer
            if other.folder != first.folder:
                said = say(lang, "pair-folder", slug=other.slug, other=first.path)
                yield Problem(other.path, other.meta.line("slug"), said)
            mine, theirs = (category_named(p.meta.get("category") or "") for p in (other, first))
            if mine and theirs and mine != theirs:
                said = say(
                    lang, "pair-category", other=first.path, category=first.meta.get("category")
                )
                yield Problem(other.path, other.meta.line("category"), said)
            if other.date and first.date and other.date.date() != first.date.date():
                said = say(
                    lang,
                    "pair-date",
                    date=f"{other.date:%Y-%m-%d}",
                    other=first.path,
                    theirs=f"{first.date:%Y-%m-%d}",
                )
                yield Problem(other.path, other.meta.line("date"), said)
    by_stem: dict[str, list[Piece]] = defaultdict(list)
    for piece in pieces:
        stem = piece.path.removesuffix(".md").rsplit(".", 1)
        if len(stem) == 2 and stem[1] in LANGUAGES:
            by_stem[stem[0]].append(piece)
    for group in by_stem.values():
        slugs = {p.slug for p in group if p.slug}
        if len(slugs) > 1:
            last = max(group, key=lambda p: p.path)
            lang = last.writer
            files = (" and " if lang == "en" else "和").join(p.path for p in group)
            said = say(lang, "pair-slugs", files=files, slugs=listing(lang, sorted(slugs)))
            yield Problem(last.path, last.meta.line("slug"), said)


_LINK = re.compile(r"(?<!!)\[(?:[^\]]|\][^(])*\]\(\s*<?(?P<href>[^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<href>[^\s>]+)")
_A_TAG = re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?:\"(?P<a>[^\"]*)\"|'(?P<b>[^']*)')", re.I)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LINKED_FILE = re.compile(
    r"^(?:\{(?P<a>filename|static|attach)\}|\|(?P<b>filename|static|attach)\|)"
)
GENERATED = frozenset(
    {"data", "feeds", "regulations", "search", "staff", "statistics", "theme", "track"}
)
"""Top-level folders the build writes from code, not from a piece: a link into one
is not checked further here (the site check of ``invoke update`` reads the output)."""
GENERATED_FILES = frozenset({"404.html", "status.json", "index.html", ""})


@dataclass(frozen=True)
class _Site:
    """What a link of a piece can point at, as far as the content tells."""

    content: Path
    slugs: Mapping[str, frozenset[str]]
    """Folder name (``pages``, ``guides``, ``explainers``) to the slugs in it."""
    regulations: RegulationSet | None

    @classmethod
    def of(cls, content: Path, pieces: list[Piece], regulations: RegulationSet | None) -> _Site:
        slugs: dict[str, set[str]] = defaultdict(set)
        for piece in pieces:
            if piece.slug:
                slugs[piece.folder.name].add(piece.slug)
        return cls(content, {k: frozenset(v) for k, v in slugs.items()}, regulations)

    def missing(self, path: str, fragment: str, lang: str = "zh") -> str | None:
        """Why the site path (``/guides/x/``, ``/en/regulations/2022/#art-35``) does not
        resolve, or None when it does or is not the content's to tell."""
        parts = path.strip("/").split("/") if path.strip("/") else []
        if parts[:1] == ["en"]:
            parts = parts[1:]
        if not parts:
            return None
        head, rest = parts[0], [p for p in parts[1:] if p and p != "index.html"]
        if len(parts) == 1 and head in GENERATED_FILES:
            return None
        if head == "guides" and rest:
            known = self.slugs.get("guides", frozenset())
            return None if rest[0] in known else say(lang, "no-guide", slug=rest[0])
        if head == "explainers" and rest:
            listings = {"category", "categories", "tag", "tags"}
            known = self.slugs.get("explainers", frozenset()) | listings
            return None if rest[0] in known else say(lang, "no-explainer", slug=rest[0])
        if head == "images":
            name = "/".join(rest)
            exists = (self.content / IMAGE_FOLDER / name).is_file()
            return None if exists else say(lang, "no-image", name=name, folder=IMAGE_FOLDER)
        if head == "regulations" and rest and self.regulations is not None:
            return self._regulation(rest[0], fragment, lang)
        if head in GENERATED:
            return None
        if head in self.slugs.get("pages", ()) and not rest:
            return None
        return say(lang, "no-page")

    def _regulation(self, reg_id: str, fragment: str, lang: str) -> str | None:
        assert self.regulations is not None
        regulation = next((r for r in self.regulations.regulations if r.reg_id == reg_id), None)
        if regulation is None:
            return say(lang, "no-regulation", reg=reg_id)
        document = regulation.document
        if not fragment.startswith("art-") or document is None or document.find(fragment):
            return None
        return say(lang, "no-anchor", fragment=fragment, reg=reg_id)


def _hrefs(body: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Each link a piece's text writes, with its line; code blocks are not links."""
    fenced = False
    for number, line in body:
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        text = re.sub(r"`[^`]*`", "", line)
        for link in _LINK.finditer(text):
            yield number, link["href"]
        if definition := _REF_DEFINITION.match(text):
            yield number, definition["href"]
        for tag in _A_TAG.finditer(text):
            yield number, tag["a"] or tag["b"] or ""


def _piece_url(piece: Piece) -> str:
    prefix = "/en/" if piece.lang == "en" else "/"
    folder = {"pages": ""}.get(piece.folder.name, piece.folder.name + "/")
    return f"{prefix}{folder}{piece.slug}/"


def _check_links(
    piece: Piece, body: list[tuple[int, str]], content: Path, site: _Site
) -> Iterator[Problem]:
    """A link to this site that leads nowhere would be a broken page for a reader;
    links to other sites are not this check's to judge."""
    here = (content.parent / piece.path).parent
    for number, href in _hrefs(body):
        if match := _LINKED_FILE.match(href):
            target, _, _ = href[match.end() :].partition("#")
            file = content / target.lstrip("/") if target.startswith("/") else here / target
            if not target or not file.is_file():
                kind = match["a"] or match["b"]
                said = say(piece.writer, "link-no-file", href=href, target=target, kind=kind)
                yield Problem(piece.path, number, said)
            continue
        if href.startswith(("{", "|")):
            continue  # {index}, {tag}…: Pelican's own addresses
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        path = parts.path if parts.path.startswith("/") else _join(_piece_url(piece), parts.path)
        if reason := site.missing(path, parts.fragment, piece.writer):
            said = say(piece.writer, "link-broken", href=href, reason=reason)
            yield Problem(piece.path, number, said)


def _join(base: str, relative: str) -> str:
    from urllib.parse import urljoin

    return urlsplit(urljoin(base, relative)).path
