"""Benchmark of a site with many regulations (``invoke bench regulations --count 300``).

A publisher may serve hundreds of laws beside the petition regulations. The
store is filled from the demo registry (a small number of cases: the cases are
``bench build``'s), then the ten official texts are copied under new ids and
titles until there are ``count`` regulations. Timed: parsing them all (what
every build does once), the full build (pages, JSON and the Whoosh index of
record with its static export, one search document per article), and search
in Chromium over the result.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.fetch import fetched_store
from bench.search import typical_search_ms
from operations.build import build_site
from store import Store
from store.reference import read_regulations
from sunshine.regulations.regulation_text import parse


@dataclass(frozen=True)
class RegulationsBenchmark:
    regulations: int
    articles: int
    parse_seconds: float
    build_seconds: float
    peak_rss_mb: float
    pages: int
    index_mb: float
    search_ms: float

    def line(self) -> str:
        return (
            f"{self.regulations} regulations ({self.articles:,} articles): parse "
            f"{self.parse_seconds:.2f} s; full build with the search index "
            f"{self.build_seconds:.1f} s, peak RSS {self.peak_rss_mb:.0f} MB; "
            f"{self.pages} regulation pages; search files {self.index_mb:.1f} MB; "
            f"search in Chromium {self.search_ms:.0f} ms (median)"
        )


def _multiply(var: Path, count: int) -> None:
    """Copy the store's regulations under new ids and titles up to ``count`` in all."""
    originals = [(json.loads(meta), text) for meta, text in read_regulations(var)]
    store = Store.open(var)
    with store.transaction():
        for k in range(count - len(originals)):
            meta, text = originals[k % len(originals)]
            copy = dict(meta)
            copy["reg_id"] = f"{meta['reg_id']}-copy-{k + 1}"
            copy["title"] = f"{meta['title']}（副本{k + 1}）"
            copy["supersedes"] = []
            title, rest = text.split("\n", 1)
            store.put_regulation(
                copy["reg_id"],
                json.dumps(copy, ensure_ascii=False),
                f"{copy['title']}\n{rest}" if title.strip() == meta["title"] else text,
                None,
                "2026-11-29T00:00:00+08:00",
            )
    store.close()


def bench_regulations(count: int = 300, cases: int = 2000) -> RegulationsBenchmark:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        fetched_store(cases, base / "var")
        _multiply(base / "var", count)
        texts = read_regulations(base / "var")
        started = time.perf_counter()
        documents = [parse(text, json.loads(meta)["reg_id"]) for meta, text in texts]
        parsed = time.perf_counter() - started
        output = base / "output"
        started = time.perf_counter()
        build_site(env={"SUNSHINE_VAR": str(base / "var"), "SUNSHINE_OUTPUT": str(output)})
        built = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = len(list((output / "regulations").glob("*/index.html")))
        search = [p for p in (output / "search").rglob("*") if p.is_file()]
        return RegulationsBenchmark(
            len(texts),
            sum(len(d.articles) for d in documents),
            parsed,
            built,
            peak,
            pages,
            sum(p.stat().st_size for p in search) / 2**20,
            typical_search_ms(output),
        )


if __name__ == "__main__":  # python -m bench.regulations [count]
    import sys

    print(bench_regulations(int(sys.argv[1]) if len(sys.argv) > 1 else 300).line())
