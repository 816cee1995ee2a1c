"""The store: one SQLite database under ``SUNSHINE_VAR``, the one place the site is built from.

Tables: current cases (validated, notes scrubbed), deletions (tombstones, so a
stale copy cannot bring a deleted case back), quarantine (invalid items with
their reason, the query code removed), sync state (cursor, mode, last success,
counts), regulations and code lists (with their ETags).

The schema is versioned with SQLite's ``user_version``; :data:`MIGRATIONS`
lists the steps from each version to the next and :meth:`Store.open` applies
the missing ones in one transaction. The store is private to the operator: it
holds query codes and registry ids, which never go into the output.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STORE_FILE = "store.sqlite3"

MIGRATIONS: list[str] = [
    # 0 → 1
    """
    CREATE TABLE cases (
        case_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        tracking_code TEXT NOT NULL,
        received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL              -- the case as JSON, validated and scrubbed
    );
    CREATE TABLE deletions (
        case_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        reason TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        case_id TEXT,
        seq INTEGER,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,              -- the item as received, minus its query code
        quarantined_at TEXT NOT NULL
    );
    CREATE INDEX quarantine_case ON quarantine(case_id);
    CREATE TABLE full_sync_seen (case_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE regulations (
        reg_id TEXT PRIMARY KEY,
        meta TEXT NOT NULL,
        text TEXT NOT NULL,
        etag TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE code_lists (
        name TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        items TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 1 → 2: the tracker's caches, so a rebuild derives keys and seals records
    # only for cases that are new or changed.
    """
    CREATE TABLE tracker_keys (
        case_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        params TEXT NOT NULL,           -- salt and iterations the key was derived with
        derived BLOB NOT NULL
    );
    CREATE TABLE tracker_records (
        case_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        inputs TEXT NOT NULL,           -- what else the sealed record depends on
        word INTEGER NOT NULL,          -- 32 bits choosing the bucket
        entry BLOB NOT NULL             -- the sealed bucket entry
    );
    CREATE INDEX tracker_records_word ON tracker_records(word);
    """,
    # 2 → 3: records are sealed per bucket when written (each rewrite seals afresh),
    # so the cache keeps each case's keys and plaintext instead of a sealed entry.
    """
    DROP TABLE tracker_records;
    CREATE TABLE tracker_records (
        case_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        inputs TEXT NOT NULL,           -- what else the record depends on
        word INTEGER NOT NULL,          -- 32 bits choosing the bucket
        derived BLOB NOT NULL,          -- the case's keys (sunshine.tracker.sealing.Derived)
        plain BLOB NOT NULL,            -- the plaintext (sunshine.tracker.sealing.plaintext)
        digest BLOB NOT NULL            -- of both: what the bucket's epoch is made of
    );
    CREATE INDEX tracker_records_word ON tracker_records(word);
    """,
    # 3 → 4: what every build asks of a million rows, read without reading the
    # rest. Which cases are new or changed (for the tracker's keys and records,
    # and the statistics' cache) was a scan of the cases table, case JSON and all,
    # and a look-up in each record's row: covering indexes hold just those columns
    # (1.2 s → 0.4 s each at a million cases). Each bucket's epoch reads an index
    # of words and digests instead of every record's row (3.7 s → 0.4 s for all).
    """
    CREATE INDEX cases_versions ON cases(case_id, seq, tracking_code);
    CREATE INDEX tracker_keys_versions ON tracker_keys(case_id, code, params);
    CREATE INDEX tracker_records_versions ON tracker_records(case_id, seq, inputs);
    DROP INDEX tracker_records_word;
    CREATE INDEX tracker_records_word ON tracker_records(word, digest);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """A connection to the store with the operations the fetcher and plugins need."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, var_dir: Path) -> Store:
        """Open (creating and migrating as needed) the store in ``var_dir``."""
        var_dir.mkdir(parents=True, exist_ok=True)
        path = var_dir / STORE_FILE
        db = sqlite3.connect(path, isolation_level=None)
        # WAL: readers (a build) never block the fetcher; a killed writer loses
        # at most the transaction it was in, never a committed page.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        store = cls(db, path)
        store._migrate()
        return store

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} has schema version {version}, newer than this code's "
                f"{SCHEMA_VERSION}: update the code"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- sync state ---------------------------------------------------------

    def state(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM sync_state WHERE key = ?", (key,))
        else:
            self.db.execute(
                "INSERT INTO sync_state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reading ------------------------------------------------------------

    def case_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM cases").fetchone()[0])

    def iter_cases(self) -> Iterator[dict[str, Any]]:
        """Every current case as the contract's case shape, ordered by case id."""
        for (data,) in self.db.execute("SELECT data FROM cases ORDER BY case_id"):
            yield json.loads(data)

    def quarantined(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT case_id, seq, reason, raw, quarantined_at FROM quarantine ORDER BY id"
        )
        return [
            {"case_id": c, "seq": s, "reason": r, "raw": json.loads(raw), "at": at}
            for c, s, r, raw, at in rows
        ]

    def regulation_etags(self) -> dict[str, str | None]:
        return dict(self.db.execute("SELECT reg_id, etag FROM regulations"))

    # -- writing (each call runs inside the caller's page transaction) --------

    def seqs(self, table: str, case_ids: list[str]) -> dict[str, int]:
        """``case_id → seq`` in ``cases`` or ``deletions`` for the given ids."""
        assert table in ("cases", "deletions")
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(case_ids))
        for start in range(0, len(unique), 900):  # under SQLite's bound-parameter limit
            chunk = unique[start : start + 900]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT case_id, seq FROM {table} WHERE case_id IN ({marks})", chunk
                )
            )
        return found

    def quarantine(
        self, case_id: str | None, seq: int | None, reason: str, raw: str, at: str
    ) -> None:
        self.db.execute(
            "INSERT INTO quarantine(case_id, seq, reason, raw, quarantined_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, seq, reason, raw, at),
        )

    def quarantine_once(self, reason: str, raw: str, at: str) -> None:
        """Set aside an entry that is not a case, unless it already is, for the same reason."""
        self.db.execute(
            "INSERT INTO quarantine(case_id, seq, reason, raw, quarantined_at)"
            " SELECT NULL, NULL, ?, ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM quarantine WHERE case_id IS NULL AND reason = ? AND raw = ?)",
            (reason, raw, at, reason, raw),
        )

    def mark_seen(self, case_ids: list[str]) -> None:
        """Record case ids a running full sync has delivered."""
        self.db.executemany(
            "INSERT OR IGNORE INTO full_sync_seen(case_id) VALUES (?)", ((c,) for c in case_ids)
        )

    def start_full_sync(self) -> None:
        self.db.execute("DELETE FROM full_sync_seen")
        self.set_state("mode", "full")
        self.set_state("cursor", None)

    def finish_full_sync(self) -> int:
        """Remove every case the full sync did not deliver; return how many."""
        removed = self.db.execute(
            "DELETE FROM cases WHERE case_id NOT IN (SELECT case_id FROM full_sync_seen)"
        ).rowcount
        self.db.execute("DELETE FROM full_sync_seen")
        self.set_state("mode", "incremental")
        return int(removed)

    def put_regulation(self, reg_id: str, meta: str, text: str, etag: str | None, at: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO regulations(reg_id, meta, text, etag, fetched_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (reg_id, meta, text, etag, at),
        )

    def keep_only_regulations(self, reg_ids: list[str]) -> int:
        marks = ",".join("?" * len(reg_ids)) or "''"
        return int(
            self.db.execute(
                f"DELETE FROM regulations WHERE reg_id NOT IN ({marks})", reg_ids
            ).rowcount
        )

    def put_code_list(self, name: str, version: str, items: str, at: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO code_lists(name, version, items, fetched_at)"
            " VALUES (?, ?, ?, ?)",
            (name, version, items, at),
        )


CaseRow = tuple[str, int, str, str, str, str]
"""(case_id, seq, tracking_code, received_at, updated_at, data JSON)"""


class PageBatch:
    """The writes of one feed page: decided in memory, then one statement per table.

    For one case the highest ``seq`` wins, whether a version or a tombstone; a
    tombstone is remembered so that an older version arriving later cannot bring
    the case back, while a newer one can. Deciding in memory (after one lookup
    of the page's ids) instead of item by item is what lets a million cases be
    stored in well under a minute.
    """

    def __init__(self, store: Store, case_ids: list[str]) -> None:
        self.store = store
        self.current = store.seqs("cases", case_ids)
        self.deleted = store.seqs("deletions", case_ids)
        self.upserts: dict[str, CaseRow] = {}
        self.removals: set[str] = set()
        self.tombstones: dict[str, tuple[str, int, str | None, str]] = {}
        self.revived: set[str] = set()

    def case(self, case_id: str, seq: int, row: Callable[[], CaseRow]) -> str:
        """Offer a version: ``new``, ``updated`` or ``stale``. ``row`` is built only if kept."""
        if self.current.get(case_id, -1) >= seq or self.deleted.get(case_id, -1) >= seq:
            return "stale"
        existed = case_id in self.current
        self.current[case_id] = seq
        self.upserts[case_id] = row()
        self.removals.discard(case_id)
        if self.deleted.pop(case_id, None) is not None:
            self.tombstones.pop(case_id, None)
            self.revived.add(case_id)
        return "updated" if existed else "new"

    def tombstone(self, case_id: str, seq: int, reason: str | None, updated_at: str) -> str:
        """Offer a tombstone: ``deleted``, ``absent`` (no such case kept) or ``stale``."""
        if self.deleted.get(case_id, -1) >= seq or self.current.get(case_id, -1) > seq:
            return "stale"
        self.deleted[case_id] = seq
        self.tombstones[case_id] = (case_id, seq, reason, updated_at)
        self.revived.discard(case_id)
        if self.current.pop(case_id, None) is None:
            return "absent"
        self.upserts.pop(case_id, None)
        self.removals.add(case_id)
        return "deleted"

    def write(self) -> None:
        db = self.store.db
        db.executemany("DELETE FROM deletions WHERE case_id = ?", ((c,) for c in self.revived))
        db.executemany(
            "INSERT OR REPLACE INTO deletions(case_id, seq, reason, updated_at)"
            " VALUES (?, ?, ?, ?)",
            self.tombstones.values(),
        )
        db.executemany("DELETE FROM cases WHERE case_id = ?", ((c,) for c in self.removals))
        db.executemany(
            "INSERT OR REPLACE INTO cases"
            "(case_id, seq, tracking_code, received_at, updated_at, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.upserts.values(),
        )


def read_state(var_dir: Path, key: str) -> str | None:
    """One sync-state value, read-only; None when there is no store yet.

    For the build, which must never create or migrate the store.
    """
    path = var_dir / STORE_FILE
    if not path.is_file():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()
    return row[0] if row else None
