"""The store: the one package that owns the project's SQLite databases.

Everything the site is built from passes through here, and every SQL
statement of the project is in one of these modules; the fetcher, the domain
rules, the plugins and the operations call their functions and never write SQL.

- :mod:`store.database`: the store itself (``store.sqlite3`` under
  ``SUNSHINE_VAR``): its schema and migrations, the connection (:class:`Store`),
  sync state, quarantine and the fetcher's writes (:class:`PageBatch`);
- :mod:`store.cases`: reading cases (the update's leak scan, the indicators'
  full computation, the demo's example codes, the benchmarks' edits);
- :mod:`store.reference`: regulations and code lists as the fetcher stored them;
- :mod:`store.tracker`: the tracker's caches in the store (derived keys,
  record plaintexts by bucket word), migrations 1 → 3 of :mod:`store.database`;
- :mod:`store.statistics`: the indicators' cache, a database of its own
  (``indicators.sqlite3``: the store is attached read-only, so the statistics
  are computed while the tracker writes into the store; SQLite allows one
  writer per database).

This package imports nothing else of the project: it is the bottom layer.
"""

from .database import STORE_FILE, CaseRow, PageBatch, Store, read_state

__all__ = ["STORE_FILE", "CaseRow", "PageBatch", "Store", "read_state"]
