"""The staff page (/staff/: untranslated pieces, and in a preview drafts) stays out of
public view: no public page links it, search engines are told not to index it or
follow its links, and neither the site's search nor a sitemap lists it."""

from __future__ import annotations

import json
import re

from tests.conftest import BuiltSite

STAFF_PAGES = ("staff/index.html", "en/staff/index.html")


def test_the_staff_page_asks_search_engines_to_keep_away(site: BuiltSite) -> None:
    for rel in STAFF_PAGES:
        html = (site.output / rel).read_text("utf-8")
        head = html.split("</head>", 1)[0]
        robots = re.findall(r'<meta name="robots" content="([^"]*)">', head)
        assert robots == ["noindex, nofollow"], rel


def test_no_public_page_links_the_staff_page(site: BuiltSite) -> None:
    linking = []
    for path in sorted(site.output.rglob("*")):
        rel = path.relative_to(site.output).as_posix()
        if (
            not path.is_file()
            or rel in STAFF_PAGES
            or path.suffix not in (".html", ".xml", ".txt", ".json")
        ):
            continue
        text = path.read_text("utf-8", errors="replace")
        if re.search(r'href="[^"]*/staff/|<loc>[^<]*/staff/', text):
            linking.append(rel)
    assert linking == []
    # The public pages, header, navigation and footer included, are really there.
    home = (site.output / "index.html").read_text("utf-8")
    assert "<footer" in home and "<nav" in home


def test_the_staff_page_is_in_neither_search_nor_sitemap(site: BuiltSite) -> None:
    docs = [
        json.loads(p.read_text("utf-8")) for p in (site.output / "search/index/d").glob("*.json")
    ]
    assert len(docs) > 50  # the index was written
    assert not [d["u"] for d in docs if "/staff/" in d["u"]]
    assert not [d["t"] for d in docs if d["t"] in ("Content status", "内容状态")]
    for sitemap in site.output.rglob("sitemap*.xml"):
        assert "/staff/" not in sitemap.read_text("utf-8"), sitemap
    robots = site.output / "robots.txt"
    if robots.is_file():  # the site writes none today; one that does must keep /staff/ out
        assert re.search(r"(?m)^Disallow: /staff/", robots.read_text("utf-8"))
