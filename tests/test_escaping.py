"""Registry strings are text, on every page, served with or without security headers.

A real build from a store in which every name the registry provides (agencies,
regions, categories, channels, in both languages) and every part of every
regulation text the pages show (title, issuer, promulgation lines, chapter and
section headings, an article's text) ends with markup: script, an image with an
event handler, a meta refresh, an attribute break-out, and an ampersand. The
site is served by a plain static server that sends no header at all, so nothing
but the pages themselves (escaping, and their ``<meta>`` policy) stands between
that markup and the reader.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from functools import partial
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from operations.site_checks import check_site
from plugins.indicators.generator import code_names
from sunshine.headers import META_IGNORED, meta_policy, netlify_file, policy, script_source
from sunshine.regulations.chinese_numerals import NUMERAL_CHARS
from sunshine.regulations.collection import RegulationSet
from sunshine.regulations.collection import load as load_regulations
from tests.conftest import BuiltSite, base_url, build_into, running

PAYLOAD = (
    '"><svg onload="window.__x=1">'
    "<script>window.__x=1</script>"
    '<img src=x onerror="window.__x=1">'
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">'
    " R&D"
)
"""Appended to every registry-provided name and heading. Were it markup, the
first three would run script, the fourth would leave the page, and the last
would show as ``R&amp;D`` if escaped twice."""

# What the payload's markup would leave in a page's source, were it not escaped
# (quotes stay as they are in escaped text: only a tag's opening < makes markup).
RAW = (
    "<svg onload",
    "<script>window.__x",
    "<img src=x",
    '<img src="x"',  # as the staff-HTML cleaner rewrites it
    '<meta http-equiv="refresh"',
)

_HEADING = re.compile(rf"第[{NUMERAL_CHARS}]+[章节]")
_FIRST_ARTICLE = re.compile(r"第一条\s")


def _plant(var: Path) -> None:
    """Append :data:`PAYLOAD` to every name in the code lists, and to each regulation's
    title, issuer, promulgation lines, headings and first article, in the store."""
    from store import Store

    store = Store.open(var)
    lists = store.db.execute("SELECT name, items FROM code_lists").fetchall()
    texts = store.db.execute("SELECT reg_id, meta, text FROM regulations").fetchall()
    assert {name for name, _ in lists} == {"agencies", "regions", "categories", "channels"}
    with store.transaction():
        for name, items_json in lists:
            items = json.loads(items_json)
            for item in items:
                item["name"] = {lang: text + PAYLOAD for lang, text in item["name"].items()}
            store.db.execute(
                "UPDATE code_lists SET items = ? WHERE name = ?",
                (json.dumps(items, ensure_ascii=False), name),
            )
        for reg_id, meta_json, text in texts:
            meta = json.loads(meta_json)
            meta["title"] += PAYLOAD
            meta["issuer"] += PAYLOAD
            store.db.execute(
                "UPDATE regulations SET meta = ?, text = ? WHERE reg_id = ?",
                (json.dumps(meta, ensure_ascii=False), _plant_text(text), reg_id),
            )
    store.close()


def _plant_text(text: str) -> str:
    """The payload after the title line, each promulgation line (those before the
    first heading or article), each chapter and section heading, and Article 1."""
    out, part = [], "title"
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and part == "title":
            line, part = stripped + PAYLOAD, "promulgation"
        elif _HEADING.match(stripped) or _FIRST_ARTICLE.match(stripped):
            line, part = stripped + PAYLOAD, "body"
        elif stripped and part == "promulgation":
            line = stripped + PAYLOAD
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory, fetched_var: Path) -> BuiltSite:
    """The development build of a store whose every name and heading carries markup."""
    base = tmp_path_factory.mktemp("marked")
    shutil.copytree(fetched_var, base / "var")
    _plant(base / "var")
    return build_into(base)


@pytest.fixture(scope="module")
def regulations(marked: BuiltSite) -> RegulationSet:
    found = load_regulations(marked.var)
    assert len(found.regulations) == 10
    assert all(r.document is not None for r in found.regulations), [
        r.error for r in found.regulations
    ]
    return found


class _Plain(SimpleHTTPRequestHandler):
    """Python's static file server as it is: no security header of any kind."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def bare_url(marked: BuiltSite) -> Iterator[str]:
    handler = partial(_Plain, directory=str(marked.output))
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield base_url(server)


# --- the files ----------------------------------------------------------------


def test_the_store_really_carries_the_markup(marked: BuiltSite, regulations: RegulationSet) -> None:
    names = code_names(marked.var, "zh")
    assert set(names) == {"region", "category", "channel", "agency"}
    assert all(n.endswith(PAYLOAD) for d in names.values() for n in d.values())
    for regulation in regulations.regulations:
        doc = regulation.document
        assert doc is not None
        assert doc.title.endswith(PAYLOAD) and regulation.meta["issuer"].endswith(PAYLOAD)
        assert doc.promulgation and all(line.endswith(PAYLOAD) for line in doc.promulgation)
        assert all(PAYLOAD in c.title for c in doc.chapters)
        assert all(PAYLOAD in s.title for c in doc.chapters for s in c.sections)
        assert doc.articles[0].paragraphs[0].text.endswith(PAYLOAD)
    assert any(c.sections for r in regulations.regulations for c in r.document.chapters)  # type: ignore[union-attr]


def test_no_page_holds_the_markup_as_markup(marked: BuiltSite) -> None:
    pages = sorted(marked.output.rglob("*.html"))
    showing = []
    for file in pages:
        html = file.read_text("utf-8")
        for raw in RAW:
            assert raw not in html, (file, raw)
        assert "&amp;amp;" not in html and "R&amp;amp;D" not in html, file  # escaped once
        if "R&amp;D" in html:
            showing.append(file.relative_to(marked.output).as_posix())
    # The names and headings reach the statistics and regulation pages of both languages.
    for prefix in ("", "en/"):
        assert f"{prefix}statistics/by/agency/index.html" in showing
        assert f"{prefix}statistics/received/index.html" in showing
        assert f"{prefix}regulations/index.html" in showing
        assert f"{prefix}regulations/shanghai-xinfang-tiaoli-2018/index.html" in showing
    assert len(showing) >= 40


def test_the_link_check_passes_on_the_marked_build(marked: BuiltSite) -> None:
    # Unescaped, the payload's <img src=x> was a link to a missing file on ~40 pages,
    # and the update's check refused every build.
    assert check_site(marked.output) == []


# --- the policy in <meta> ------------------------------------------------------------


def _directives(text: str) -> dict[str, str]:
    parts = [p.strip().split(None, 1) for p in text.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize(
    "site_url",
    [None, "", "https://petitions.example.gov.cn", "http://127.0.0.1:8000", "https://a.org/x"],
)
def test_the_meta_policy_is_the_header_policy_minus_what_meta_cannot_carry(
    site_url: str | None,
) -> None:
    header, meta = _directives(policy(site_url)), _directives(meta_policy(site_url))
    assert "frame-ancestors" in header
    assert meta == {k: v for k, v in header.items() if k not in META_IGNORED}
    assert not META_IGNORED & set(meta)
    assert netlify_file(False, site_url).count(policy(site_url)) == 1


def test_scripts_are_narrowed_to_the_theme_folder_when_the_site_url_is_absolute() -> None:
    assert script_source(None) == script_source("") == "'self'"
    assert script_source("https://a.org") == "https://a.org/theme/js/"
    assert script_source("https://a.org/sub") == "https://a.org/sub/theme/js/"
    assert _directives(policy("https://a.org"))["script-src"] == "https://a.org/theme/js/"
    for bad in ("https://a.org; script-src *", "https://a.org 'unsafe-inline'", "https://a,b"):
        with pytest.raises(ValueError):
            script_source(bad)


_HEAD = re.compile(
    r'<head>\s*<meta charset="utf-8">\s*'
    r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">'
)


def _head_policy(html: str) -> str | None:
    """The policy of the <meta> right after the charset, first in <head>; else None."""
    m = _HEAD.search(html)
    return unescape(m[1]) if m else None


def test_every_page_carries_the_policy_first_in_its_head(marked: BuiltSite) -> None:
    pages = sorted(marked.output.rglob("*.html"))
    assert len(pages) > 60
    for file in pages:
        assert _head_policy(file.read_text("utf-8")) == meta_policy(""), file
    assert (marked.output / "_headers").read_text("utf-8") == netlify_file(production=False)


@pytest.fixture(scope="module")
def production(
    tmp_path_factory: pytest.TempPathFactory, fetched_var: Path
) -> Iterator[tuple[Path, str]]:
    """A production build for a site URL on loopback, served by the plain server there.

    The port is taken before the build, so the absolute URLs in the pages (and the
    policy's script folder) name the server that serves them."""
    from operations.build import PRODUCTION, build_site

    base = tmp_path_factory.mktemp("production")
    shutil.copytree(fetched_var, base / "var")
    output = base / "output"
    handler = partial(_Plain, directory=str(output))
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        url = base_url(server)
        build_site(
            PRODUCTION,
            env={
                "SUNSHINE_OUTPUT": str(output),
                "SUNSHINE_VAR": str(base / "var"),
                "SUNSHINE_SITE_URL": url,
            },
        )
        yield output, url


def test_a_production_build_names_the_theme_folder_in_meta_and_headers(
    production: tuple[Path, str],
) -> None:
    output, url = production
    for page in ("index.html", "en/index.html", "en/statistics/received/index.html", "404.html"):
        html = (output / page).read_text("utf-8")
        assert _head_policy(html) == meta_policy(url), page
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts and all(s.startswith(f"{url}/theme/js/") for s in scripts), scripts
    assert (output / "_headers").read_text("utf-8") == netlify_file(True, url)
    assert f"script-src {url}/theme/js/;" in (output / "_headers").read_text("utf-8")


# --- in Chromium, with no header -------------------------------------------------------


def _violations(page: Any) -> None:
    page.evaluate(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


def _open(page: Any, url: str) -> Any:
    """Open a page and give a meta refresh, image errors and scripts time to act."""
    response = page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(200)
    return response


def _unharmed(page: Any, url: str, origin: str) -> None:
    # The scripts may take a code or query out of the fragment; the page stays.
    assert page.url.split("#")[0] == url.split("#")[0], "the page navigated away"
    assert page.evaluate("typeof window.__x") == "undefined", "the payload ran"
    assert page.locator("svg[onload], img[onerror], meta[http-equiv=refresh]").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert all(urlsplit(u).netloc == urlsplit(origin).netloc for u in page.requests), page.requests
    assert not [u for u in page.requests if urlsplit(u).path.endswith("/x")]
    policy_meta = page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert policy_meta.count() == 1
    assert policy_meta.get_attribute("content") == meta_policy("")
    assert page.evaluate("document.head.children[1].httpEquiv") == "Content-Security-Policy"
    assert page.console_errors == []


PAGES = [
    "/",
    "/track/",
    "/statistics/",
    "/statistics/methodology/",
    "/data/",
    "/search/",
    "/guides/time-limits/",
    "/explainers/",
    "/about/",
    "/404.html",
]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES + ["/en" + p for p in PAGES])
def test_pages_without_names_run_clean_with_no_headers(page, bare_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    response = _open(page, bare_url + path)
    assert response is not None and response.ok
    assert "content-security-policy" not in response.headers  # only the page's own <meta>
    _unharmed(page, bare_url + path, bare_url)


def _row_headers(page: Any, table: str) -> list[tuple[str, str]]:
    """``(data-code, row header as the reader sees it)`` for each row of a table."""
    rows = page.eval_on_selector_all(
        f"{table} tbody tr[data-code]",
        "rows => rows.map(r => [r.dataset.code, r.querySelector('th').innerText])",
    )
    return [(code, name) for code, name in rows]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("dimension", ["agency", "region", "category", "channel"])
def test_names_in_breakdowns_show_as_text(  # type: ignore[no-untyped-def]
    page, bare_url: str, marked: BuiltSite, lang: str, dimension: str
) -> None:
    names = code_names(marked.var, lang)[dimension]
    url = f"{bare_url}{'/en' if lang == 'en' else ''}/statistics/by/{dimension}/"
    _open(page, url)
    _unharmed(page, url, bare_url)
    shown = _row_headers(page, "[data-testid=dimension-table]")
    assert shown and all(name == names.get(code, code) for code, name in shown)
    assert PAYLOAD in page.locator("main").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_names_on_an_indicator_page_show_as_text(  # type: ignore[no-untyped-def]
    page, bare_url: str, marked: BuiltSite, prefix: str
) -> None:
    names = code_names(marked.var, "en" if prefix else "zh")
    url = f"{bare_url}{prefix}/statistics/received/"
    _open(page, url)
    _unharmed(page, url, bare_url)
    for dimension in ("agency", "region", "category", "channel"):
        shown = _row_headers(page, f"[data-testid=by-{dimension}]")
        assert shown
        assert all(name == f"{names[dimension][code]} {code}" for code, name in shown)


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_regulation_listing_shows_titles_and_issuers_as_text(  # type: ignore[no-untyped-def]
    page, bare_url: str, regulations: RegulationSet, prefix: str
) -> None:
    url = f"{bare_url}{prefix}/regulations/"
    _open(page, url)
    _unharmed(page, url, bare_url)
    for regulation in regulations.regulations:
        item = page.locator(f"li[data-reg='{regulation.reg_id}']")
        text = item.inner_text()
        assert regulation.meta["title"] in text and regulation.meta["issuer"] in text


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("reg_id", ["shanghai-xinfang-tiaoli-2018", "xinfang-tiaoli-2005"])
def test_regulation_pages_show_every_heading_as_text(  # type: ignore[no-untyped-def]
    page, bare_url: str, regulations: RegulationSet, prefix: str, reg_id: str
) -> None:
    regulation = regulations.get(reg_id)
    assert regulation is not None and regulation.document is not None
    doc = regulation.document
    url = f"{bare_url}{prefix}/regulations/{reg_id}/"
    _open(page, url)
    _unharmed(page, url, bare_url)
    assert page.locator("h1 span[lang=zh-CN]").inner_text() == doc.title
    assert regulation.meta["issuer"] in page.locator("article.regulation header .meta").inner_text()
    assert page.locator(".promulgation").all_inner_texts() == doc.promulgation
    headings = page.locator("[data-chapter] > h2").all_inner_texts()
    assert [h.split("\u3000", 1)[1] for h in headings] == [c.title for c in doc.chapters]
    sections = page.locator("[data-section] > h3").all_inner_texts()
    assert [h.split("\u3000", 1)[1] for h in sections] == [
        s.title for c in doc.chapters for s in c.sections
    ]
    first = page.locator("[data-article='1'] .paragraph p").first.inner_text()
    assert first == doc.articles[0].paragraphs[0].text


@pytest.mark.browser
def test_search_hits_show_marked_titles_as_text(page, bare_url: str) -> None:  # type: ignore[no-untyped-def]
    url = f"{bare_url}/search/#q={quote('复查')}"
    _open(page, url)
    page.locator("[data-testid=search-result]").first.wait_for()
    texts = page.locator("[data-testid=search-result]").all_inner_texts()
    assert any(PAYLOAD in t for t in texts), texts
    _unharmed(page, url, bare_url)


@pytest.mark.browser
def test_a_looked_up_case_shows_its_agency_as_text(  # type: ignore[no-untyped-def]
    page, bare_url: str, marked: BuiltSite
) -> None:
    import sqlite3

    db = sqlite3.connect(marked.var / "store.sqlite3")
    code, data = db.execute("SELECT tracking_code, data FROM cases ORDER BY case_id").fetchone()
    db.close()
    agency = code_names(marked.var, "zh")["agency"][json.loads(data)["agency"]]
    url = f"{bare_url}/track/#code={code}"
    _open(page, url)
    result = page.locator("[data-testid=case-result]")
    result.wait_for()
    assert agency in result.inner_text()
    _unharmed(page, url, bare_url)


@pytest.mark.browser
def test_the_meta_policy_is_enforced_with_no_header(page, bare_url: str) -> None:  # type: ignore[no-untyped-def]
    url = f"{bare_url}/statistics/"
    _open(page, url)
    _violations(page)
    page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.__x = 1';"
        "document.body.append(s);"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.evaluate("window.__violations") == ["script-src-elem inline"]


@pytest.mark.browser
def test_a_production_build_runs_its_scripts_and_only_them(  # type: ignore[no-untyped-def]
    page, production: tuple[Path, str]
) -> None:
    _, url = production
    _open(page, f"{url}/search/#q={quote('复查')}")
    page.locator("[data-testid=search-result]").first.wait_for()  # search.js ran
    _violations(page)
    # Same origin, but not the theme's folder: 'self' would let it load.
    page.evaluate(
        "const s = document.createElement('script'); s.src = '/data/overall.json';"
        "document.body.append(s);"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == [f"script-src-elem {url}/data/overall.json"]
