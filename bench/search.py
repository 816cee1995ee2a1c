"""Search against a yardstick (``invoke bench search``): bytes per query and recall.

The site is built from the demo registry into a throwaway folder; Pagefind
(the extended build from PyPI, a development dependency only) indexes the
same built pages (``<main>`` of the guides, explainers, regulations and
statistics pages, both languages) into that folder. Both searches then run in
real Chromium on the same queries:

- bytes: every response a search needs (our ``search.js`` and index files;
  Pagefind's ``/pagefind/`` files), counted as a host that compresses would
  send them (the smaller of the body and its gzip), for the first query of a
  fresh page and for each later one;
- recall: of the pages judged relevant to a query (:data:`EXPECTED`), the
  share among the top 10, counted by page (an article's ``#art-N`` hit counts
  for its regulation's page).

Pagefind's page runs without the site's Content-Security-Policy, which would
block its WebAssembly; ours runs under it.
"""

from __future__ import annotations

import contextlib
import gzip
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bench.chromium import site_in_chromium

EXPECTED: dict[str, list[str]] = {
    "复查": ["/guides/review-and-rereview/"],
    "复核期限": ["/guides/review-and-rereview/", "/guides/time-limits/"],
    "办理期限": ["/guides/time-limits/"],
    "查询码": ["/guides/check-progress/"],
    "涉法涉诉": ["/guides/law-related-petitions/"],
    "网上信访": ["/statistics/online_share/", "/guides/how-to-petition/"],
    "满意率": ["/statistics/satisfaction_rate/", "/statistics/basic_satisfaction_rate/"],
    "按期办结率": ["/statistics/on_time_reply_rate/"],
    "重复信访": ["/statistics/repeat_rate/"],
    "信访工作条例": ["/explainers/2022-regulations-for-petitioners/"],
    "review": ["/en/guides/review-and-rereview/"],
    "time limits": ["/en/guides/time-limits/"],
    "law-related": ["/en/guides/law-related-petitions/"],
    "query code": ["/en/guides/check-progress/"],
    "satisfaction": [
        "/en/statistics/satisfaction_rate/",
        "/en/statistics/basic_satisfaction_rate/",
    ],
    "how to petition": ["/en/guides/how-to-petition/"],
    "online share": ["/en/statistics/online_share/"],
    "repeat petitions": ["/en/statistics/repeat_rate/"],
    "open cases": ["/en/statistics/backlog/"],
    "what this site publishes": ["/en/guides/what-this-site-publishes/"],
}
"""Queries with the pages a reader would expect among the hits (judged by hand)."""

PAGEFIND_GLOB = "**/{guides,explainers,regulations,statistics}/**/index.html"


@dataclass(frozen=True)
class Side:
    name: str
    first_kb: float
    typical_kb: float
    recall: float
    index_kb: float
    typical_ms: float

    def line(self) -> str:
        return (
            f"{self.name}: first query {self.first_kb:.1f} KB, typical query (median) "
            f"{self.typical_kb:.1f} KB in {self.typical_ms:.0f} ms, recall@10 "
            f"{self.recall:.2f}, index on disk {self.index_kb:.0f} KB"
        )


def _wire(body: bytes) -> int:
    return min(len(body), len(gzip.compress(body, 6)))


def _page_of(url: str) -> str:
    return urlsplit(url).path


def _recall(found: dict[str, list[str]]) -> float:
    shares = []
    for query, expected in EXPECTED.items():
        pages = {_page_of(u) for u in found.get(query, [])[:10]}
        shares.append(sum(e in pages for e in expected) / len(expected))
    return sum(shares) / len(shares)


def _folder_kb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _measure(page, run, wanted, queries) -> tuple[list[int], dict[str, list[str]], list[float]]:  # type: ignore[no-untyped-def]
    """Bytes of each query's responses (in order), the urls each found, and its time (ms)."""
    sizes: list[int] = []
    times: list[float] = []
    found: dict[str, list[str]] = {}
    bodies = _Collected(wanted)
    page.on("response", bodies.add)
    for query in queries:
        bodies.sizes.clear()
        started = time.perf_counter()
        found[query] = run(page, query)
        times.append((time.perf_counter() - started) * 1000)
        page.wait_for_timeout(50)
        sizes.append(sum(bodies.sizes))
    page.remove_listener("response", bodies.add)
    return sizes, found, times


class _Collected:
    """Sizes of the wanted responses of a page's loading."""

    def __init__(self, wanted) -> None:  # type: ignore[no-untyped-def]
        self.wanted = wanted
        self.sizes: list[int] = []

    def add(self, response) -> None:  # type: ignore[no-untyped-def]
        if self.wanted(response.url):
            with contextlib.suppress(Exception):
                self.sizes.append(_wire(response.body()))


def _chinese(query: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in query)


def _ours(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate("q => { location.hash = 'q=' + encodeURIComponent(q); }", query)
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status');"
        " return s.textContent && !s.textContent.includes('…'); }"
    )
    links = page.locator("[data-testid=search-result] a")
    return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]


def _pagefind(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(  # type: ignore[no-any-return]
        """async q => {
          window.pf = window.pf || await import('/pagefind/pagefind.js');
          const search = await window.pf.search(q);
          const top = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
          return top.map(d => d.url);
        }""",
        query,
    )


Found = dict[str, list[str]]


def _side(
    browser, start: dict[str, str], run, wanted
) -> tuple[list[int], list[int], Found, list[float]]:  # type: ignore[no-untyped-def]
    """Per language: a fresh page at ``start[lang]``, its queries in turn."""
    firsts, later, found, later_ms = [], [], {}, []
    for lang in ("zh", "en"):
        queries = [q for q in EXPECTED if _chinese(q) == (lang == "zh")]
        page = browser.new_page()
        opened = _Collected(wanted)
        page.on("response", opened.add)
        page.goto(start[lang])
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", opened.add)
        sizes, got, times = _measure(page, run, wanted, queries)
        firsts.append(sum(opened.sizes) + sizes[0])  # what the page itself loaded counts too
        later.extend(sizes[1:])
        later_ms.extend(times[1:])
        found.update(got)
        page.close()
    return firsts, later, found, later_ms


def typical_search_ms(output: Path) -> float:
    """Median time of our search in Chromium over a built site, on :data:`EXPECTED`'s queries.

    The first query of each language is left out: it loads ``search.js`` and
    ``meta.json`` with it. The site is served with its own headers.
    """
    with site_in_chromium(output) as (browser, url):
        start = {"zh": url + "/search/", "en": url + "/en/search/"}
        *_, times = _side(browser, start, _ours, lambda u: False)
    return statistics.median(times)


def bench_search(cases: int = 2000) -> list[Side]:
    from playwright.sync_api import sync_playwright

    from bench.fetch import fetched_store
    from operations.build import build_site
    from operations.serve import make_server

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        fetched_store(cases, base / "var")
        output = base / "output"
        build_site(env={"SUNSHINE_VAR": str(base / "var"), "SUNSHINE_OUTPUT": str(output)})
        pagefind_site = base / "pagefind-site"
        subprocess.run(["cp", "-a", str(output), str(pagefind_site)], check=True)
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(pagefind_site), "--glob",
             PAGEFIND_GLOB, "--root-selector", "main", "--quiet"],
            check=True,
        )  # fmt: skip
        ours_server = make_server(output, "127.0.0.1", 0)
        threading.Thread(target=ours_server.serve_forever, daemon=True).start()
        ours_url = f"http://127.0.0.1:{ours_server.server_address[1]}"
        pf_server, pf_url = _serve(pagefind_site)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless=new", "--no-sandbox", "--disable-gpu"],
                )
                ours_first, ours_later, ours_found, ours_ms = _side(
                    browser,
                    {"zh": ours_url + "/search/", "en": ours_url + "/en/search/"},
                    _ours,
                    lambda u: "/search/index/" in u or u.endswith("/search.js"),
                )
                pf_first, pf_later, pf_found, pf_ms = _side(
                    browser,
                    {"zh": pf_url + "/", "en": pf_url + "/en/"},
                    _pagefind,
                    lambda u: "/pagefind/" in u,
                )
                browser.close()
        finally:
            ours_server.shutdown()
            pf_server.shutdown()
        return [
            Side("Sunshine (Whoosh export)", ours_first[0] / 1024,
                 statistics.median(ours_later) / 1024, _recall(ours_found),
                 _folder_kb(output / "search" / "index"), statistics.median(ours_ms)),
            Side("Pagefind 1.5.2 (extended)", pf_first[0] / 1024,
                 statistics.median(pf_later) / 1024, _recall(pf_found),
                 _folder_kb(pagefind_site / "pagefind"), statistics.median(pf_ms)),
        ]  # fmt: skip
