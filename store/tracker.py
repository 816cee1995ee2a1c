"""The tracker's caches in the store: derived keys and record plaintexts.

Their tables are migrations of :mod:`store.database` (1 → 2, 2 → 3 and 3 → 4),
so a rebuild derives keys and makes records only for cases that are new or
changed. The statements are tuned for a million cases (joins on covering
indexes, chunks under SQLite's bound-parameter limit, bucket ranges on the
index of words and digests).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from .database import Store

KeyRow = tuple[str, str, str, bytes]
"""(case_id, code, params, derived)"""
RecordRow = tuple[str, int, str, int, bytes, bytes, bytes]
"""(case_id, seq, inputs, word, derived, plain, digest)"""


def cases_without_key(store: Store, params: str) -> list[tuple[str, str]]:
    """(case_id, code) of the cases with no key derived for their code with ``params``."""
    return store.db.execute(
        "SELECT c.case_id, c.tracking_code FROM cases c LEFT JOIN tracker_keys k"
        " ON k.case_id = c.case_id AND k.code = c.tracking_code AND k.params = ?"
        " WHERE k.case_id IS NULL",
        (params,),
    ).fetchall()


def put_keys(store: Store, rows: Iterable[KeyRow]) -> None:
    store.db.executemany(
        "INSERT OR REPLACE INTO tracker_keys(case_id, code, params, derived) VALUES (?,?,?,?)",
        rows,
    )


def cases_without_record(store: Store, inputs: str) -> list[str]:
    """Case ids whose record is missing, or was made from another seq or other ``inputs``."""
    return [
        case_id
        for (case_id,) in store.db.execute(
            "SELECT c.case_id FROM cases c LEFT JOIN tracker_records r"
            " ON r.case_id = c.case_id AND r.seq = c.seq AND r.inputs = ?"
            " WHERE r.case_id IS NULL",
            (inputs,),
        )
    ]


def cases_with_keys(store: Store, case_ids: list[str]) -> list[tuple[str, int, str, bytes]]:
    """(case_id, seq, data, derived) of the given cases (at most 900: one statement)."""
    marks = ",".join("?" * len(case_ids))
    return store.db.execute(
        "SELECT c.case_id, c.seq, c.data, k.derived FROM cases c"
        f" JOIN tracker_keys k ON k.case_id = c.case_id WHERE c.case_id IN ({marks})",
        case_ids,
    ).fetchall()


def put_records(store: Store, rows: Iterable[RecordRow]) -> None:
    store.db.executemany(
        "INSERT OR REPLACE INTO tracker_records"
        "(case_id, seq, inputs, word, derived, plain, digest) VALUES (?,?,?,?,?,?,?)",
        rows,
    )


def remove_gone(store: Store) -> int:
    """Drop the records and keys of cases no longer in the store; how many records went.

    For after every case has its key and record: then as many keys and records
    as cases means that none is left over, which three counts over the
    indexes tell without the two anti-joins (1.7 s at a million cases).
    """
    cases, keys, records = store.db.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM tracker_keys),"
        " (SELECT count(*) FROM tracker_records)"
    ).fetchone()
    if cases == keys == records:
        return 0
    removed = store.db.execute(
        "DELETE FROM tracker_records WHERE case_id NOT IN (SELECT case_id FROM cases)"
    ).rowcount
    store.db.execute("DELETE FROM tracker_keys WHERE case_id NOT IN (SELECT case_id FROM cases)")
    return int(removed)


def words(store: Store) -> list[int]:
    """Every record's bucket word."""
    return [word for (word,) in store.db.execute("SELECT word FROM tracker_records")]


def open_read_only(store_path: Path) -> sqlite3.Connection:
    """The store read-only, for a process writing bucket files beside the build."""
    return sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)


def digests_by_word(db: sqlite3.Connection, lo: int, hi: int) -> Iterator[tuple[int, bytes]]:
    """(word, digest) of the records whose word is in ``[lo, hi)``, ordered by word."""
    yield from db.execute(
        "SELECT word, digest FROM tracker_records WHERE word >= ? AND word < ? ORDER BY word",
        (lo, hi),
    )


def sealables_in(db: sqlite3.Connection, lo: int, hi: int) -> list[tuple[bytes, bytes, bytes]]:
    """(derived, plain, digest) of the records whose word is in ``[lo, hi)``."""
    return db.execute(
        "SELECT derived, plain, digest FROM tracker_records WHERE word >= ? AND word < ?",
        (lo, hi),
    ).fetchall()
