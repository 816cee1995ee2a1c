"""Pelican settings for development builds (``invoke build``, ``make demo``).

Page layout lives here; the project's own settings (registry, state and output
folders, licence) come from the typed model in :mod:`sunshine.config`, which
reads the environment. ``publishconf.py`` layers production on top of this.
"""

import sys
from pathlib import Path

# Pelican loads this file by path; make the project's packages importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from jinja2 import FileSystemBytecodeCache

from sunshine.config import load_settings
from sunshine.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue_dir
from sunshine.regulations.chinese_numerals import render_chinese_numeral

SUNSHINE = load_settings()


def _template_cache() -> str:
    folder = SUNSHINE.var_path / "cache" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


SITENAME = "阳光信访"
SITEURL = ""
RELATIVE_URLS = False
TIMEZONE = "Asia/Shanghai"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_LANG = DEFAULT_LANGUAGE.code

PATH = "content"
OUTPUT_PATH = str(SUNSHINE.output_path)
CACHE_PATH = str(SUNSHINE.var_path / "cache" / "pelican")
DELETE_OUTPUT_DIRECTORY = False
THEME = "themes/sunshine"

# Chinese titles keep their characters in slugs; translations pair by slug.
SLUGIFY_SOURCE = "title"
SLUGIFY_USE_UNICODE = True
SLUGIFY_PRESERVE_CASE = False
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"

# Explainers are Pelican articles; standing pages and guides are Pelican pages.
ARTICLE_PATHS = ["explainers"]
PAGE_PATHS = ["pages", "guides"]
# Staff images, written {static}/images/NAME; shrunk to the text column at build.
STATIC_PATHS = ["images"]
EXTRA_PATH_METADATA = {
    "pages": {"prefix": ""},
    "guides": {"prefix": "guides/", "kind": "guide"},
    "explainers": {"kind": "explainer"},
}

ARTICLE_URL = "explainers/{slug}/"
ARTICLE_SAVE_AS = "explainers/{slug}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{prefix}{slug}/"
PAGE_SAVE_AS = "{prefix}{slug}/index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
# Drafts, and pieces dated later than now, are not written at all (plugins/authoring);
# `invoke preview` shows them in place, marked, with SUNSHINE_PREVIEW.
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFT_LANG_URL = ""
DRAFT_PAGE_LANG_URL = ""
SUNSHINE_PREVIEW = False
# `invoke update` names the published release here, whose tracker files a new
# release takes where they are still right instead of sealing them again.
SUNSHINE_PREVIOUS_OUTPUT = None
# The time a build publishes as of (ISO; Beijing time without a zone): drafts and
# later-dated pieces are judged against it. None is the clock; tests set it.
SUNSHINE_NOW = None
CATEGORY_URL = "explainers/category/{slug}/"
CATEGORY_SAVE_AS = "explainers/category/{slug}/index.html"
CATEGORIES_URL = "explainers/categories/"
CATEGORIES_SAVE_AS = "explainers/categories/index.html"
TAG_URL = "explainers/tag/{slug}/"
TAG_SAVE_AS = "explainers/tag/{slug}/index.html"
TAGS_URL = "explainers/tags/"
TAGS_SAVE_AS = "explainers/tags/index.html"
ARCHIVES_URL = "explainers/"
ARCHIVES_SAVE_AS = "explainers/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives"]
DEFAULT_PAGINATION = False

# Feeds are written by the production build only (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TAG_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Staff write Markdown only.
READERS = {"rst": None, "html": None, "htm": None}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        # [[2022:34]] citations and [[fig:NAME]] live figures (sunshine/regulations/citations.py).
        "sunshine.regulations.citations": {"siteurl": SITEURL, "var_path": str(SUNSHINE.var_path)},
    },
    "output_format": "html5",
}

# One plugin per feature, in plugins/; see plugins/__init__.py for the list.
# Each is named by its full dotted path (the project root is on sys.path above),
# never by a bare name from a plugin folder on sys.path: a bare name can shadow a
# standard-library module, and a worker process started by forkserver or spawn
# cannot import a module that only exists under a bare name in the parent.
# statistics before tracker: it starts its computation in another process at
# initialisation, and the tracker's work at initialisation then overlaps it.
PLUGINS = [
    "pelican.plugins.i18n_subsites",
    "plugins.authoring",
    "plugins.site_context",
    "plugins.indicators",
    "plugins.tracker",
    "plugins.regulations",
    "plugins.search",
]

JINJA_FILTERS = {"chinese": render_chinese_numeral}

# zh-CN at /, English under /en/. UI strings come from gettext catalogues.
# Autoescape: registry names, regulation texts and staff titles are text, so every
# value a template prints is escaped unless it is markupsafe.Markup. HTML the site
# builds itself (charts, regulation articles with their links) is made Markup where
# it is built, from escaped parts; staff Markdown is printed with |safe. The English
# subsite is built with these settings too (i18n_subsites copies them and installs
# its catalogue in the same environment).
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    # Compiled templates kept in the state folder between builds; Jinja checks
    # each against its template's source. Every generator of every language has
    # an environment of its own, so a build would otherwise compile the theme
    # 182 times over, most of two seconds of the build's one process.
    "bytecode_cache": FileSystemBytecodeCache(_template_cache()),
}
I18N_GETTEXT_LOCALEDIR = str(catalogue_dir())
I18N_GETTEXT_DOMAIN = "messages"
# Templates are written with English message ids and both languages load a
# catalogue, so no language is the silent fallback.
I18N_TEMPLATES_LANG = "msgid"
I18N_UNTRANSLATED_ARTICLES = "remove"
I18N_UNTRANSLATED_PAGES = "remove"
I18N_SUBSITES = {
    code: {"SITENAME": lang.site_name, "DEFAULT_LANG": code}
    for code, lang in LANGUAGES.items()
    if not lang.default
}
