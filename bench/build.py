"""Build benchmarks (``invoke bench build``, ``invoke bench scale``).

``bench build``: a store of N demo cases, the one-time key derivation (timed
on its own: it is paid once per case, when the case is first published), a
full build, a 1% rebuild, then the
checks the scheduled update runs on the output (links and fragments, no query
code, case id or note) and lookup and search in Chromium. The store is filled
from the demo registry over loopback (as ``bench fetch`` does); the builds run
Pelican in a child process, as ``invoke build`` does, so the peak memory
reported is the largest child's (Pelican, or a key-derivation worker).

``bench scale``: the same at several sizes, reported as one Markdown table.
"""

from __future__ import annotations

import json
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.chromium import site_in_chromium
from bench.fetch import fetched_store
from bench.search import typical_search_ms
from operations.build import build_site
from operations.site_checks import check_site
from operations.update import find_leaks
from store import Store
from store.cases import case_ids, one_case_data, replace_case_data, some_codes
from sunshine.config import load_settings


@dataclass(frozen=True)
class BuildBenchmark:
    cases: int
    fetch_seconds: float
    fetch_rss_mb: float
    derive_seconds: float
    full_seconds: float
    rebuild_seconds: float
    changed: int
    peak_rss_mb: float
    files: int
    output_mb: float
    bucket_files: int
    largest_bucket_kb: float
    check_seconds: float
    problems: list[str]
    lookup_ms: float
    search_ms: float

    def lines(self) -> list[str]:
        return [
            f"fetch {self.cases} cases: {self.fetch_seconds:.1f} s, peak RSS "
            f"{self.fetch_rss_mb:.0f} MB",
            f"key derivation, once per case: {self.derive_seconds:.1f} s "
            f"({self.derive_seconds / self.cases * 1e6:.0f} µs a case)",
            f"build {self.cases} cases: full {self.full_seconds:.1f} s, rebuild after "
            f"{self.changed} changed cases {self.rebuild_seconds:.1f} s, peak RSS "
            f"{self.peak_rss_mb:.0f} MB",
            f"output: {self.files} files, {self.output_mb:.0f} MB; {self.bucket_files} bucket "
            f"files, the largest {self.largest_bucket_kb:.0f} KB",
            f"checks of the output (links and fragments; no query code, case id or note): "
            f"{len(self.problems)} problems in {self.check_seconds:.1f} s",
            *(f"  {problem}" for problem in self.problems[:20]),
            f"lookup in Chromium (loopback, median of 10, key derivation included): "
            f"{self.lookup_ms:.0f} ms",
            f"search in Chromium (median of the typical queries, to ten hits drawn): "
            f"{self.search_ms:.0f} ms",
        ]

    def row(self) -> str:
        """This run as a row of :data:`SCALE_HEADER`."""
        return (
            f"| {self.cases:,} | {self.fetch_seconds:.1f} s | {self.derive_seconds:.1f} s "
            f"| {self.full_seconds:.1f} s "
            f"| {self.rebuild_seconds:.1f} s | {self.peak_rss_mb:.0f} MB "
            f"| {self.files:,} files, {self.output_mb:,.0f} MB "
            f"| {self.largest_bucket_kb:.0f} KB "
            f"| {len(self.problems)} in {self.check_seconds:.1f} s "
            f"| {self.lookup_ms:.0f} ms | {self.search_ms:.0f} ms |"
        )


SCALE_HEADER = (
    "| cases | fetch | key derivation (once) | full build | rebuild after 1% changed "
    "| peak RSS (build) | output | largest bucket | problems found by the checks "
    "| lookup | search |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _change(var: Path, share: float, seed: int = 7) -> int:
    """Append a withdrawal to ``share`` of the cases, as a fetch of new versions would."""
    store = Store.open(var)
    ids = case_ids(store)
    picked = random.Random(seed).sample(ids, max(1, int(len(ids) * share)))
    with store.transaction():
        for case_id in picked:
            case = json.loads(one_case_data(store, case_id))
            case["events"].append(
                {"id": "bench", "type": "withdrawn", "at": "2026-11-15T11:00:00+08:00"}
            )
            replace_case_data(store, case_id, json.dumps(case, ensure_ascii=False))
    store.close()
    return len(picked)


def lookup_ms(output: Path, codes: list[str]) -> float:
    """Median time from pressing Enter to the result shown, in real Chromium."""
    import statistics

    timings = []
    with site_in_chromium(output) as (browser, origin):
        page = browser.new_page()
        for code in codes:
            page.goto(f"{origin}/track/")
            page.fill("input[name=code]", code)
            started = time.perf_counter()
            page.press("input[name=code]", "Enter")
            page.wait_for_selector("[data-testid=case-result]")
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench_build(cases: int) -> BuildBenchmark:
    from plugins.tracker.collect import derive_keys

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _, fetch_seconds = fetched_store(cases, base / "var")
        fetch_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        env = {"SUNSHINE_VAR": str(base / "var"), "SUNSHINE_OUTPUT": str(base / "output")}
        started = time.perf_counter()
        store = Store.open(base / "var")
        derive_keys(load_settings(var_dir=base / "var"), store)
        store.close()
        derived = time.perf_counter() - started
        started = time.perf_counter()
        build_site(env=env)
        full = time.perf_counter() - started
        changed = _change(base / "var", 0.01)
        started = time.perf_counter()
        build_site(env=env)
        rebuild = time.perf_counter() - started
        files = [p for p in (base / "output").rglob("*") if p.is_file()]
        buckets = list((base / "output" / "track" / "b").glob("*.bin"))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        store = Store.open(base / "var")
        codes = some_codes(store, 10)
        store.close()
        started = time.perf_counter()
        problems = [str(p) for p in check_site(base / "output")]
        problems += find_leaks(base / "output", base / "var")
        checked = time.perf_counter() - started
        return BuildBenchmark(
            cases,
            fetch_seconds,
            fetch_rss,
            derived,
            full,
            rebuild,
            changed,
            peak,
            len(files),
            sum(p.stat().st_size for p in files) / 2**20,
            len(buckets),
            max(p.stat().st_size for p in buckets) / 1024,
            checked,
            problems,
            lookup_ms(base / "output", codes),
            typical_search_ms(base / "output"),
        )


def bench_scale(sizes: list[int]) -> list[str]:
    """``bench build`` at each size, printing each run's lines as it ends (a run of
    a million cases takes minutes); returns one table of them all."""
    rows = []
    for cases in sizes:
        run = bench_build(cases)
        print("\n".join([*run.lines(), ""]), flush=True)
        rows.append(run.row())
    return [SCALE_HEADER, *rows]
