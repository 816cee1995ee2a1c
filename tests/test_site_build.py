"""The site built with real Pelican: pages, languages, alternates, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from operations.site_checks import check_site, urls_in
from tests.conftest import BuiltSite

EXPLAINER = "explainers/2022-regulations-for-petitioners/index.html"
PAIRED_PAGES = ["index.html", "about/index.html", EXPLAINER, "guides/time-limits/index.html"]


def html_lang(file: Path) -> str:
    match = re.search(r'<html lang="([^"]+)"', file.read_text(encoding="utf-8"))
    assert match, f"{file} has no <html lang>"
    return match.group(1)


def alternates(file: Path) -> dict[str, str]:
    text = file.read_text(encoding="utf-8")
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))


@pytest.mark.parametrize("path", PAIRED_PAGES)
def test_pages_exist_in_both_languages_with_right_lang(site: BuiltSite, path: str) -> None:
    assert html_lang(site.output / path) == "zh-CN"
    assert html_lang(site.output / "en" / path) == "en"


@pytest.mark.parametrize("path", PAIRED_PAGES)
def test_hreflang_alternates_point_at_each_other(site: BuiltSite, path: str) -> None:
    url = "/" + path.removesuffix("index.html")
    expected = {"zh-CN": url, "en": "/en" + url}
    assert alternates(site.output / path) == expected
    assert alternates(site.output / "en" / path) == expected


def test_every_page_has_its_language(site: BuiltSite) -> None:
    for file in site.output.rglob("*.html"):
        rel = file.relative_to(site.output).as_posix()
        assert html_lang(file) == ("en" if rel.startswith("en/") else "zh-CN"), rel


def test_chinese_content_and_ui(site: BuiltSite) -> None:
    home = (site.output / "index.html").read_text(encoding="utf-8")
    assert "跳到正文" in home and "进度查询" in home
    explainer = (site.output / EXPLAINER).read_text(encoding="utf-8")
    assert "自受理之日起60日内办结" in explainer
    english = (site.output / "en" / EXPLAINER).read_text(encoding="utf-8")
    assert "Skip to main content" in english and "within 60 days of acceptance" in english


def test_unicode_slugs_for_chinese_categories_and_tags(site: BuiltSite) -> None:
    assert (site.output / "explainers/category/政策解读/index.html").is_file()
    assert (site.output / "explainers/tag/办理期限/index.html").is_file()


def test_landmarks_skip_link_and_navigation(site: BuiltSite) -> None:
    text = (site.output / "en/about/index.html").read_text(encoding="utf-8")
    for landmark in ("<header", '<main id="main"', "<footer", '<nav class="main-nav"'):
        assert landmark in text
    assert '<a class="skip-link" href="#main">' in text
    nav = re.search(r'<nav class="main-nav".*?</nav>', text, re.S)
    assert nav
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert links == [
        "/en/",
        "/en/track/",
        "/en/statistics/",
        "/en/regulations/",
        "/en/guides/",
        "/en/explainers/",
        "/en/search/",
        "/en/data/",
    ]


def test_footer_names_licence_and_freshness(site: BuiltSite) -> None:
    text = (site.output / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text
    assert "数据截至 2026-11-15 12:00（北京时间）" in text
    assert "Data as of 2026-11-15 12:00" in (site.output / "en/index.html").read_text("utf-8")


def test_no_url_points_to_another_origin_and_every_link_resolves(site: BuiltSite) -> None:
    assert check_site(site.output) == []


def test_no_inline_script_or_event_handler(site: BuiltSite) -> None:
    for file in site.output.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), file
        assert not re.search(r"\son[a-z]+\s*=", text), file


def test_404_pages_in_both_languages(site: BuiltSite) -> None:
    assert "页面不存在" in (site.output / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in (site.output / "en/404.html").read_text(encoding="utf-8")


def test_link_checker_catches_broken_and_foreign_links(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/missing/">x</a><img src="https://cdn.example.com/a.png">'
        '<a href="#nowhere">y</a><a href="/about/#top">z</a>',
        encoding="utf-8",
    )
    (tmp_path / "about").mkdir()
    (tmp_path / "about/index.html").write_text('<h1 id="title">t</h1>', encoding="utf-8")
    reasons = sorted(p.reason for p in check_site(tmp_path))
    assert reasons == [
        "no element with this id on the page",
        "no file for /missing/",
        "no id 'top' in /about/",
        "points to another origin",
    ]
    urls, ids = urls_in(tmp_path / "about/index.html")
    assert (urls, ids) == ([], {"title"})


def test_production_build_has_absolute_urls_and_feeds_per_language(
    tmp_path: Path, fetched_var: Path
) -> None:
    import shutil

    from operations.build import PRODUCTION, build_site

    base = "https://petitions.example.gov.cn"
    output = tmp_path / "output"
    shutil.copytree(fetched_var, tmp_path / "var")
    build_site(
        PRODUCTION,
        env={
            "SUNSHINE_OUTPUT": str(output),
            "SUNSHINE_VAR": str(tmp_path / "var"),
            "SUNSHINE_SITE_URL": base,
        },
    )
    english = (output / "en/index.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" hreflang="zh-CN" href="{base}/">' in english
    assert f'href="{base}/en/feeds/all.atom.xml"' in english
    feed = (output / "en/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert f'<link href="{base}/en/feeds/all.atom.xml" rel="self"/>' in feed
    assert f"{base}/en/explainers/2022-regulations-for-petitioners/" in feed
    chinese_feed = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "2022年《信访工作条例》为信访人规定了什么" in chinese_feed
    assert (output / "feeds/tag/办理期限.atom.xml").is_file()
