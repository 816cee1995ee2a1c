"""Build benchmarks (``invoke bench build``): a store of N demo cases, a full build, a 1% rebuild.

The store is filled from the demo registry over loopback (as ``bench fetch``
does); the builds run Pelican in a child process, as ``invoke build`` does, so
the peak memory reported is the largest child's (Pelican, or a key-derivation
worker).
"""

from __future__ import annotations

import json
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fetch.bench import fetched_store
from fetch.store import Store
from sunshine.build import build_site


@dataclass(frozen=True)
class BuildBenchmark:
    cases: int
    full_seconds: float
    rebuild_seconds: float
    changed: int
    peak_rss_mb: float
    files: int
    output_mb: float
    bucket_files: int
    largest_bucket_kb: float
    lookup_ms: float

    def lines(self) -> list[str]:
        return [
            f"build {self.cases} cases: full {self.full_seconds:.1f} s, rebuild after "
            f"{self.changed} changed cases {self.rebuild_seconds:.1f} s, peak RSS "
            f"{self.peak_rss_mb:.0f} MB",
            f"output: {self.files} files, {self.output_mb:.0f} MB; {self.bucket_files} bucket "
            f"files, the largest {self.largest_bucket_kb:.0f} KB",
            f"lookup in Chromium (loopback, median of 10, key derivation included): "
            f"{self.lookup_ms:.0f} ms",
        ]


def _change(var: Path, share: float, seed: int = 7) -> int:
    """Append a withdrawal to ``share`` of the cases, as a fetch of new versions would."""
    store = Store.open(var)
    ids = [case_id for (case_id,) in store.db.execute("SELECT case_id FROM cases")]
    picked = random.Random(seed).sample(ids, max(1, int(len(ids) * share)))
    with store.transaction():
        for case_id in picked:
            (data,) = store.db.execute(
                "SELECT data FROM cases WHERE case_id = ?", (case_id,)
            ).fetchone()
            case = json.loads(data)
            case["events"].append(
                {"id": "bench", "type": "withdrawn", "at": "2026-11-15T11:00:00+08:00"}
            )
            store.db.execute(
                "UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?",
                (json.dumps(case, ensure_ascii=False), case_id),
            )
    store.close()
    return len(picked)


def lookup_ms(output: Path, codes: list[str]) -> float:
    """Median time from pressing Enter to the result shown, in real Chromium."""
    import statistics
    import threading

    from playwright.sync_api import sync_playwright

    from sunshine.serve import make_server

    server = make_server(output, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/track/"
    timings = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page()
            for code in codes:
                page.goto(url)
                page.fill("input[name=code]", code)
                started = time.perf_counter()
                page.press("input[name=code]", "Enter")
                page.wait_for_selector("[data-testid=case-result]")
                timings.append((time.perf_counter() - started) * 1000)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return statistics.median(timings)


def bench_build(cases: int) -> BuildBenchmark:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        fetched_store(cases, base / "var")
        env = {"SUNSHINE_VAR": str(base / "var"), "SUNSHINE_OUTPUT": str(base / "output")}
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
        codes = [c for (c,) in store.db.execute("SELECT tracking_code FROM cases LIMIT 10")]
        store.close()
        return BuildBenchmark(
            cases,
            full,
            rebuild,
            changed,
            peak,
            len(files),
            sum(p.stat().st_size for p in files) / 2**20,
            len(buckets),
            max(p.stat().st_size for p in buckets) / 1024,
            lookup_ms(base / "output", codes),
        )
