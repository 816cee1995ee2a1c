"""Write: the bucket files under ``/track/b/`` and the names file, rewriting only changed bytes.

Every bucket from 0 to buckets - 1 gets a file, empty ones filled with filler
records, so whether a file exists says nothing. A file whose bytes are already
right is left untouched (same mtime), so a sync to the host sends only the
buckets of the cases that changed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from fetch.store import STORE_FILE, Store
from sunshine.config import Settings
from sunshine.sealing import bucket_file, bucket_name, bucket_of

from .collect import code_names

log = logging.getLogger("sunshine.tracker")
TRACK_DIR = Path("track")
BUCKET_DIR = TRACK_DIR / "b"
NAMES_FILE = TRACK_DIR / "names.json"


def entries_by_bucket(store: Store, buckets: int) -> Iterator[tuple[int, list[bytes]]]:
    """(bucket, entries) for every bucket in order, empty buckets included."""
    current = 0
    entries: list[bytes] = []
    for word, entry in store.db.execute("SELECT word, entry FROM tracker_records ORDER BY word"):
        bucket = bucket_of(word, buckets)
        while bucket > current:
            yield current, entries
            current, entries = current + 1, []
        entries.append(entry)
    while current < buckets:
        yield current, entries
        current, entries = current + 1, []


def _put(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True if written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def write_files(settings: Settings, output_path: str) -> dict[str, int]:
    """Bring ``output/track/`` in line with the store; return counts for the build log."""
    started = time.perf_counter()
    folder = Path(output_path) / BUCKET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    secret = settings.site_secret.get_secret_value()
    names: dict[str, dict[str, dict[str, str]]] = {}
    if (settings.var_path / STORE_FILE).is_file():
        store = Store.open(settings.var_path)
        try:
            buckets = int(store.state("tracker_buckets") or 1)
            written = sum(
                _put(folder / bucket_name(bucket), bucket_file(entries, secret, bucket))
                for bucket, entries in entries_by_bucket(store, buckets)
            )
            names = code_names(store)
        finally:
            store.close()
    else:  # nothing fetched yet: one bucket of filler, so a lookup says "not found"
        buckets = 1
        written = int(_put(folder / bucket_name(0), bucket_file([], secret, 0)))
    wanted = {bucket_name(bucket) for bucket in range(buckets)}
    for stray in folder.glob("*.bin"):
        if stray.name not in wanted:
            stray.unlink()
    text = json.dumps(names, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _put(Path(output_path) / NAMES_FILE, text.encode())
    log.info(
        "tracker: %d bucket files, %d rewritten (%.1f s)",
        buckets,
        written,
        time.perf_counter() - started,
    )
    return {"buckets": buckets, "written": written}
