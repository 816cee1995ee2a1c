"""Search: the analyser, the Whoosh index of record, and the browser ranking exactly as it does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from search_index import Doc, build, query_terms, search
from search_index.analysis import analyse
from search_index.export import export, fnv1a
from search_index.index import STANDING
from sunshine.config import ROOT
from sunshine.regulations.collection import Regulation, load
from tests.conftest import BuiltSite

ZH_QUERIES = [
    "复查", "申请复查", "复核", "信访事项", "办理期限", "受理", "不予受理", "书面告知",
    "听证", "延长", "满意", "评价", "网上信访", "重复信访", "转送", "督查督办", "诉讼",
    "行政复议", "投诉请求", "检举控告", "及时受理率", "按期办结率", "超期未办结", "查询码",
    "信访工作条例第三十四条", "处理意见书", "走访",
    # Hits in texts of every standing (national, local, repealed), whose scores carry
    # their standing's factor on both sides.
    "信访条例", "信访人", "信访工作机构", "复查意见书",
]  # fmt: skip
EN_QUERIES = [
    "review", "re-review", "hearing", "hearings", "time limit", "extension", "satisfaction",
    "online", "repeat petitions", "acceptance", "reply", "forwarded", "complaint",
    "law-related", "evaluation", "open cases", "how to petition", "query code", "visits",
]  # fmt: skip


def index_folder(site: BuiltSite) -> Path:
    return site.var / "search-index"


# -- the analyser ---------------------------------------------------------------


def test_chinese_becomes_overlapping_pairs_with_consecutive_positions() -> None:
    assert [t for t, _, _ in analyse("申请复查")] == ["申请", "请复", "复查"]
    assert [t for t, _, _ in analyse("访")] == ["访"]  # a lone character is kept
    assert query_terms("复查复查") == ["复查", "查复"]  # repeats counted once


def test_positions_count_terms_so_phrase_queries_work() -> None:
    # Phrase queries need consecutive positions for consecutive terms (jieba's
    # analyser gives character offsets instead, which breaks them).
    from search_index.analysis import MixedTokenizer

    tokens = [(t.text, t.pos) for t in MixedTokenizer()("申请复查 and hearings", positions=True)]
    assert tokens == [("申请", 0), ("请复", 1), ("复查", 2), ("hear", 3)]


def test_english_is_stemmed_without_stop_words_and_full_width_is_folded() -> None:
    assert query_terms("The Hearings of petitions") == ["hear", "petit"]
    assert query_terms("ＲＥＶＩＥＷ ２０２２") == ["review", "2022"]
    assert query_terms("a I x") == []  # stop words and single letters


def test_a_phrase_across_words_ranks_the_page_that_has_it(tmp_path: Path) -> None:
    docs = [
        Doc("/a/", "甲", "可以申请行政复议或者提起行政诉讼。", "guide", "zh"),
        Doc("/b/", "乙", "行政机关复议时，应当听取意见。", "guide", "zh"),
        Doc("/c/", "丙", "Hearings are held in public.", "guide", "en"),
    ]
    build(docs, tmp_path / "ix")
    assert next(h.url for h in search(tmp_path / "ix", "行政复议")) == "/a/"
    assert [h.url for h in search(tmp_path / "ix", "hearing")] == ["/c/"]
    assert [h.url for h in search(tmp_path / "ix", "行政", langs=["en"])] == []


def test_at_equal_relevance_the_national_text_in_force_comes_first(tmp_path: Path) -> None:
    body = "信访人对处理意见不服的，可以请求复查。"
    docs = [
        Doc("/old/", "旧条例", body, "article", "zh", level="national", status="repealed",
            successor=("新条例", "New Regulations")),
        Doc("/local/", "省条例", body, "article", "zh", level="provincial"),
        Doc("/national/", "国条例", body, "article", "zh", level="national"),
        Doc("/guide/", "指南", body, "guide", "zh"),
    ]  # fmt: skip
    build(docs, tmp_path / "ix")
    hits = search(tmp_path / "ix", "复查")
    assert [h.url for h in hits] == ["/national/", "/guide/", "/local/", "/old/"]
    full = hits[0].score
    assert abs(hits[2].score - full * STANDING["local"]) < 1e-9
    assert abs(hits[3].score - full * STANDING["not in force"]) < 1e-9
    assert hits[3].mark("zh") == "已废止，由《新条例》取代"
    assert hits[3].mark("en") == "Repealed; superseded by New Regulations"
    assert [h.mark() for h in hits[:3]] == ["", "", ""]


def _not_in_force(site: BuiltSite) -> list[tuple[Regulation, str]]:
    """Each regulation not in force, with the title of what superseded it (or "")."""
    regulations = load(site.var)
    found = []
    for regulation in regulations.regulations:
        successors = regulations.superseded_by(regulation.reg_id)
        if regulation.meta["status"] == "repealed" or successors:
            found.append((regulation, successors[0].title("zh") if successors else ""))
    return found


def test_the_2022_article_on_review_ranks_near_the_top(site: BuiltSite) -> None:
    hits = search(index_folder(site), "复查")
    urls = [h.url for h in hits]
    assert "/regulations/xinfang-gongzuo-tiaoli-2022/#art-35" in urls[:3], urls
    articles = search(index_folder(site), "复查", kinds=["article"])
    assert articles[0].url == "/regulations/xinfang-gongzuo-tiaoli-2022/#art-35"
    # No article of a text not in force is ranked above it.
    old = {f"/regulations/{r.reg_id}/" for r, _ in _not_in_force(site)}
    assert old and not any(h.url.split("#")[0] in old for h in articles[:5])


def test_an_unknown_kind_is_refused_with_the_page_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="/x/: unknown kind 'blog'"):
        build([Doc("/x/", "x", "x", "blog", "en")], tmp_path / "ix")


def test_export_shards_hold_whooshs_scores(site: BuiltSite, tmp_path: Path) -> None:
    out = tmp_path / "search"
    done = export(index_folder(site), out)
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert done.shards == meta["shards"] > 1 and len(meta["k"]) == len(meta["l"]) == done.docs
    hits = search(index_folder(site), "复查", limit=3)
    shard = json.loads((out / "t" / f"{fnv1a('复查') % meta['shards']}.json").read_text("utf-8"))
    entry = shard["复查"]
    scores = dict(zip(entry[::2], entry[1::2], strict=True))
    for hit in hits:
        assert abs(scores[hit.docnum] - hit.score) < 1e-4


# -- the command line -------------------------------------------------------------


def _invoke_search(site: BuiltSite, *args: str) -> list[dict[str, object]]:
    """`invoke search ARGS` against the built site's index: its JSON lines."""
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "search", *args],
        cwd=ROOT,
        env={"SUNSHINE_VAR": str(site.var), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_invoke_search_prints_json_lines_best_first(site: BuiltSite) -> None:
    lines = _invoke_search(site, "复查", "--limit", "5")
    assert len(lines) == 5 and all(set(x) == {"url", "title", "kind", "score"} for x in lines)
    scores = [x["score"] for x in lines]
    assert scores == sorted(scores, reverse=True)
    assert any(x["url"] == "/guides/review-and-rereview/" for x in lines)


def test_invoke_search_marks_articles_of_texts_not_in_force(site: BuiltSite) -> None:
    lines = _invoke_search(site, "信访人", "--kind", "article", "--limit", "500")
    old = _not_in_force(site)
    assert old
    for regulation, successor in old:
        mine = [x for x in lines if x["url"].startswith(f"/regulations/{regulation.reg_id}/#")]
        assert mine, regulation.reg_id
        said = "已废止" if regulation.meta["status"] == "repealed" else "已被取代"
        assert all(x["status"].startswith(said) for x in mine)
        assert all(f"《{successor}》" in x["status"] for x in mine if successor)
    in_force = {r.reg_id for r in load(site.var).regulations} - {r.reg_id for r, _ in old}
    assert not any("status" in x for x in lines if x["url"].split("/")[2] in in_force)


# -- in Chromium ----------------------------------------------------------------------


def _browser_hits(page, server_url: str, query: str, extra: str = "") -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    page.goto(f"{server_url}/search/#q={quote(query)}{extra}")
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status');"
        " return s && s.textContent && !s.textContent.includes('…'); }"
    )
    return _shown_hits(page)


def _shown_hits(page) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    """(url, score) of each hit the page shows."""
    rows = page.locator("[data-testid=search-result]")
    hits = []
    for i in range(rows.count()):
        row = rows.nth(i)
        href = row.locator("a").get_attribute("href") or ""
        hits.append((urlsplit(href).path + ("#" + urlsplit(href).fragment if "#" in href else ""),
                     float(row.get_attribute("data-score") or 0)))  # fmt: skip
    return hits


ROWS = "document.querySelectorAll('[data-testid=search-result]')"


def _more(page) -> int:  # type: ignore[no-untyped-def]
    """Click "more" and wait for the next hits; how many were shown before."""
    shown = int(page.locator("[data-testid=search-result]").count())
    page.locator("[data-testid=search-more]").click()
    page.wait_for_function(f"() => {ROWS}.length > {shown}")
    return shown


def _agree(browser: list[tuple[str, float]], whoosh: list[tuple[str, float]]) -> None:
    assert len(browser) == len(whoosh)
    for (b_url, b_score), (w_url, w_score) in zip(browser, whoosh, strict=True):
        assert abs(b_score - w_score) < 2e-3, (browser, whoosh)
        if b_url != w_url:  # only a tie may swap places
            others = {u: s for u, s in whoosh}
            assert b_url in others and abs(others[b_url] - w_score) < 2e-3, (browser, whoosh)


@pytest.mark.browser
@pytest.mark.parametrize("query", ZH_QUERIES + EN_QUERIES)
def test_the_browser_ranks_as_whoosh_does(
    page, server_url: str, site: BuiltSite, query: str
) -> None:  # type: ignore[no-untyped-def]
    whoosh = [(h.url, h.score) for h in search(index_folder(site), query)]
    assert whoosh, f"no hit for {query!r}: the query set should find something"
    _agree(_browser_hits(page, server_url, query), whoosh)
    assert page.console_errors == []
    assert all(urlsplit(u).netloc == urlsplit(server_url).netloc for u in page.requests)


@pytest.mark.browser
def test_filters_by_kind_and_language_agree(page, server_url: str, site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    for query, kind, lang in (
        ("复查", "article", ""),
        ("review", "", "en"),
        ("期限", "guide", "zh"),
    ):
        whoosh = search(
            index_folder(site), query, kinds=[kind] if kind else [], langs=[lang] if lang else []
        )
        extra = (f"&kind={kind}" if kind else "") + (f"&lang={lang}" if lang else "")
        browser = _browser_hits(page, server_url, query, extra)
        _agree(browser, [(h.url, h.score) for h in whoosh])
        assert all(h.kind == kind for h in whoosh if kind) and whoosh


@pytest.mark.browser
def test_articles_are_deep_linked_and_matches_marked(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    hits = _browser_hits(page, server_url, "申请复查", "&kind=article")
    url = hits[0][0]
    assert re.fullmatch(r"/regulations/[\w-]+/#art-\d+", url)
    assert page.locator("[data-testid=search-result] mark").first.text_content() in (
        "申请",
        "复查",
        "请复",
    )
    page.locator("[data-testid=search-result] a").first.click()
    anchor = url.split("#")[1]
    page.wait_for_url(f"**#{anchor}")
    assert page.locator(f"[id='{anchor}']").count() == 1


@pytest.mark.browser
def test_every_hit_can_be_reached_ten_at_a_time(page, server_url: str, site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    query = "复查"
    whoosh = search(index_folder(site), query, limit=None)
    assert len(whoosh) > 20  # a broad query: more than two pages
    first = _browser_hits(page, server_url, query)
    assert len(first) == 10
    status = page.locator("#search-status")
    assert str(len(whoosh)) in (status.text_content() or "")
    more = page.locator("[data-testid=search-more]")
    clicks = 0
    while more.is_visible():
        shown = _more(page)
        clicks += 1
        # Focus moves to the first new hit.
        focused = "() => document.activeElement.closest('[data-testid=search-result]')"
        assert page.evaluate(f"{focused} === {ROWS}[{shown}]")
    assert clicks == (len(whoosh) - 1) // 10
    _agree(_shown_hits(page), [(h.url, h.score) for h in whoosh])
    assert str(len(whoosh)) in (status.text_content() or "")
    # Paging asks for documents only: the query is in no request, and stays in the fragment.
    assert not any("?" in u or quote(query) in u or query in u for u in page.requests)
    assert page.url.endswith(f"#q={quote(query)}")
    assert page.console_errors == []


@pytest.mark.browser
def test_hits_of_a_text_not_in_force_say_so(page, server_url: str, site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    old = _not_in_force(site)
    assert old
    for lang, prefix in (("zh", ""), ("en", "/en")):
        page.goto(f"{server_url}{prefix}/search/#q={quote('信访人')}&kind=article")
        page.wait_for_selector("[data-testid=search-result]")
        while page.locator("[data-testid=search-more]").is_visible():
            _more(page)
        rows = page.locator("[data-testid=search-result]")
        marked = 0
        for i in range(rows.count()):
            row = rows.nth(i)
            href = row.locator("a").get_attribute("href") or ""
            standing = row.locator("[data-testid=search-standing]")
            regulation = next((r for r, _ in old if f"/regulations/{r.reg_id}/" in href), None)
            if regulation is None:
                assert standing.count() == 0, href
                continue
            marked += 1
            assert standing.is_visible()
            text = standing.text_content() or ""
            repealed = regulation.meta["status"] == "repealed"
            said = {
                ("zh", True): "已废止",
                ("zh", False): "已被取代",
                ("en", True): "Repealed",
                ("en", False): "Superseded",
            }[lang, repealed]
            assert text.startswith(said), text
            successors = load(site.var).superseded_by(regulation.reg_id)
            if successors:
                assert successors[0].title(lang) in text
        assert marked > 0


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_deep_link_into_a_repealed_text_shows_the_notice_at_the_article(
    page, server_url: str, site: BuiltSite, prefix: str
) -> None:  # type: ignore[no-untyped-def]
    repealed = [r for r, _ in _not_in_force(site) if r.meta["status"] == "repealed"]
    assert repealed and repealed[0].document is not None
    regulation = repealed[0]
    article = (
        "art-14" if regulation.document.article(14) else regulation.document.articles[-1].anchor
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server_url}{prefix}/regulations/{regulation.reg_id}/#{article}")
    page.wait_for_load_state("load")
    notice = page.locator("[data-testid=article-status]")
    heading = page.locator(f"[id='{article}'] .article-number")
    assert notice.is_visible() and heading.is_visible()
    box, target = notice.bounding_box(), heading.bounding_box()
    assert box and target
    assert box["y"] >= 0 and box["y"] + box["height"] <= 720  # in the viewport
    assert box["y"] + box["height"] <= target["y"] < 720  # above the article, not over it
    assert ("已废止" if not prefix else "Repealed") in (notice.text_content() or "")
    # In force: no such notice.
    page.goto(f"{server_url}{prefix}/regulations/xinfang-gongzuo-tiaoli-2022/#art-14")
    assert page.locator("[data-testid=article-status]").count() == 0


@pytest.mark.browser
def test_the_header_box_searches_with_the_words_in_the_fragment(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/en/guides/time-limits/")
    page.fill("form.header-search input[name=q]", "hearing")
    page.press("form.header-search input[name=q]", "Enter")
    page.wait_for_selector("[data-testid=search-result]")
    assert page.url.endswith("/search/#q=hearing")
    assert not any("?q=" in u for u in page.requests)  # never in a query string


@pytest.mark.browser
def test_the_stemmer_and_analyser_match_whooshs(page, server_url: str, site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    from whoosh.lang.porter import stem

    texts = [p.read_text("utf-8") for p in (ROOT / "content").rglob("*.md")]
    words = sorted({w for t in texts for w in re.findall(r"[a-z]+", t.lower())})
    words += ["sses", "ies", "agreed", "feed", "hopping", "filing", "happy", "yes", "sky",
              "relational", "conditional", "digitizer", "electrical", "hopefulness",
              "bowdlerize", "controll", "roll", "generalization", "oscillators", "yelling",
              "at", "bled"]  # fmt: skip
    page.goto(server_url + "/search/")
    page.wait_for_function("() => window.sunshineSearch")
    stems = page.evaluate("ws => ws.map(w => window.sunshineSearch.stem(w))", words)
    assert stems == [stem(w) for w in words]
    sample = texts[:6]
    browser = page.evaluate("ts => ts.map(t => window.sunshineSearch.analyse(t))", sample)
    assert browser == [[list(t) for t in analyse(t)] for t in sample]


@pytest.mark.browser
def test_without_javascript_the_page_says_why(browser, server_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server_url + "/en/search/")
    assert page.locator("[data-testid=js-required]").is_visible()
    assert page.locator("form#search").is_hidden()
    context.close()
