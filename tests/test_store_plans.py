"""The statements a build runs over every case read indexes, not the cases' rows.

At a million cases a scan of the cases table reads two gigabytes of case JSON
to learn which cases changed, and each bucket's epoch needs only the words and
digests of its records, not their rows. ``invoke bench build`` measures what
that costs; these tests keep the plans that avoid it (SQLite's EXPLAIN QUERY
PLAN of each statement as run).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import store.statistics as cache_db
import store.tracker as tracker_db
from store import Store
from store.statistics import open_cache


@contextmanager
def statements(db: sqlite3.Connection) -> Iterator[list[str]]:
    """The SQL ``db`` runs meanwhile, with its parameters bound."""
    seen: list[str] = []
    db.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        db.set_trace_callback(None)


def plan(db: sqlite3.Connection, sql: str) -> list[str]:
    return [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]


def scans_of_tables(steps: list[str]) -> list[str]:
    """Steps that read a whole table's rows (a scan of a covering index is fine)."""
    return [s for s in steps if s.startswith("SCAN") and "COVERING INDEX" not in s]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path)
    yield opened
    opened.close()


QUERIES: dict[str, Callable[[Store], object]] = {
    "cases without a key": lambda s: tracker_db.cases_without_key(s, "params"),
    "cases without a record": lambda s: tracker_db.cases_without_record(s, "inputs"),
    "every record's word": tracker_db.words,
}


@pytest.mark.parametrize("name", QUERIES)
def test_finding_changed_cases_reads_no_table_row(store: Store, name: str) -> None:
    with statements(store.db) as seen:
        QUERIES[name](store)
    steps = [step for sql in seen for step in plan(store.db, sql)]
    assert steps, f"{name}: no statement run"
    assert scans_of_tables(steps) == [], f"{name}: {steps}"


def test_the_statistics_find_stale_cases_on_an_index_of_the_store(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    db = open_cache(tmp_path)
    try:
        with statements(db) as seen:
            cache_db.stale(db, "2026-11-15")
        steps = [step for sql in seen for step in plan(db, sql)]
    finally:
        db.close()
    # The store's cases are read through an index of ids and versions only.
    assert any("SCAN c USING COVERING INDEX cases_versions" in s for s in steps), steps


def test_a_bucket_is_a_range_of_words(store: Store) -> None:
    db = tracker_db.open_read_only(store.path)
    try:
        with statements(db) as seen:
            tracker_db.sealables_in(db, 0, 1 << 20)
            list(tracker_db.digests_by_word(db, 0, 1 << 20))
        steps = [plan(db, sql) for sql in seen]
    finally:
        db.close()
    sealables, digests = steps
    assert any("USING INDEX tracker_records_word (word>? AND word<?)" in s for s in sealables), (
        sealables
    )
    # The epochs need only words and digests: an index holds both.
    assert any("COVERING INDEX tracker_records_word" in s for s in digests), digests
