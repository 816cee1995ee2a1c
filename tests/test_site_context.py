"""The language-switch and hreflang rules, without building anything."""

from __future__ import annotations

from types import SimpleNamespace

from plugins.site_context import alternate_path, page_path


def piece(lang: str, *others: str) -> SimpleNamespace:
    return SimpleNamespace(lang=lang, translations=[SimpleNamespace(lang=o) for o in others])


def test_page_path() -> None:
    assert page_path("index.html") == ""
    assert page_path("about/index.html") == "about/"
    assert page_path("404.html") == "404.html"


def test_translated_piece_has_a_twin_at_the_same_path() -> None:
    assert alternate_path("about/index.html", piece("zh", "en"), "en") == "about/"
    assert alternate_path("about/index.html", piece("zh", "en"), "zh") == "about/"


def test_untranslated_piece_has_no_twin() -> None:
    assert alternate_path("explainers/x/index.html", piece("zh"), "en") is None


def test_listings_exist_in_every_language_but_named_ones_do_not() -> None:
    assert alternate_path("index.html", None, "en") == ""
    assert alternate_path("explainers/index.html", None, "en") == "explainers/"
    assert alternate_path("explainers/category/政策解读/index.html", None, "en") is None
    assert alternate_path("explainers/tag/x/index.html", None, "zh") is None


def test_data_as_of_is_the_minute_of_the_last_fetch() -> None:
    from plugins.site_context import data_as_of

    assert data_as_of("2026-11-21T23:20:05+08:00") == "2026-11-21 23:20"
    assert data_as_of(None) is None
