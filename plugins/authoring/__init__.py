"""Staff content at build time: checks, drafts and dates, the staff page, images.

Collect: :func:`sunshine.content.content_checks.check_content` reads ``content/`` and
finds problems (front matter, categories, translation pairs, images, citations
and live figures, links to this site that lead nowhere), each told in the
piece's language, and what
publishing leaves out (HTML outside the allowlist, files that are not images)
before Pelican reads a file; :func:`publication` decides, per piece, whether
this build shows it. Write: :func:`register` stops the build on a problem
(every problem listed, with file and line) and lists what is left out;
cleans each piece's HTML to the allowlist (:mod:`sunshine.content.sanitise`) as soon
as Pelican has read it, so pages, summaries, feeds and the search index only
ever see the cleaned HTML; keeps drafts and pieces dated later than now out of
the site; publishes no file that is not an image (by name and content); writes
the unlinked staff page ``/staff/`` (pieces lacking a translation, and in a
preview the drafts and scheduled pieces) and shrinks images wider than the
page can show, turning phone photos upright first.

A preview (``invoke preview``, the Pelican setting ``SUNSHINE_PREVIEW``) shows
drafts and scheduled pieces in place, each marked as such. "Now" is the clock,
or the Pelican setting ``SUNSHINE_NOW`` (an ISO timestamp) for a build made as
of another time (:func:`sunshine.content.content_rules.publication_time`).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator

from plugins.extension_points import is_main_site
from sunshine.cases.calendar import SHANGHAI
from sunshine.content.content_checks import IMAGE_FOLDER, ContentReport, check_content
from sunshine.content.content_rules import image_refusal, is_scheduled, publication_time
from sunshine.content.sanitise import sanitise
from sunshine.errors import SunshineError
from sunshine.regulations.collection import load
from sunshine.statistics.indicators import INDICATORS

MAX_IMAGE_WIDTH = 1472
"""Pixels: the text column (46rem of 16 px) on a screen of two pixels per point."""


class ContentError(SunshineError):
    """Staff Markdown the site cannot be built from; the message lists each problem."""


_reports: dict[str, ContentReport] = {}
"""The main site's check, by content folder: its staff page and the subsite's use it."""


def register() -> None:
    signals.initialized.connect(_check)
    signals.content_object_init.connect(_sanitise)
    signals.content_object_init.connect(_publication)
    signals.static_generator_finalized.connect(_images_only)
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_images)


def _check(pelican: Any) -> None:
    content = Path(pelican.settings["PATH"])
    if not is_main_site(pelican.settings):  # the English subsite: checked with the main site
        return
    sunshine = pelican.settings.get("SUNSHINE")
    regulations = load(sunshine.var_path) if sunshine else None
    report = check_content(
        content,
        markdown=pelican.settings["MARKDOWN"],
        now=_now(pelican.settings),
        # Citations and live figures too, so that their problems are told with the
        # others, in the writer's language, before the Markdown extension meets them.
        regulations=regulations,
        figures=set(INDICATORS) if sunshine else None,
        # Links to a regulation's articles: its pages are built from the store.
        link_regulations=regulations,
    )
    _reports[str(content)] = report
    # Printed whole, one a line, where Pelican's log would wrap them; and not
    # logged as warnings, which the build treats as fatal.
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        raise ContentError(f"{len(report.problems)} problems in content/, one a line")
    for line in report.notices(drafts=False):
        print(line, file=sys.stderr)


def _sanitise(content: Any) -> None:
    """The piece's HTML, and its summary (Markdown too), cleaned to the allowlist.
    Everything later (link expansion, templates, feeds, search) reads these."""
    if not isinstance(content, Article | Page):
        return  # static files: published by _images_only's rule
    content._content = sanitise(content._content)
    for key in content.settings.get("FORMATTED_FIELDS", ()):
        value = content.metadata.get(key)
        if isinstance(value, str):
            content.metadata[key] = sanitise(value)
            if key == "summary":
                content._summary = content.metadata[key]
            else:
                setattr(content, key.lower(), content.metadata[key])


def _images_only(generator: Any) -> None:
    """Static files are staff images; any other file (a script named .png, an SVG, an
    HTML page) is not copied, nor can a ``{static}`` link reach it. The check has
    told staff which (``not published:``)."""
    refused = [s for s in generator.staticfiles if image_refusal(Path(s.source_path))]
    for static in refused:
        generator.staticfiles.remove(static)
        generator.context["static_content"].pop(static.get_relative_source_path(), None)
    generator.context["staticfiles"] = generator.staticfiles


def _now(settings: Any) -> datetime:
    """The build's "now": ``SUNSHINE_NOW`` when set (a build as of another time), else
    the clock."""
    return publication_time(settings.get("SUNSHINE_NOW"))


def publication(status: str, date: datetime | None, now: datetime, preview: bool) -> str:
    """How this build treats a piece: ``published``, ``draft`` (not written), or in a
    preview ``preview-draft`` / ``preview-scheduled`` (written, marked)."""
    scheduled = is_scheduled(status, date, now)
    if preview and (status == "draft" or scheduled):
        return "preview-scheduled" if scheduled else "preview-draft"
    return "draft" if scheduled else status


def _publication(content: Any) -> None:
    if content.status not in ("published", "draft"):
        return
    date = getattr(content, "date", None)
    if isinstance(date, datetime) and date.tzinfo is None:
        date = date.replace(tzinfo=SHANGHAI)
    decided = publication(
        content.status,
        date if "date" in content.metadata else None,
        _now(content.settings),
        bool(content.settings.get("SUNSHINE_PREVIEW")),
    )
    if decided.startswith("preview-"):
        content.preview_state = decided.removeprefix("preview-")
        content.status = "published"
    else:
        content.status = decided


class StaffPageGenerator(Generator):
    """``/staff/`` in each language: what staff should know about content. Not linked."""

    def generate_output(self, writer: Any) -> None:
        content = Path(self.settings["PATH"])
        report = _reports.get(str(content)) or check_content(content, now=_now(self.settings))
        preview = bool(self.settings.get("SUNSHINE_PREVIEW"))
        writer.write_file(
            "staff/index.html",
            self.get_template("staff"),
            self.context,
            untranslated=report.untranslated,
            # A production site must not name unpublished work, even on an unlinked page.
            drafts=report.drafts if preview else [],
            scheduled=[p for p in report.pieces if report.scheduled(p)] if preview else [],
            preview=preview,
        )


def _generators(pelican: Any) -> type[StaffPageGenerator]:
    return StaffPageGenerator


def _images(pelican: Any) -> None:
    # Each language's site has its own copy (``/images/``, ``/en/images/``). The output
    # folder outlives builds: what an earlier build copied that is no image goes too.
    folder = Path(pelican.settings["OUTPUT_PATH"]) / IMAGE_FOLDER
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if file.is_file() and image_refusal(file):
            file.unlink()
        elif file.is_file():
            shrink(file, MAX_IMAGE_WIDTH)


def shrink(image: Path, width: int) -> bool:
    """Resize ``image`` in place to ``width`` pixels wide if it is wider, as it is viewed,
    and drop its EXIF metadata; True if the file was rewritten.

    A phone stores a photo taken upright with its pixels sideways and an EXIF
    Orientation saying how to turn them. Such a photo is turned first, so that
    ``width`` is the width the reader sees, and written upright (even when narrow
    enough) without the tag: the written file carries no EXIF, which a resized copy
    could not keep right anyway, and every viewer shows its pixels as they are.
    """
    from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(image) as opened:
            exif = opened.getexif()
            # 1 is upright; other values than 2 to 8 are not orientations (Pillow ignores them).
            turned = exif.get(ExifTags.Base.Orientation) in range(2, 9)
            if not turned and opened.width <= width:
                if not exif:
                    return False
                # Only the metadata goes: a phone's EXIF carries where and when the photo
                # was taken, and who took it. Same pixels, same JPEG quantisation.
                opened.load()
                keep = {"quality": "keep"} if opened.format == "JPEG" else {}
                opened.save(image, format=opened.format, **keep)
                return True
            upright = ImageOps.exif_transpose(opened)
            if upright.width > width:
                height = round(upright.height * width / upright.width)
                upright = upright.resize((width, height), Image.Resampling.LANCZOS)
            upright.save(image, format=opened.format)
    except UnidentifiedImageError:
        return False  # not an image: never published (image_refusal)
    return True
