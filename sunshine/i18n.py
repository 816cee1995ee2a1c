"""The site's languages and their gettext catalogues.

Chinese (``zh``, tagged zh-CN) is the main site at ``/``; English is a subsite under ``/en/``.
Templates use English message ids; each language has its own catalogue in
``themes/sunshine/translations/<locale>/LC_MESSAGES/messages.po``. Catalogues
are compiled to ``.mo`` under the state folder at every build (compiled files
are generated, so they are not kept in git).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sunshine.config import ROOT, load_settings

TRANSLATIONS = ROOT / "themes" / "sunshine" / "translations"
"""Where the editable ``.po`` catalogues live."""


@dataclass(frozen=True)
class Language:
    """One language the site is published in."""

    code: str
    """Pelican's language code: ``Lang:`` in content, ``DEFAULT_LANG`` of the (sub)site.

    Pelican compares it lower-cased, so it is a bare lower-case code."""
    tag: str
    """BCP 47 tag for ``<html lang>`` and ``hreflang``."""
    babel_locale: str
    """Folder name of the catalogue under ``translations/``."""
    site_name: str
    native_name: str
    default: bool = False


LANGUAGES: dict[str, Language] = {
    "zh": Language("zh", "zh-CN", "zh_CN", "阳光信访", "中文", default=True),
    "en": Language("en", "en", "en", "Sunshine Petition Tracker", "English"),
}
DEFAULT_LANGUAGE = next(lang for lang in LANGUAGES.values() if lang.default)


def is_main_site(settings: Mapping[str, Any]) -> bool:
    """Whether Pelican ``settings`` are the main (Chinese) site's.

    Each other language is a second Pelican run (a subsite); work whose files
    are the same in every language is done once, by the main site.
    """
    return bool(settings["DEFAULT_LANG"] == DEFAULT_LANGUAGE.code)


def catalogue_dir() -> Path:
    """Compile every ``.po`` catalogue and return the folder gettext should read.

    The compiled folder is keyed by Pelican's language code (``zh``), which is
    the name gettext looks up for that site.
    """
    target = load_settings().var_path / "locale"
    for lang in LANGUAGES.values():
        source = TRANSLATIONS / lang.babel_locale / "LC_MESSAGES" / "messages.po"
        out = target / lang.code / "LC_MESSAGES" / "messages.mo"
        if out.exists() and out.stat().st_mtime >= source.stat().st_mtime:
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as po:
            catalogue = read_po(po, locale=lang.babel_locale)
        with out.open("wb") as mo:
            write_mo(mo, catalogue)
    return target
