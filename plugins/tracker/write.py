"""Write: the bucket files under ``/track/b/`` and the names file, rewriting only changed bytes.

Every bucket from 0 to buckets - 1 gets a file, empty ones filled with filler
records, so whether a file exists says nothing. Each bucket is sealed afresh
for its epoch (:mod:`sunshine.tracker.sealing`): a bucket whose file already carries
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

import store.tracker as tracker_db
from store import STORE_FILE, Store
from sunshine.config import Settings
from sunshine.parallel import in_order
from sunshine.tracker.sealing import (
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


def digests_by_bucket(
    db: sqlite3.Connection, buckets: int, lo: int = 0, hi: int | None = None
) -> Iterator[tuple[int, list[bytes]]]:
    """(bucket, its cases' digests) for every bucket from ``lo`` up to ``hi``, empty ones included.

    The digests alone decide each bucket's epoch, so a build reads the keys and
    plaintexts only of the buckets it has to seal.
    """
    hi = buckets if hi is None else hi
    current = lo
    digests: list[bytes] = []
    for word, digest in tracker_db.digests_by_word(
        db, first_word(lo, buckets), first_word(hi, buckets)
    ):
        bucket = bucket_of(word, buckets)
        while bucket > current:
            yield current, digests
            current, digests = current + 1, []
        digests.append(digest)
    while current < hi:
        yield current, digests
        current, digests = current + 1, []


def _sealed_for(path: Path, epoch: bytes) -> bool:
    """Whether ``path`` is a bucket file already sealed for ``epoch`` (so, byte for byte, right)."""
    try:
        with path.open("rb") as existing:
            return file_epoch(existing.read(64)) == epoch
    except FileNotFoundError:
        return False


def _items(db: sqlite3.Connection, bucket: int, buckets: int) -> list[Sealable]:
    return [
        Sealable(derived, plain, digest)
        for derived, plain, digest in tracker_db.sealables_in(
            db, first_word(bucket, buckets), first_word(bucket + 1, buckets)
        )
    ]


WriteJob = tuple[Path, Path, Path | None, int, int, int]


def _write_range(job: WriteJob) -> tuple[int, int]:
    """Write the files of buckets ``lo`` to ``hi`` that need it (in a worker process for big
    sites): a file already sealed for its bucket's epoch stays; one that the published
    release (``previous``) has sealed for it is copied; any other is sealed afresh."""
    store_path, folder, previous, buckets, lo, hi = job
    db = tracker_db.open_read_only(store_path)
    written = sealed = 0
    try:
        for bucket, digests in digests_by_bucket(db, buckets, lo, hi):
            path = folder / bucket_name(bucket)
            epoch = epoch_of(bucket, buckets, digests)
            if _sealed_for(path, epoch):
                continue
            if previous is not None and _sealed_for(previous / bucket_name(bucket), epoch):
                data = (previous / bucket_name(bucket)).read_bytes()
            else:
                data = bucket_file(_items(db, bucket, buckets), bucket, buckets)
                sealed += 1
            # Not sealed for this epoch, so not these bytes (they begin with it): no
            # need to read the old file to compare.
            path.write_bytes(data)
            written += 1
        return written, sealed
    finally:
        db.close()


def _put(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True if written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def write_files(
    settings: Settings, output_path: str, previous_output: str | None = None
) -> dict[str, Any]:
    """Bring ``output/track/`` in line with the store; return counts for the build log.

    ``previous_output``: the published site, whose bucket files are taken where their
    epoch is still right (an update builds into a fresh folder; this spares it from
    sealing again every bucket that did not change).
    """
    previous = Path(previous_output) / BUCKET_DIR if previous_output else None
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
            (store.path, folder, previous, buckets, lo, min(lo + WRITE_CHUNK, buckets))
            for lo in range(0, buckets, WRITE_CHUNK)
        ]
        done = list(in_order(_write_range, jobs, parallel=len(jobs) > 1))
        written, sealed = sum(w for w, _ in done), sum(s for _, s in done)
    else:  # nothing fetched yet: one bucket of filler, so a lookup says "not found"
        buckets = 1
        empty = bucket_file([], 0, 1)
        written = sealed = int(_put(folder / bucket_name(0), empty))
    wanted = {bucket_name(bucket) for bucket in range(buckets)}
    for stray in folder.glob("*.bin"):
        if stray.name not in wanted:
            stray.unlink()
    text = json.dumps(names, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _put(Path(output_path) / NAMES_FILE, text.encode())
    return {
        "buckets": buckets,
        "written": written,
        "sealed": sealed,
        "seconds": time.perf_counter() - started,
    }
