"""Regulations and code lists, as the fetcher stored them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .database import STORE_FILE, Store


def read_regulations(var_dir: Path) -> list[tuple[str, str]]:
    """(meta JSON, text) of every regulation, read-only; none when there is no store."""
    path = var_dir / STORE_FILE
    if not path.is_file():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT meta, text FROM regulations").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def regulation_count(store: Store) -> int:
    (regulations,) = store.db.execute("SELECT count(*) FROM regulations").fetchone()
    return int(regulations)


def read_code_lists(var_dir: Path) -> list[tuple[str, str]]:
    """(name, items JSON) of every code list, read-only."""
    path = var_dir / STORE_FILE
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT name, items FROM code_lists").fetchall()
    finally:
        db.close()


def code_list_items(store: Store, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, items JSON) of the code lists named."""
    marks = ",".join("?" * len(names))
    return store.db.execute(
        f"SELECT name, items FROM code_lists WHERE name IN ({marks})", names
    ).fetchall()
