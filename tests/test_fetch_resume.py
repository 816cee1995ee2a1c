"""A fetcher killed with SIGKILL mid-run loses nothing and resumes where it stopped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fetch.sync import fetch_all
from store import STORE_FILE, Store
from tests.test_fetch import Registry, assert_store_is_truth, client, registry  # noqa: F401

CHILD = """
import sys
import requests
from pathlib import Path
from fetch.client import RegistryClient
from store import Store
from fetch.sync import fetch_all
store = Store.open(Path(sys.argv[2]))
fetch_all(RegistryClient(sys.argv[1], "demo-token", requests.Session()), store, page_limit=20)
"""


def committed_cursor(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    try:
        with sqlite3.connect(db_path, timeout=1) as db:
            row = db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def test_kill_9_mid_run_then_resume(registry: Registry, tmp_path: Path) -> None:
    var = tmp_path / "var"
    # Slow every page down so the child is surely killed in the middle of the feed.
    registry.faults.fail_next("slow", count=10_000, delay=0.05)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, registry.url, str(var)],
        cwd=Path(__file__).parent.parent,
    )
    deadline = time.monotonic() + 30
    cursors: set[str] = set()
    while time.monotonic() < deadline and len(cursors) < 4:
        cursor = committed_cursor(var / STORE_FILE)
        if cursor:
            cursors.add(cursor)
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert len(cursors) >= 4, "the child did not commit pages in time"

    with sqlite3.connect(var / STORE_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert 0 < partial < len(registry.truth())

    registry.faults.reset_faults()
    store = Store.open(var)
    report = fetch_all(client(registry), store, page_limit=20)
    # Resumed after the last committed page: not from the beginning.
    assert report.fetched < registry.data.feed_length
    assert_store_is_truth(registry, store)
    store.close()
