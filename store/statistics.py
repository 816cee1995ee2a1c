"""The indicators' cache: per-case contributions and their totals, beside the store.

A database of its own (``indicators.sqlite3`` in the state folder) with the
store attached read-only as ``store``, so the statistics can be computed while
the tracker writes its own caches into the store: SQLite allows one writer per
database. What the rows mean, and when a kept contribution still holds, is
:mod:`plugins.indicators.cache`'s; the statements are tuned for a million cases.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .database import STORE_FILE

CACHE_FILE = "indicators.sqlite3"
CHUNK = 900  # cases per statement; under SQLite's bound-parameter limit
_SCHEMA = """
CREATE TABLE contributions (
    case_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    valid_from TEXT NOT NULL,       -- the as-of date it was computed for
    valid_until TEXT,               -- the first as-of date it no longer holds (NULL: settled)
    data BLOB NOT NULL,             -- what the case adds to the counters (marshal)
    row TEXT NOT NULL               -- its row of cases.csv before anonymisation (tab-separated)
);
CREATE TABLE totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,      -- the rules the contributions were computed with
    data BLOB NOT NULL              -- the sum of every kept contribution (marshal)
);
"""
_SCHEMA_VERSION = 2  # 2: the case's cases.csv row beside its contribution

Kept = tuple[str, int, str, str | None, bytes, str]
"""case_id, seq, valid_from, valid_until, data, row."""


def open_cache(var_dir: Path) -> sqlite3.Connection:
    """The cache (created, or emptied when its layout is old), with the store attached read-only."""
    path = (var_dir / CACHE_FILE).resolve()
    db = sqlite3.connect(path.as_uri(), uri=True, isolation_level=None, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        for table in ("contributions", "totals"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        db.execute("COMMIT")
    store = (var_dir / STORE_FILE).resolve().as_uri() + "?mode=ro"
    db.execute("ATTACH DATABASE ? AS store", (store,))
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction: the cache's writes, and a consistent view of the store."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def totals(db: sqlite3.Connection) -> tuple[str, bytes] | None:
    """(fingerprint, data) of the kept totals; None when there are none yet."""
    found = db.execute("SELECT fingerprint, data FROM totals").fetchone()
    return None if found is None else (found[0], found[1])


def put_totals(db: sqlite3.Connection, rules: str, data: bytes) -> None:
    db.execute(
        "INSERT OR REPLACE INTO totals(id, fingerprint, data) VALUES (1, ?, ?)", (rules, data)
    )


def clear_contributions(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM contributions")


def gone(db: sqlite3.Connection) -> list[tuple[str, bytes]]:
    """Kept contributions of cases no longer in the store."""
    return db.execute(
        "SELECT x.case_id, x.data FROM contributions x"
        " LEFT JOIN store.cases c ON c.case_id = x.case_id WHERE c.case_id IS NULL"
    ).fetchall()


def stale(db: sqlite3.Connection, as_of: str) -> list[tuple[str, bytes | None]]:
    """Cases to compute again, with what they added last time (None if nothing)."""
    return db.execute(
        "SELECT c.case_id, x.data FROM store.cases c"
        " LEFT JOIN contributions x ON x.case_id = c.case_id"
        " WHERE x.case_id IS NULL OR x.seq != c.seq OR x.valid_from > :as_of"
        " OR (x.valid_until IS NOT NULL AND x.valid_until <= :as_of)",
        {"as_of": as_of},
    ).fetchall()


def drop_contributions(db: sqlite3.Connection, case_ids: list[str]) -> None:
    # One JSON parameter, not one per id: any number of cases in one statement.
    db.execute(
        "DELETE FROM contributions WHERE case_id IN (SELECT value FROM json_each(?))",
        (json.dumps(case_ids),),
    )


def case_chunks(db: sqlite3.Connection, ids: list[str]) -> Iterator[list[Any]]:
    """(case_id, seq, data) of the store's cases ``ids``, :data:`CHUNK` cases at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        yield db.execute(
            f"SELECT case_id, seq, data FROM store.cases WHERE case_id IN ({marks})", chunk
        ).fetchall()


def keep(db: sqlite3.Connection, kept: Iterable[Kept]) -> None:
    db.executemany(
        "INSERT INTO contributions(case_id, seq, valid_from, valid_until, data, row)"
        " VALUES (?,?,?,?,?,?)",
        kept,
    )


def case_count(db: sqlite3.Connection) -> int:
    (cases,) = db.execute("SELECT count(*) FROM store.cases").fetchone()
    return int(cases)


def case_rows(db: sqlite3.Connection) -> list[str]:
    """The kept cases.csv rows, one per case, in no particular order.

    Not grouped here: SQLite would sort a million rows to group them, while
    the caller counts them in a hash table in a fraction of the time.
    """
    return [row for (row,) in db.execute("SELECT row FROM contributions")]
