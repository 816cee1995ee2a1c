"""Chinese set as Chinese, English as plain English, on the built site and in Chromium.

Chinese pages: full-width punctuation next to Chinese characters (，：；（）！？),
articles numbered 第三十四条 (never 第34条), nothing italic, the system's CJK fonts
first. English pages: no backticks and no field names (``repeat_of``) in the text.
The same for what the scripts write into a page: the tracker's result and the
search snippets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import BuiltSite, TrackedSite
from tests.test_tracker_browser import sample_codes  # one code per kind of last event

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
HALF_WIDTH = ":,;()!?"
# A half-width mark with a Chinese character (or full-width mark) on either side,
# a space allowed between: "等待: …", "第二十二条, 第二十三条", "(第34条)".
MIXED = re.compile(rf"[{CJK}] ?[{re.escape(HALF_WIDTH)}]|[{re.escape(HALF_WIDTH)}] ?[{CJK}]")
ARABIC_ARTICLE = re.compile(r"第\s*\d+\s*条")
BACKTICK_OR_FIELD = re.compile(r"`|\b[a-z]+(?:_[a-z]+)+\b")
URL = re.compile(r"\w+://\S+")

# Not the site's own words, and so not set by it:
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "cite"}
# - code and the like (kept as typed), a citation (GB/T 7714 uses ASCII marks);
SKIPPED_CLASSES = {"paragraph", "items"}
# - a regulation's text, quoted as the registry publishes it (its punctuation too).
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class VisibleText(HTMLParser):
    """The text of a page a reader sees, in pieces, with the language each is in."""

    def __init__(self, page_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("", page_lang, False)]
        self.pieces: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        lang = (a.get("lang") or self.stack[-1][1]).split("-")[0]
        classes = set((a.get("class") or "").split())
        skip = self.stack[-1][2] or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        # What a screen reader says or a tooltip shows is read too.
        if not skip:
            self.pieces += [(lang, URL.sub(" ", a[n] or "")) for n in READ_ATTRIBUTES if a.get(n)]
        if tag not in VOID:
            self.stack.append((tag, lang, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        _tag, lang, skip = self.stack[-1]
        if not skip and data.strip():
            self.pieces.append((lang, URL.sub(" ", data)))


def visible(html: str, page_lang: str) -> Iterator[tuple[str, str]]:
    parser = VisibleText(page_lang)
    parser.feed(html)
    parser.close()
    return iter(parser.pieces)


def pages(root: Path, lang: str) -> Iterator[tuple[str, str]]:
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("theme/") or rel.startswith("en/") != (lang == "en"):
            continue
        yield rel, path.read_text("utf-8")


def mixed_punctuation(text: str) -> list[str]:
    return [text[max(0, m.start() - 12) : m.end() + 12] for m in MIXED.finditer(text)]


# -- the built pages ---------------------------------------------------------------------


def test_chinese_pages_use_full_width_punctuation(site: BuiltSite) -> None:
    found = [
        f"{rel}: {snippet!r}"
        for rel, html in pages(site.output, "zh")
        for lang, text in visible(html, "zh")
        if lang == "zh"
        for snippet in mixed_punctuation(text)
    ]
    assert not found, "half-width punctuation in Chinese text:\n" + "\n".join(found)


def test_chinese_pages_number_articles_in_chinese_numerals(site: BuiltSite) -> None:
    found = [
        f"{rel}: {m[0]!r} in {text.strip()[:80]!r}"
        for rel, html in pages(site.output, "zh")
        for lang, text in visible(html, "zh")
        if lang == "zh"
        for m in ARABIC_ARTICLE.finditer(text)
    ]
    assert not found, "\n".join(found)
    # Search results show the stored title: Chinese numerals there as well.
    titles = [
        json.loads(p.read_text("utf-8"))["t"]
        for p in (site.output / "search/index/d").glob("*.json")
    ]
    assert any("第三十四条" in t for t in titles)
    assert not [t for t in titles if ARABIC_ARTICLE.search(t)]


def test_english_pages_say_it_in_words(site: BuiltSite) -> None:
    found = [
        f"{rel}: {text.strip()[:100]!r}"
        for rel, html in pages(site.output, "en")
        for lang, text in visible(html, "en")
        if lang == "en" and BACKTICK_OR_FIELD.search(text)
    ]
    assert not found, "code formatting or field names in English text:\n" + "\n".join(found)


def test_the_scanner_catches_what_the_issue_reported() -> None:
    """The checks above fail on the very strings the site used to show."""
    for bad in (
        "等待: 信访部门登记转送",
        "依据： 第二十二条, 第二十三条",
        "下载: CSV",
        "期限 2026-01-05 (第34条)",
    ):
        assert mixed_punctuation(bad), bad
    assert ARABIC_ARTICLE.search("（第34条）")
    html = "<p>The clock starts at `accepted`.</p><p>Cases with repeat_of.</p>"
    assert [t for _, t in visible(html, "en") if BACKTICK_OR_FIELD.search(t)] == [
        "The clock starts at `accepted`.",
        "Cases with repeat_of.",
    ]
    # Code, times and thousands are not punctuation mistakes.
    quiet = "<p>办公时间 9:00–12:00，共 1,234 件</p><p><code>a_b: c</code></p>"
    assert [mixed_punctuation(t) for _, t in visible(quiet, "zh")] == [[]]


def test_search_snippets_from_tables_keep_rows_and_cells_apart(site: BuiltSite) -> None:
    docs = [
        json.loads(p.read_text("utf-8")) for p in (site.output / "search/index/d").glob("*.json")
    ]
    guide = next(d for d in docs if d["u"] == "/guides/time-limits/")
    # One row of the guide's table: its cells set apart, the row ended.
    assert "15日 · 信访部门收到信访事项 · " in guide["x"]
    assert "15日信访部门收到信访事项" not in guide["x"]
    english = next(d for d in docs if d["u"] == "/en/guides/time-limits/")
    assert not re.search(r"[a-z]\d+ days", english["x"])  # "registration15 days"


# -- in Chromium -------------------------------------------------------------------------


@pytest.mark.browser
def test_withheld_figures_and_emphasis_are_not_italic_in_chinese(
    page, server_url: str, site: BuiltSite
) -> None:  # type: ignore[no-untyped-def]
    withheld = [
        rel
        for rel, html in pages(site.output, "zh")
        if rel.startswith("statistics/") and re.search(r'<td data-status="(withheld|suppres)', html)
    ]
    assert withheld, "the demo data should withhold or suppress some figure"
    page.goto(f"{server_url}/{withheld[0].removesuffix('index.html')}")
    cells = page.locator('td[data-status="withheld"], td[data-status="suppressed"]')
    assert cells.count()
    styles = cells.evaluate_all("els => els.map(e => getComputedStyle(e).fontStyle)")
    assert set(styles) == {"normal"}
    # Emphasis in Chinese text: upright, marked by dots; the CJK fonts first.
    shown = page.evaluate(
        """() => {
          const p = document.createElement('p');
          p.innerHTML = '<em>重要</em><i>书名</i>';
          document.querySelector('main').appendChild(p);
          const em = getComputedStyle(p.querySelector('em'));
          return [em.fontStyle, getComputedStyle(p.querySelector('i')).fontStyle,
                  em.textEmphasisStyle, getComputedStyle(document.body).fontFamily,
                  getComputedStyle(p).fontFamily];
        }"""
    )
    assert shown[0] == "normal" and shown[1] == "normal"
    assert shown[2] not in ("", "none")
    assert shown[3].startswith('"PingFang SC"') and shown[4].startswith('"PingFang SC"')
    # English pages keep their italics and their font stack.
    page.goto(f"{server_url}/en/{withheld[0].removesuffix('index.html')}")
    english = page.evaluate(
        """() => {
          const em = document.createElement('em');
          document.querySelector('main').appendChild(em);
          return [getComputedStyle(em).fontStyle, getComputedStyle(document.body).fontFamily];
        }"""
    )
    assert english[0] == "italic" and not english[1].startswith('"PingFang SC"')


@pytest.mark.browser
def test_the_trackers_chinese_result_is_typeset_as_chinese(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    codes = sample_codes(tracked)
    assert len(codes) >= 6
    found: list[str] = []
    articles = 0
    for n, code in enumerate([*codes, "0000-0000-0000-0000"]):
        page.goto("about:blank")
        page.goto(f"{tracked_url}/track/#code={code}")
        box = page.locator("[data-testid=case-result], [data-testid=case-not-found]")
        box.wait_for()
        # The result as a reader sees it, less the notes (the registry's text).
        text = box.evaluate(
            "b => { const c = b.cloneNode(true);"
            " c.querySelectorAll('.note').forEach(n => n.remove()); return c.innerText; }"
        )
        articles += len(re.findall(r"第[一二三四五六七八九十]+条", text))
        found += [f"case {n}: {s!r}" for s in mixed_punctuation(URL.sub(" ", text))]
        found += [f"case {n}: {m!r}" for m in ARABIC_ARTICLE.findall(text)]
    assert articles, "the results should cite articles"
    assert not found, "\n".join(found)
    assert page.console_errors == []


@pytest.mark.browser
def test_search_snippets_keep_full_width_punctuation(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    # Guides only: a regulation's text is quoted as published, half-width marks and all.
    page.goto(f"{server_url}/search/#q={quote('当场告知')}&kind=guide&lang=zh")
    page.locator("[data-testid=search-result]").first.wait_for()
    snippets = page.locator("[data-testid=search-result] p").all_inner_texts()
    joined = "\n".join(snippets)
    assert "（能当场告知的当场告知）" in joined  # as written, not "(能当场告知的当场告知)"
    assert " · 15日 · " in joined  # a table row, its cells apart
    assert not [s for s in snippets if mixed_punctuation(s)], snippets
    marks = page.locator("[data-testid=search-result] mark").all_inner_texts()
    assert {"当场", "场告", "告知"} & set(marks)
    status = page.locator("#search-status").inner_text()
    assert re.fullmatch(r"找到\d+项结果(，显示最相关的10项)?。", status), status
    # English: how many were found, in words that fit the number.
    page.goto(f"{server_url}/en/search/#q=hearing")
    page.locator("[data-testid=search-result]").first.wait_for()
    shown = page.locator("[data-testid=search-result]").count()
    status = page.locator("#search-status").inner_text()
    if shown < 10:
        assert status in (f"{shown} results.", "One result."), status
    else:
        assert re.fullmatch(r"\d+ results; the 10 most relevant are shown\.", status), status
    assert page.console_errors == []


@pytest.mark.browser
def test_the_trackers_english_result_says_it_in_words(
    page, tracked: TrackedSite, tracked_url: str
) -> None:  # type: ignore[no-untyped-def]
    found: list[str] = []
    cited = 0
    for n, code in enumerate([*sample_codes(tracked), "0000-0000-0000-0000"]):
        page.goto("about:blank")
        page.goto(f"{tracked_url}/en/track/#code={code}")
        box = page.locator("[data-testid=case-result], [data-testid=case-not-found]")
        box.wait_for()
        text = box.evaluate(
            "b => { const c = b.cloneNode(true);"
            " c.querySelectorAll('.note').forEach(n => n.remove()); return c.innerText; }"
        )
        cited += text.count("Art. ")
        found += [f"case {n}: {m!r}" for m in BACKTICK_OR_FIELD.findall(URL.sub(" ", text))]
    assert cited, "the results should cite articles"
    assert not found, "\n".join(found)
    assert page.console_errors == []
