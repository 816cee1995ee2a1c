"""Collect: from the store to each case's keys and record plaintext, with the store as cache.

Key derivation (the slow, deliberate part) runs once per case and code, in
parallel over the machine's cores; a record's plaintext is made again only
when its case changed (a higher seq) or something else it shows changed
(``inputs``). Sealing itself happens per bucket when the files are written
(:mod:`.write`), because a record's tag and ciphertext depend on everything
else in its bucket. The number of buckets is decided here too, from the
cases' bucket words, and kept in the store so that both language builds and
the page agree on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic_core import from_json

import store.tracker as tracker_db
from plugins.extension_points import build_state
from store import Store
from store.reference import code_list_items
from sunshine.cases.timeline import public_record
from sunshine.config import Settings
from sunshine.parallel import PARALLEL_FROM, in_order, pool, workers
from sunshine.tracker.sealing import (
    SCHEME,
    Derived,
    Params,
    Sealable,
    choose_buckets,
    derive,
    margin_warning,
    plaintext,
    salt_for,
)

SEAL_CHUNK = 900  # under SQLite's bound-parameter limit
RECORD_FORMAT = "7"
"""Bump when the sealed record's shape changes: every record is sealed again."""


def params(settings: Settings, buckets: int) -> Params:
    secret = settings.site_secret.get_secret_value()
    return Params(salt_for(secret), settings.kdf_iterations, buckets)


def tracker_params(settings: Settings) -> dict[str, Any]:
    """What the /track/ page needs: public lookup parameters and the data's time."""
    buckets = int(build_state(settings.var_path, "tracker_buckets") or 1)
    return {
        **params(settings, buckets).as_attributes(),
        "as_of": build_state(settings.var_path, "data_as_of") or "",
    }


@dataclass
class Collected:
    buckets: int = 1
    derived: int = 0
    sealed: int = 0
    removed: int = 0
    warning: str | None = None


def _derive_one(job: tuple[str, str, bytes, int]) -> tuple[str, str, bytes]:
    case_id, code, salt, iterations = job
    return case_id, code, derive(code, salt, iterations).to_bytes()


def _key_params(salt: bytes, iterations: int) -> str:
    """What a derived key depends on besides the code: a changed one derives every key again."""
    return f"{salt.hex()}:{iterations}:{SCHEME}"


def _derive_missing(store: Store, salt: bytes, iterations: int) -> int:
    tag = _key_params(salt, iterations)
    missing = tracker_db.cases_without_key(store, tag)
    jobs = [(case_id, code, salt, iterations) for case_id, code in missing]
    if len(jobs) < PARALLEL_FROM or workers() == 1:
        _store_keys(store, map(_derive_one, jobs), tag)
    else:
        with pool(workers()) as derivers:
            _store_keys(store, derivers.map(_derive_one, jobs, chunksize=1000), tag)
    return len(jobs)


def _store_keys(store: Store, results: Iterator[tuple[str, str, bytes]], tag: str) -> None:
    with store.transaction():
        tracker_db.put_keys(store, ((case_id, code, tag, raw) for case_id, code, raw in results))


def code_names(store: Store) -> dict[str, dict[str, dict[str, str]]]:
    """Names of agencies and categories by code, in both languages (public data)."""
    names: dict[str, dict[str, dict[str, str]]] = {}
    for name, items in code_list_items(store, ("agencies", "categories")):
        names[name] = {item["code"]: item["name"] for item in json.loads(items)}
    return names


def _inputs(settings: Settings) -> str:
    """Everything besides the case that a sealed record depends on, as one hash."""
    salt = salt_for(settings.site_secret.get_secret_value())
    text = json.dumps(
        [RECORD_FORMAT, settings.notes_enabled, _key_params(salt, settings.kdf_iterations)]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def record_for(case: dict[str, Any], notes: bool) -> dict[str, Any]:
    """The sealed record: the public record minus what the page does not show.

    The raw ``kind`` stays out: the page needs only the ``route`` derived from
    it (:func:`sunshine.cases.routes.route_of`), which the public record carries.
    """
    record = public_record(case, notes=notes)
    record.pop("kind", None)
    record.pop("channel", None)
    return record


SealJob = tuple[list[tuple[str, int, str, bytes]], str, bool]
SealedRow = tuple[str, int, str, int, bytes, bytes, bytes]


def _seal_chunk(job: SealJob) -> list[SealedRow]:
    """Make one chunk of cases' plaintexts (runs in a worker process for big builds)."""
    rows, inputs, notes = job
    made = []
    for case_id, seq, data, raw in rows:
        word = Derived.from_bytes(raw).word
        item = Sealable.of(raw, plaintext(record_for(from_json(data), notes)))
        made.append((case_id, seq, inputs, word, raw, item.plain, item.digest))
    return made


def _seal_stale(settings: Settings, store: Store) -> int:
    inputs = _inputs(settings)
    stale = tracker_db.cases_without_record(store, inputs)

    def jobs() -> Iterator[SealJob]:
        # In chunks, so memory holds a few chunks of cases, never all of them.
        for start in range(0, len(stale), SEAL_CHUNK):
            chunk = stale[start : start + SEAL_CHUNK]
            rows = tracker_db.cases_with_keys(store, chunk)
            yield rows, inputs, settings.notes_enabled

    def save(rows: list[SealedRow]) -> None:
        with store.transaction():
            tracker_db.put_records(store, rows)

    for sealed in in_order(_seal_chunk, jobs(), parallel=len(stale) >= PARALLEL_FROM):
        save(sealed)
    return len(stale)


def derive_keys(settings: Settings, store: Store) -> int:
    """Derive the keys of every case that has none yet (the one-time cost); return how many."""
    salt = salt_for(settings.site_secret.get_secret_value())
    return _derive_missing(store, salt, settings.kdf_iterations)


def collect(settings: Settings, store: Store) -> Collected:
    """Bring the store's tracker caches up to date with its cases; decide the buckets."""
    result = Collected()
    result.derived = derive_keys(settings, store)
    result.sealed = _seal_stale(settings, store)
    with store.transaction():
        result.removed = tracker_db.remove_gone(store)
        words = tracker_db.words(store)
        previous = store.state("tracker_buckets")
        result.buckets = choose_buckets(words, int(previous) if previous else None)
        store.set_state("tracker_buckets", str(result.buckets))
        result.warning = margin_warning(len(words), settings.kdf_iterations)
        store.set_state("tracker_last_build", json.dumps(result.__dict__))
    return result
