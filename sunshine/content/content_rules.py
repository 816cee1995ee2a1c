"""What a piece of staff Markdown must say: folders, front matter fields, categories;
which files ``content/images/`` publishes.

One place for the rules that the scaffolding (:mod:`sunshine.content.authoring`), the
checks (:mod:`sunshine.content.content_checks`, run by ``invoke check-content`` and by
every build) and the site's templates share.

A piece is one Markdown file per language, ``<slug>.<lang>.md``, whose front
matter is the ``Key: value`` lines before the first blank line (Pelican's
Markdown reader). :func:`front_matter` reads them with their line numbers, so
every message can say where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

__all__ = [
    "CATEGORIES",
    "FIELDS",
    "FOLDERS",
    "IMAGE_TYPES",
    "PLACEHOLDERS",
    "STATUSES",
    "Category",
    "Field",
    "Folder",
    "FrontMatter",
    "category_named",
    "front_matter",
    "image_refusal",
    "is_scheduled",
    "publication_time",
]


@dataclass(frozen=True)
class Category:
    """A category of explainers, with its name in each language."""

    key: str
    """The URL slug, shared by both languages: ``/explainers/category/<key>/``."""
    names: dict[str, str]


CATEGORIES: dict[str, Category] = {
    category.key: category
    for category in (
        Category("policy", {"zh": "政策解读", "en": "Policy explainers"}),
        Category("data", {"zh": "数据解读", "en": "Reading the data"}),
        Category("notices", {"zh": "工作动态", "en": "Office news"}),
    )
}
"""The site's explainer categories. A piece names one in its own language."""


def is_scheduled(status: str, date: datetime | None, now: datetime) -> bool:
    """A piece to be published whose date is later than ``now``: every build before
    its date leaves it out, the first on or after its date publishes it."""
    return status == "published" and date is not None and date > now


def publication_time(setting: object = None) -> datetime:
    """The time a build decides publication as of: the Pelican setting ``SUNSHINE_NOW``
    (an ISO timestamp, Beijing time when it names no zone), or the clock when unset.

    Every decision of a build on what is dated later than now reads its time here,
    so a build can be made as of another time (``update(now=...)``): a test of a
    dated piece builds as of its date instead of waiting for it.
    """
    from sunshine.cases.calendar import SHANGHAI

    if setting is None or setting == "":
        return datetime.now(SHANGHAI)
    try:
        when = setting if isinstance(setting, datetime) else datetime.fromisoformat(str(setting))
    except ValueError:
        raise ValueError(f"SUNSHINE_NOW: {setting!r} is not an ISO date and time") from None
    return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)


def category_named(name: str) -> Category | None:
    """The category with ``name`` in any language."""
    return next((c for c in CATEGORIES.values() if name in c.names.values()), None)


@dataclass(frozen=True)
class Folder:
    """A folder of ``content/`` and what its pieces must carry."""

    name: str
    required: tuple[str, ...]
    generator: str
    """Pelican's ``articles`` or ``pages``: slugs pair translations within one."""
    categorised: bool = False


FOLDERS: dict[str, Folder] = {
    "explainers": Folder(
        "explainers",
        ("title", "slug", "lang", "date", "category", "summary"),
        "articles",
        categorised=True,
    ),
    "guides": Folder("guides", ("title", "slug", "lang", "summary"), "pages"),
    "pages": Folder("pages", ("title", "slug", "lang"), "pages"),
}


@dataclass(frozen=True)
class Field:
    description: str


FIELDS: dict[str, Field] = {
    "title": Field("the title, in the file's language"),
    "slug": Field("the URL name, shared by both languages: lower-case letters, digits, hyphens"),
    "lang": Field("zh or en"),
    "date": Field("publication date, 2026-11-22 or 2026-11-22 09:00 (Beijing time)"),
    "modified": Field("date of the last substantive change"),
    "category": Field("one of the site's categories, named in the file's language"),
    "tags": Field("comma-separated tags, in the file's language"),
    "summary": Field("one sentence for lists, search results and feeds"),
    "status": Field("draft (not published), published, or hidden"),
    "template": Field("a page template other than the default (standing pages only)"),
    "save_as": Field("a file name other than the default (standing pages only)"),
}
"""Front matter fields a piece may carry; any other is a typing mistake."""

STATUSES = ("published", "draft", "hidden")

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "zh": {"summary": "一句话说明这篇写什么。", "body": "在这里写正文。"},
    "en": {
        "title": "(English title of: ",
        "summary": "One sentence on what this piece covers.",
        "body": "Write the text here.",
    },
}
"""What ``invoke new`` writes for staff to replace; a published piece must not keep any."""
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclass
class FrontMatter:
    """The front matter of one file: each field's value and line, and where it ended."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    end: int = 0
    """Number of the first line after the front matter."""
    stray: tuple[int, str] | None = None
    """A line before the first blank one that is not ``Key: value``: the front
    matter ends there and the line becomes text, which is seldom meant."""

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def line(self, key: str) -> int:
        """The line of ``key``, or the front matter's first line when it is missing."""
        return self.lines.get(key, 1)


def front_matter(text: str) -> FrontMatter:
    """Read the front matter as python-markdown's Meta extension does (Pelican's reader)."""
    found = FrontMatter()
    last = ""
    lines = text.splitlines()
    number = 0
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            found.end = number + 1
            return found
        meta = _META.match(line)
        if meta:
            last = meta["key"].lower()
            found.values[last] = meta["value"].strip()
            found.lines[last] = number
            continue
        more = _MORE.match(line)
        if more and last:
            found.values[last] = f"{found.values[last]} {more['value'].strip()}"
            continue
        found.stray = (number, line)
        found.end = number
        return found
    found.end = number + 1
    return found


IMAGE_TYPES: dict[str, str] = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WEBP",
}
"""The file name extensions ``content/images/`` publishes, with the format (as Pillow
names it) the file's content must be. The extension decides the type a server sends,
the content what the file is; both must say image. SVG is not among them: an SVG
file can carry script."""


def image_refusal(path: Path) -> str | None:
    """Why the site does not publish ``path`` as an image, or None when it does."""
    from PIL import Image

    if path.name.startswith("."):
        return "a hidden file (.DS_Store and the like are the system's, not the site's)"
    extension = path.suffix.lower().lstrip(".")
    wanted = IMAGE_TYPES.get(extension)
    if wanted is None:
        if extension == "svg":
            return "SVG images can carry script: save it as PNG"
        kind = f"'.{extension}' files" if extension else "files without an extension"
        return f"{kind} are not images (PNG, JPEG, GIF or WebP)"
    try:
        with Image.open(path) as image:
            found = image.format
            image.verify()  # the structure past the header, where Pillow can check it
    except Exception:  # Pillow raises many kinds on a file that only looks like an image
        return f"named .{extension} but not a {wanted} image"
    if found != wanted:
        right = next((ext for ext, name in IMAGE_TYPES.items() if name == found), None)
        advice = f"name it .{right}" if right else "not an image type the site publishes"
        return f"named .{extension} but a {found} image: {advice}"
    return None
