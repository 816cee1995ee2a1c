"""The indicators kept in the store: a rebuild computes only what changed, and agrees
with adding up every case from scratch."""

import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from demo_registry import DemoRegistry
from plugins.indicators import cache
from store import Store
from sunshine.statistics.indicators import case_facts, compute_from_store, contribution


@pytest.fixture()
def store(fetched_var: Path, tmp_path: Path) -> Store:
    var = tmp_path / "var"
    shutil.copytree(fetched_var, var)
    opened = Store.open(var)
    yield opened
    opened.close()


def _as_of(store: Store) -> date:
    (newest,) = store.db.execute("SELECT max(updated_at) FROM cases").fetchone()
    return date.fromisoformat(newest[:10])


def _add_event(store: Store, case_id: str, day: date) -> None:
    (data,) = store.db.execute("SELECT data FROM cases WHERE case_id = ?", (case_id,)).fetchone()
    case = json.loads(data)
    case["events"].append({"id": "x", "type": "withdrawn", "at": f"{day}T11:00:00+08:00"})
    store.db.execute(
        "UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?", (json.dumps(case), case_id)
    )


def test_a_second_build_computes_nothing_and_gives_the_same_rows(store: Store) -> None:
    as_of = _as_of(store)
    first, report = cache.refresh(store.path.parent, as_of)
    assert report.full and report.computed == store.case_count()
    again, report = cache.refresh(store.path.parent, as_of)
    assert (report.computed, report.removed, report.full) == (0, 0, False)
    assert again == first == compute_from_store(store.db, as_of)


def test_after_changes_the_rows_equal_a_full_computation(store: Store) -> None:
    as_of = _as_of(store)
    cache.refresh(store.path.parent, as_of)
    ids = [i for (i,) in store.db.execute("SELECT case_id FROM cases ORDER BY case_id")]
    picked = random.Random(3).sample(ids, 40)
    changed, gone = picked[:30], picked[30:]
    with store.transaction():
        for case_id in changed:
            _add_event(store, case_id, as_of)
        store.db.executemany("DELETE FROM cases WHERE case_id = ?", [(i,) for i in gone])
    later = as_of + timedelta(days=45)  # the data time moves on, too
    rows, report = cache.refresh(store.path.parent, later)
    assert rows == compute_from_store(store.db, later)
    assert report.removed == len(gone)
    # The changed cases, plus those whose figures still depended on the date.
    assert len(changed) <= report.computed < store.case_count()
    assert report.reused == store.case_count() - report.computed


def test_new_rules_compute_everything_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    as_of = _as_of(store)
    cache.refresh(store.path.parent, as_of)
    monkeypatch.setattr(cache, "fingerprint", lambda: "other rules")
    rows, report = cache.refresh(store.path.parent, as_of)
    assert report.full and report.computed == store.case_count()
    assert rows == compute_from_store(store.db, as_of)


def test_the_fingerprint_changes_with_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    import sunshine.statistics.indicator_rules

    before = cache.fingerprint()
    assert cache.fingerprint() == before
    real = inspect.getsource

    def edited(module: object) -> str:
        text = real(module)  # type: ignore[arg-type]
        return text + "# edited" if module is sunshine.statistics.indicator_rules else text

    monkeypatch.setattr(cache.inspect, "getsource", edited)
    assert cache.fingerprint() != before


def test_a_settled_case_adds_the_same_whenever_it_is_counted() -> None:
    # What makes reuse safe: a contribution marked settled does not change
    # when the data time moves on, for any of thousands of demo cases.
    registry = DemoRegistry(cases=2000, seed=11)
    as_of = registry.now.date()
    settled = unsettled = 0
    for case in registry.items(0, 2000):
        if case.get("deleted"):
            continue
        now, is_settled = contribution(case_facts(case, as_of), as_of)
        if not is_settled:
            unsettled += 1
            continue
        settled += 1
        for days in (1, 31, 200, 800):
            later = as_of + timedelta(days=days)
            assert contribution(case_facts(case, later), later)[0] == now, case["case_id"]
    assert settled > 1000 and unsettled > 20  # both kinds were exercised
