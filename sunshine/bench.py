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

    def lines(self) -> list[str]:
        return [
            f"build {self.cases} cases: full {self.full_seconds:.1f} s, rebuild after "
            f"{self.changed} changed cases {self.rebuild_seconds:.1f} s, peak RSS "
            f"{self.peak_rss_mb:.0f} MB",
            f"output: {self.files} files, {self.output_mb:.0f} MB; {self.bucket_files} bucket "
            f"files, the largest {self.largest_bucket_kb:.0f} KB",
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
        )
