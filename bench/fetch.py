"""Benchmark of the fetcher: N cases from the demo registry over loopback into a fresh store.

The registry runs in its own process, as the real one would, so the two share
the machine's cores the way a production fetch does not even have to. Wall
time covers the whole run (cases, regulations, code lists); peak memory is the
fetcher process's maximum resident set.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from fetch.client import RegistryClient
from fetch.sync import fetch_all
from store import Store
from sunshine.config import ROOT


@dataclass(frozen=True)
class FetchBenchmark:
    cases: int
    items: int
    seconds: float
    peak_rss_mb: float
    store_mb: float

    def line(self) -> str:
        return (
            f"fetch {self.cases} cases: {self.items} items in {self.seconds:.1f} s "
            f"({self.items / self.seconds:,.0f} items/s), peak RSS {self.peak_rss_mb:.0f} MB, "
            f"store {self.store_mb:.0f} MB"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"the demo registry did not start at {url}")


def fetched_store(cases: int, var: Path, seed: int = 1) -> tuple[int, float]:
    """Fill a store in ``var`` from a demo registry of ``cases``; (items fetched, seconds)."""
    port = _free_port()
    registry = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invoke",
            "registry",
            f"--cases={cases}",
            f"--seed={seed}",
            f"--port={port}",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        _wait_for(url + "/regulations")
        store = Store.open(var)
        client = RegistryClient(url, "demo-token", requests.Session())
        started = time.perf_counter()
        report = fetch_all(client, store)
        seconds = time.perf_counter() - started
        store.close()
    finally:
        registry.terminate()
        registry.wait()
    return report.fetched, seconds


def bench_fetch(cases: int, seed: int = 1) -> FetchBenchmark:
    """Fetch ``cases`` synthetic cases into a temporary store and measure the run."""
    with tempfile.TemporaryDirectory() as tmp:
        items, seconds = fetched_store(cases, Path(tmp), seed)
        store_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return FetchBenchmark(cases, items, seconds, peak, store_mb)


if __name__ == "__main__":  # pragma: no cover - used by `invoke bench`
    print(bench_fetch(int(os.environ.get("CASES", "10000"))).line())
