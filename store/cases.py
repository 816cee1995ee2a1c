"""Reading the store's cases (and, for the benchmarks, editing them as a fetch would)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from .database import Store


def case_data(db: sqlite3.Connection) -> Iterator[str]:
    """Every current case's JSON, in the store's order."""
    for (data,) in db.execute("SELECT data FROM cases"):
        yield data


def codes_ids_and_data(store: Store) -> Iterator[tuple[str, str, str]]:
    """(query code, case id, case JSON) of every current case, in one pass."""
    yield from store.db.execute("SELECT tracking_code, case_id, data FROM cases")


def codes_and_data_by_id(store: Store) -> Iterator[tuple[str, str]]:
    """(query code, case JSON) of every current case, ordered by case id."""
    yield from store.db.execute("SELECT tracking_code, data FROM cases ORDER BY case_id")


def case_ids(store: Store) -> list[str]:
    return [case_id for (case_id,) in store.db.execute("SELECT case_id FROM cases")]


def one_case_data(store: Store, case_id: str) -> str:
    (data,) = store.db.execute("SELECT data FROM cases WHERE case_id = ?", (case_id,)).fetchone()
    return str(data)


def replace_case_data(store: Store, case_id: str, data: str) -> None:
    """A new version of a case (its ``seq`` one higher), as a fetch would store it."""
    store.db.execute("UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?", (data, case_id))


def some_codes(store: Store, limit: int) -> list[str]:
    return [c for (c,) in store.db.execute("SELECT tracking_code FROM cases LIMIT ?", (limit,))]


def quarantine_count(store: Store) -> int:
    (quarantined,) = store.db.execute("SELECT count(*) FROM quarantine").fetchone()
    return int(quarantined)
