"""UI strings: every string in the templates has a Chinese translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sunshine.config import ROOT
from sunshine.i18n import LANGUAGES, TRANSLATIONS


def template_strings() -> set[str]:
    method_map = [("themes/sunshine/templates/**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True"}}
    found = extract_from_dir(str(ROOT), method_map, options)
    return {message for _file, _line, message, _comments, _context in found}


def test_templates_use_gettext() -> None:
    assert "Skip to main content" in template_strings()


def test_every_template_string_is_in_every_catalogue_and_translated_to_chinese() -> None:
    strings = template_strings()
    for lang in LANGUAGES.values():
        with (TRANSLATIONS / lang.babel_locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalogue = read_po(f)
        missing = sorted(s for s in strings if s not in catalogue)
        assert not missing, f"{lang.code}: run `invoke messages`; missing {missing}"
        if lang.code == "zh":
            untranslated = sorted(s for s in strings if not catalogue[s].string)
            assert not untranslated, f"untranslated in zh_CN: {untranslated}"


def test_every_translation_formats_like_its_message_id() -> None:
    """Jinja's new-style gettext %-formats every string: a stray % breaks the page."""
    import re

    for lang in LANGUAGES.values():
        with (TRANSLATIONS / lang.babel_locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalogue = read_po(f)
        for message in catalogue:
            if not message.id or not message.string:
                continue
            names = {name: "x" for name in re.findall(r"%\((\w+)\)s", str(message.id))}
            assert str(message.string) % names, message.id
