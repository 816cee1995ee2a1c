"""The indicators' counters kept in the store, so a build computes only what changed.

Adding up every case (:func:`sunshine.statistics.indicators.compute`) costs about a
tenth of a millisecond a case: two minutes of one core for a million cases,
every build. Instead a cache beside the store (``indicators.sqlite3`` in the
state folder) keeps, per case, what it last added to the counters
(``contributions``) and the sum of all of them (``totals``), written together
in one transaction, so that

    totals == the sum of the kept contributions

always holds. A build then takes away the old contribution and adds the new
one only for the cases that are new, changed (another ``seq``), gone, or whose
kept contribution does not hold for the new data time (``as_of``):

- a *settled* contribution (see ``CaseFacts.settled``: nothing left open, no
  clock running, nothing waiting for a later month) holds from the ``as_of``
  it was computed for onwards (``valid_until`` NULL);
- any other holds only for the ``as_of`` it was computed for.

The totals are only trusted with the rules they were computed by: a
fingerprint of the rule modules' source and the calendar packages' versions.
When it differs, every case is computed again. Rows from the totals equal
those of a full computation exactly (the tests compare the two).

The cache is its own database, and the store is only read (attached
read-only), so the statistics can be computed while the tracker writes its
own caches into the store: SQLite allows one writer per database. Its schema
and every statement are :mod:`store.statistics`'s; this module decides what
to compute again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import marshal
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic_core import from_json

import store.statistics as cache_db
import sunshine.cases.calendar
import sunshine.cases.routes
import sunshine.cases.stages
import sunshine.cases.timeline
import sunshine.statistics.indicator_rules
import sunshine.statistics.indicators
import sunshine.statistics.microdata
from store.statistics import CACHE_FILE, Kept, open_cache
from sunshine.parallel import PARALLEL_FROM, in_order
from sunshine.statistics.indicators import Accumulator, Row, case_facts, contribution, rows_of
from sunshine.statistics.microdata import case_row

__all__ = ["CACHE_FILE", "Refresh", "case_rows", "fingerprint", "open_cache", "refresh"]

_RULES = (
    sunshine.statistics.indicators,
    sunshine.statistics.indicator_rules,
    sunshine.statistics.microdata,
    sunshine.cases.timeline,
    sunshine.cases.routes,
    sunshine.cases.stages,
    sunshine.cases.calendar,
)
_PACKAGES = ("chinesecalendar", "lunar_python")


@dataclass
class Refresh:
    """What a refresh did: for the build's log and the benchmark."""

    computed: int = 0
    """Cases whose contribution was computed (new, changed, or not valid any more)."""
    removed: int = 0
    """Cases gone from the store since the last build."""
    reused: int = 0
    """Cases whose kept contribution still held."""
    full: bool = False
    """Everything was computed again (no totals yet, or the rules changed)."""


def fingerprint() -> str:
    """The rules a contribution depends on: their modules' source, the calendars' versions."""
    digest = hashlib.sha256(sys.version.encode())  # marshal's format is per Python version
    for module in _RULES:
        digest.update(inspect.getsource(module).encode())
    for package in _PACKAGES:
        try:
            digest.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def _compute_chunk(job: tuple[list[tuple[str, int, str]], str]) -> list[Kept]:
    """Contributions of one chunk of cases (in a worker process for big builds)."""
    rows, as_of_text = job
    as_of = date.fromisoformat(as_of_text)
    until = (as_of + timedelta(days=1)).isoformat()
    kept: list[Kept] = []
    for case_id, seq, data in rows:
        case = from_json(data)
        if case.get("deleted"):
            continue
        facts = case_facts(case, as_of)
        c, settled = contribution(facts, as_of)
        # The cases.csv row has the contribution's validity: it depends on the
        # case and as_of only, and on as_of only through the clocks and the
        # events up to it, which a settled contribution has done with.
        row = case_row(case, facts, as_of)
        kept.append((case_id, seq, as_of_text, None if settled else until, marshal.dumps(c), row))
    return kept


def _load_totals(db: sqlite3.Connection, as_of: date, rules: str) -> Accumulator | None:
    found = cache_db.totals(db)
    if found is None or found[0] != rules:
        return None
    counts, hists = marshal.loads(found[1])
    acc = Accumulator(as_of)
    acc.counts = {key: list(slots) for key, slots in counts.items()}
    acc.hist = {key: Counter(h) for key, h in hists.items()}
    return acc


def _dump_totals(acc: Accumulator) -> bytes:
    return marshal.dumps((acc.counts, {key: dict(h) for key, h in acc.hist.items()}))


def _jobs(db: sqlite3.Connection, ids: list[str], as_of: str) -> Iterator[tuple[list[Any], str]]:
    for rows in cache_db.case_chunks(db, ids):
        yield rows, as_of


def case_rows(var_dir: Path) -> list[str]:
    """The kept cases.csv rows (as :func:`refresh` left them), one per case."""
    db = open_cache(var_dir)
    try:
        return cache_db.case_rows(db)
    finally:
        db.close()


def refresh(var_dir: Path, as_of: date) -> tuple[list[Row], Refresh]:
    """Bring the kept contributions and totals up to date; the indicator rows as of ``as_of``."""
    rules = fingerprint()
    day = as_of.isoformat()
    report = Refresh()
    db = open_cache(var_dir)
    try:
        with cache_db.transaction(db):
            acc = _load_totals(db, as_of, rules)
            if acc is None:
                report.full = True
                acc = Accumulator(as_of)
                cache_db.clear_contributions(db)
            gone = cache_db.gone(db)
            stale = cache_db.stale(db, day)
            for _case_id, old in gone + stale:
                if old is not None:
                    acc.apply(marshal.loads(old), -1)
            ids = [case_id for case_id, _ in stale]
            cache_db.drop_contributions(db, [case_id for case_id, _ in gone] + ids)
            jobs = _jobs(db, ids, day)
            for kept in in_order(_compute_chunk, jobs, parallel=len(ids) >= PARALLEL_FROM):
                for row in kept:
                    acc.apply(marshal.loads(row[4]))
                cache_db.keep(db, kept)
            acc.prune()
            cache_db.put_totals(db, rules, _dump_totals(acc))
            cases = cache_db.case_count(db)
    finally:
        db.close()
    report.computed = len(ids)
    report.removed = len(gone)
    report.reused = cases - report.computed
    return rows_of(acc), report
