"""Write: the bucket files under ``/track/b/`` and the names file, rewriting only changed bytes.

Every bucket from 0 to buckets - 1 gets a file, empty ones filled with filler
records, so whether a file exists says nothing. Each bucket is sealed afresh
for its epoch (:mod:`sunshine.sealing`): a bucket whose file already carries
the epoch its contents give is left untouched (same mtime, no sealing work), so
a sync to the host sends only the buckets of the cases that changed, and in
those every record is new.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fetch.store import STORE_FILE, Store
from sunshine.config import Settings
from sunshine.parallel import in_order
from sunshine.sealing import (
    Sealable,
    bucket_file,
    bucket_name,
    bucket_of,
    epoch_of,
    file_epoch,
)

from .collect import code_names

TRACK_DIR = Path("track")
BUCKET_DIR = TRACK_DIR / "b"
NAMES_FILE = TRACK_DIR / "names.json"


WRITE_CHUNK = 512
"""Buckets per job: the files are written by worker processes, a range of buckets each."""


def first_word(bucket: int, buckets: int) -> int:
    """The smallest 32-bit word that :func:`bucket_of` maps to ``bucket`` (or past the last)."""
    return -((-bucket << 32) // buckets)  # ceil(bucket * 2**32 / buckets)


def entries_by_bucket(
    db: sqlite3.Connection, buckets: int, lo: int = 0, hi: int | None = None
) -> Iterator[tuple[int, list[Sealable]]]:
    """(bucket, cases) for every bucket from ``lo`` up to ``hi``, empty buckets included."""
    hi = buckets if hi is None else hi
    current = lo
    entries: list[Sealable] = []
    for word, derived, plain in db.execute(
        "SELECT word, derived, plain FROM tracker_records"
        " WHERE word >= ? AND word < ? ORDER BY word",
        (first_word(lo, buckets), first_word(hi, buckets)),
    ):
        bucket = bucket_of(word, buckets)
        while bucket > current:
            yield current, entries
            current, entries = current + 1, []
        entries.append(Sealable(derived, plain))
    while current < hi:
        yield current, entries
        current, entries = current + 1, []


def _write_bucket(path: Path, items: list[Sealable], bucket: int, buckets: int) -> bool:
    """Seal and write one bucket unless its file is already sealed for this epoch."""
    epoch = epoch_of(bucket, buckets, (item.digest for item in items))
    if path.is_file():
        with path.open("rb") as existing:
            if file_epoch(existing.read(64)) == epoch:
                return False
    return _put(path, bucket_file(items, bucket, buckets))


def _write_range(job: tuple[Path, Path, int, int, int]) -> int:
    """Write the files of buckets ``lo`` to ``hi`` (in a worker process for big sites)."""
    store_path, folder, buckets, lo, hi = job
    db = sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sum(
            _write_bucket(folder / bucket_name(bucket), items, bucket, buckets)
            for bucket, items in entries_by_bucket(db, buckets, lo, hi)
        )
    finally:
        db.close()


def _put(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True if written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def write_files(settings: Settings, output_path: str) -> dict[str, Any]:
    """Bring ``output/track/`` in line with the store; return counts for the build log."""
    started = time.perf_counter()
    folder = Path(output_path) / BUCKET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, dict[str, dict[str, str]]] = {}
    if (settings.var_path / STORE_FILE).is_file():
        store = Store.open(settings.var_path)
        try:
            buckets = int(store.state("tracker_buckets") or 1)
            names = code_names(store)
        finally:
            store.close()
        jobs = [
            (store.path, folder, buckets, lo, min(lo + WRITE_CHUNK, buckets))
            for lo in range(0, buckets, WRITE_CHUNK)
        ]
        written = sum(in_order(_write_range, jobs, parallel=len(jobs) > 1))
    else:  # nothing fetched yet: one bucket of filler, so a lookup says "not found"
        buckets = 1
        written = int(_write_bucket(folder / bucket_name(0), [], 0, 1))
    wanted = {bucket_name(bucket) for bucket in range(buckets)}
    for stray in folder.glob("*.bin"):
        if stray.name not in wanted:
            stray.unlink()
    text = json.dumps(names, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _put(Path(output_path) / NAMES_FILE, text.encode())
    return {"buckets": buckets, "written": written, "seconds": time.perf_counter() - started}
