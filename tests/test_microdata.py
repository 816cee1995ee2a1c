"""cases.csv: k-anonymous, at most 10% suppressed, no differencing against the tables.

The k-anonymity check reads the written file back and groups its rows (a few
lines of our own: pycanon would bring pandas into the development tools for
one group-by). The differencing check is exact linear algebra over the
rationals (Gaussian elimination with :class:`fractions.Fraction`) on a small
world: unknowns are the case counts of every (month, region, category,
channel) combination; the attacker knows every published cell of the
received and online tables and every count of cases.csv rows by its shown
quasi-identifiers, suppressed combinations included (the worst case). The same
for the value columns, on a world of two years with replies and clocks: unknowns
are the cases of each combination counted in each month from receipt on, the
attacker knows the tables of the indicators those columns add up to and every
sum of each column over every group of rows.
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import sqlite3
from collections import Counter
from datetime import date, timedelta
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import from_json

from demo_registry import DemoRegistry
from plugins.indicators import cache
from store import STORE_FILE, Store
from sunshine.config import load_settings
from sunshine.statistics.anonymity import (
    WITHHELD,
    Level,
    Shower,
    category_of,
    hidden_cells,
    region_of,
)
from sunshine.statistics.disclosure import Published, Row, protect
from sunshine.statistics.indicators import INDICATORS, case_facts, compute
from sunshine.statistics.microdata import COLUMNS, Microdata, build, case_row, write_cases_csv
from sunshine.statistics.value_blanks import ValueBlanks, hidden_value_cells
from tests.conftest import BuiltSite

KINDS = {code: ind.kind for code, ind in INDICATORS.items()}
K = 5
MAX_SHARE = 0.1
QI = ("period", "region", "category", "kind", "channel")

# A small world: two months (of two years), two prefectures of two districts each, three
# categories under two top levels, three channels; cells of 1 to 4 cases.
MONTHS = ("2025-12", "2026-01")
REGIONS = ("330102", "330105", "330206", "330211")
CATEGORIES = ("labour.wages", "labour.relations", "land.demolition")
CHANNELS = ("online", "letter", "visit")
SMALL_AS_OF = date(2026, 3, 15)


def _case(i: int, month: str, region: str, category: str, channel: str) -> dict[str, Any]:
    return {
        "case_id": f"XF2026-{region}-{i:06d}",
        "seq": 1,
        "tracking_code": f"TEST-CODE-{i:04d}",
        "received_at": f"{month}-{1 + i % 27:02d}T09:00:00+08:00",
        "channel": channel,
        "category": category,
        "kind": "complaint",
        "region": region,
        "agency": f"{region}-A",
        "repeat_of": None,
        "law_related": False,
        "evaluation": None,
        "events": [],
    }


def small_world(seed: int) -> list[dict[str, Any]]:
    """About 150 cases, skewed so that some cells hold 1 to 4 cases."""
    rng = random.Random(seed)
    weights = {"330102": 8, "330105": 1, "330206": 6, "330211": 2}
    cases = []
    for i in range(150):
        region = rng.choices(REGIONS, [weights[r] for r in REGIONS])[0]
        cases.append(
            _case(
                i,
                rng.choice(MONTHS),
                region,
                rng.choices(CATEGORIES, [6, 1, 4])[0],
                rng.choices(CHANNELS, [5, 4, 1])[0],
            )
        )
    return cases


def tables_and_rows(
    cases: list[dict[str, Any]], as_of: date
) -> tuple[list[Published], Counter[str]]:
    published = protect([Row(*r) for r in compute(cases, as_of)], KINDS)
    kept = Counter(case_row(c, case_facts(c, as_of), as_of) for c in cases)
    return published, kept


def read_back(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def assert_k_anonymous(rows: list[dict[str, str]], k: int) -> None:
    """Independent of the code under test: group the file's rows by their quasi-identifiers."""
    groups = Counter(tuple(r[q] for q in QI) for r in rows)
    small = {g: n for g, n in groups.items() if n < k}
    assert not small, small


@pytest.fixture(scope="module")
def demo() -> tuple[list[Published], Counter[str], int]:
    items = DemoRegistry(cases=3000, seed=4).items(0, 3000)
    cases = [i for i in items if not i.get("deleted")]
    published, kept = tables_and_rows(cases, date(2026, 11, 15))
    return published, kept, len(cases)


@pytest.mark.parametrize("world", ["demo", "small"])
def test_the_published_file_is_k_anonymous_and_suppresses_at_most_a_tenth(
    world: str, demo: tuple[list[Published], Counter[str], int], tmp_path: Path
) -> None:
    if world == "demo":
        published, kept, cases = demo
    else:
        cases_list = small_world(seed=3)
        published, kept = tables_and_rows(cases_list, SMALL_AS_OF)
        cases = len(cases_list)
    data = build(kept, published, k=K, max_share=MAX_SHARE)
    rows = read_back(write_cases_csv(data, tmp_path / "cases.csv"))
    assert tuple(rows[0]) == COLUMNS
    assert_k_anonymous(rows, K)
    assert len(rows) >= cases * (1 - MAX_SHARE)
    assert data.anonymised.within_bound
    assert cases - len(rows) == data.anonymised.suppressed
    # A stricter k is honoured too, by generalising further or suppressing more.
    strict = build(kept, published, k=25, max_share=MAX_SHARE)
    assert_k_anonymous(read_back(write_cases_csv(strict, tmp_path / "strict.csv")), 25)
    assert strict.anonymised.level.height >= data.anonymised.level.height


def test_nothing_in_the_file_identifies_a_case(
    demo: tuple[list[Published], Counter[str], int], tmp_path: Path
) -> None:
    published, kept, _ = demo
    path = write_cases_csv(build(kept, published, k=K, max_share=MAX_SHARE), tmp_path / "c.csv")
    text = path.read_text(encoding="utf-8-sig")
    items = DemoRegistry(cases=3000, seed=4).items(0, 3000)
    for item in items[:500]:
        assert item["case_id"] not in text
        assert item["tracking_code"] not in text
        assert item["agency"] not in text
    rows = read_back(path)
    for r in rows:
        assert re.fullmatch(r"\d{4}(-\d{2}|-Q[1-4])?", r["period"]), r  # nothing finer
        assert r["region"] == WITHHELD or re.fullmatch(r"\d{4}00", r["region"]), r
        assert "." not in r["category"]  # top level only
    # Rows sorted by their text, not by case or arrival.
    lines = text.splitlines()[1:]
    assert lines == sorted(lines)


def test_a_changed_case_changes_its_row() -> None:
    case = _case(1, "2026-01", "330102", "labour.wages", "online")
    before = case_row(case, case_facts(case, SMALL_AS_OF), SMALL_AS_OF)
    case["events"] = [
        {"id": "e1", "type": "accepted", "at": "2026-01-12T10:00:00+08:00"},
        {"id": "e2", "type": "replied", "at": "2026-02-02T10:00:00+08:00"},
    ]
    case["evaluation"] = {"result": "satisfied"}
    after = case_row(case, case_facts(case, SMALL_AS_OF), SMALL_AS_OF).split("\t")
    assert before != "\t".join(after)
    assert after[:5] == ["2026-01", "330100", "labour", "complaint", "online"]
    assert after[5] == "replied" and after[6] == "21" and after[9] == "satisfied"
    assert after[8] == "true"  # replied within 60 days of acceptance


# --------------------------------------------------------------------------
# Differencing: exact linear algebra on the small world


Cell = tuple[str, str, str, str]  # month, region, category, channel
UNIVERSE: list[Cell] = list(product(MONTHS, REGIONS, CATEGORIES, CHANNELS))
_INDEX = {cell: n for n, cell in enumerate(UNIVERSE)}
_DIM = {"region": 1, "category": 2, "channel": 3}


def _quantity(period: str, dimension: str, code: str, online: bool) -> tuple[int, ...]:
    """The cells a table value adds up (received, or received online)."""
    picked = []
    for cell in UNIVERSE:
        if not cell[0].startswith(period):
            continue
        if dimension == "agency":
            if f"{cell[1]}-A" != code:
                continue
        elif dimension != "overall" and cell[_DIM[dimension]] != code:
            continue
        if online and cell[3] != "online":
            continue
        picked.append(_INDEX[cell])
    return tuple(picked)


def _table_quantities(published: list[Published]) -> tuple[set[tuple[int, ...]], set[Any]]:
    """Vectors the tables publish, and the hidden ones (hidden everywhere they appear)."""
    shown: set[tuple[int, ...]] = set()
    hidden: dict[tuple[int, ...], str] = {}
    for row in published:
        parts = []
        if row.indicator in ("received", "repeat_rate"):
            parts.append(False)
        elif row.indicator == "online_share":
            parts += [False, True]
        for online in parts:
            q = _quantity(row.period, row.dimension, row.code, online)
            if row.status == "ok":
                shown.add(q)
            else:
                hidden[q] = f"{row.period} {row.dimension}={row.code} online={online}"
    return shown, {(q, name) for q, name in hidden.items() if q not in shown}


def _csv_quantities(data: Microdata, published: list[Published], blank: bool) -> set[Any]:
    """Every count of cases.csv rows by shown quasi-identifiers, suppressed ones too."""
    hidden = hidden_cells(published) if blank else None
    show = Shower(data.anonymised.level, hidden, data.anonymised.partner)
    groups: dict[Any, list[int]] = {}
    for cell in UNIVERSE:
        month, region, category, channel = cell
        groups.setdefault(show((month, region, category, "complaint", channel)), []).append(
            _INDEX[cell]
        )
    return {tuple(g) for g in groups.values()}


class Span:
    """The row space of 0/1 vectors over the rationals (reduced row echelon form)."""

    def __init__(self, vectors: set[tuple[int, ...]], size: int = len(UNIVERSE)) -> None:
        self.size = size
        self.pivots: dict[int, list[Fraction]] = {}
        for v in vectors:
            self.add(v)

    def _dense(self, support: tuple[int, ...]) -> list[Fraction]:
        row = [Fraction(0)] * self.size
        for i in support:
            row[i] = Fraction(1)
        return row

    def _reduce(self, row: list[Fraction]) -> list[Fraction]:
        for col, pivot in self.pivots.items():
            if row[col]:
                factor = row[col]
                row = [a - factor * b for a, b in zip(row, pivot, strict=True)]
        return row

    def add(self, support: tuple[int, ...]) -> None:
        row = self._reduce(self._dense(support))
        col = next((i for i, a in enumerate(row) if a), None)
        if col is None:
            return
        row = [a / row[col] for a in row]
        for other, pivot in self.pivots.items():
            if pivot[col]:
                self.pivots[other] = [a - pivot[col] * b for a, b in zip(pivot, row, strict=True)]
        self.pivots[col] = row

    def __contains__(self, support: tuple[int, ...]) -> bool:
        return not any(self._reduce(self._dense(support)))


def recovered_through_the_file(seed: int, blank: bool) -> list[str]:
    """Hidden table values the file makes exactly computable (the tables alone do not)."""
    cases = small_world(seed)
    published, kept = tables_and_rows(cases, SMALL_AS_OF)
    data = build(kept, published, k=K, max_share=MAX_SHARE, blank=blank)
    shown, hidden = _table_quantities(published)
    assert hidden, "the world has no hidden cell to protect"
    tables = Span(shown)
    both = Span(shown | _csv_quantities(data, published, blank))
    return [name for q, name in hidden if q in both and q not in tables]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_cell_can_be_recomputed_from_the_file(seed: int) -> None:
    assert recovered_through_the_file(seed, blank=True) == []


def test_without_the_blanks_the_file_would_give_hidden_cells_away() -> None:
    leaks = [recovered_through_the_file(seed, blank=False) for seed in (1, 2, 3)]
    assert any(leaks), "the world is too easy: blanking is not what protects it"


def test_levels_are_stated_in_the_rows() -> None:
    cases = small_world(seed=3)
    published, kept = tables_and_rows(cases, SMALL_AS_OF)
    data = build(kept, published, k=50, max_share=MAX_SHARE)
    level = data.anonymised.level
    assert level != Level()  # 150 cases cannot keep k = 50 at the finest level
    periods = {line.split(",", 1)[0] for line, _ in data.lines}
    if level.period == 1:
        assert periods <= {"2025-Q4", "2026-Q1"}
    elif level.period == 2:
        assert periods <= {"2025", "2026"}
    for name, rung in level.names().items():
        assert rung in data.description(), name


# --------------------------------------------------------------------------
# Kept in the indicators' cache beside the counters


def _rows_from_scratch(store: Store, as_of: date) -> Counter[str]:
    cases = [from_json(d) for (d,) in store.db.execute("SELECT data FROM cases")]
    return Counter(case_row(c, case_facts(c, as_of), as_of) for c in cases if not c.get("deleted"))


def test_the_cache_keeps_every_cases_row_up_to_date(fetched_var: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    shutil.copytree(fetched_var, var)
    store = Store.open(var)
    try:
        (newest,) = store.db.execute("SELECT max(updated_at) FROM cases").fetchone()
        as_of = date.fromisoformat(newest[:10])
        cache.refresh(var, as_of)
        assert Counter(cache.case_rows(var)) == _rows_from_scratch(store, as_of)
        # A reply to some cases, others gone, and the data time moves on.
        ids = [i for (i,) in store.db.execute("SELECT case_id FROM cases ORDER BY case_id")]
        picked = random.Random(5).sample(ids, 30)
        with store.transaction():
            for case_id in picked[:20]:
                (data,) = store.db.execute(
                    "SELECT data FROM cases WHERE case_id = ?", (case_id,)
                ).fetchone()
                case = json.loads(data)
                case["events"].append(
                    {"id": "r", "type": "withdrawn", "at": f"{as_of}T11:00:00+08:00"}
                )
                store.db.execute(
                    "UPDATE cases SET data = ?, seq = seq + 1 WHERE case_id = ?",
                    (json.dumps(case), case_id),
                )
            store.db.executemany("DELETE FROM cases WHERE case_id = ?", [(i,) for i in picked[20:]])
        later = as_of + timedelta(days=40)
        _, report = cache.refresh(var, later)
        assert report.computed < store.case_count()  # only what changed or still ran
        assert Counter(cache.case_rows(var)) == _rows_from_scratch(store, later)
    finally:
        store.close()


# --------------------------------------------------------------------------
# On a real build


def test_a_build_publishes_the_file_and_the_data_page_lists_it(site: BuiltSite) -> None:
    folder = site.output / "data"
    rows = read_back(folder / "cases.csv")
    k = load_settings().microdata_k
    assert_k_anonymous(rows, k)
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "cases.csv")
    assert f"k = {k}" in resource["description"]
    db = sqlite3.connect((site.var / STORE_FILE).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        cases = [from_json(d) for (d,) in db.execute("SELECT data FROM cases")]
    finally:
        db.close()
    cases = [c for c in cases if not c.get("deleted")]
    left_out = int(re.search(r"(\d+) of (\d+) cases", resource["description"]).group(1))  # type: ignore[union-attr]
    assert len(rows) == len(cases) - left_out
    assert left_out <= len(cases) * load_settings().microdata_max_suppressed
    text = (folder / "cases.csv").read_text("utf-8-sig")
    for case in cases:
        assert case["case_id"] not in text and case["tracking_code"] not in text
    for page in ("data/index.html", "en/data/index.html"):
        html_text = (site.output / page).read_text("utf-8")
        assert 'data-file="cases.csv"' in html_text, page
    for page in ("statistics/methodology/index.html", "en/statistics/methodology/index.html"):
        html_text = (site.output / page).read_text("utf-8")
        block = html_text.split('data-testid="microdata-k"', 1)[1].split("</p>", 1)[0]
        assert f"{k}" in block, page


def test_a_world_too_small_for_k_publishes_no_row_and_says_so(tmp_path: Path) -> None:
    cases = small_world(seed=1)[:3]
    published, kept = tables_and_rows(cases, SMALL_AS_OF)
    data = build(kept, published, k=K, max_share=MAX_SHARE)
    assert not data.anonymised.within_bound
    assert read_back(write_cases_csv(data, tmp_path / "cases.csv")) == []
    assert "3 of 3 cases (100.0%) are suppressed" in data.description()
    assert "too few cases" in data.description()


# --------------------------------------------------------------------------
# Differencing through the value columns: indicators counted in another month


def _with_events(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Accepted 1 to 20 days after receipt, replied 10 to 70 days later (if by the
    snapshot), rated or not: clocks due and replies in other months than receipt."""
    received = date.fromisoformat(case["received_at"][:10])
    accepted = received + timedelta(days=rng.randint(1, 20))
    events = [{"id": "a", "type": "accepted", "at": f"{accepted}T10:00:00+08:00"}]
    replied = accepted + timedelta(days=rng.randint(10, 70))
    if replied <= SMALL_AS_OF:
        events.append({"id": "r", "type": "replied", "at": f"{replied}T10:00:00+08:00"})
        result = rng.choice(["satisfied", "basically_satisfied", "unsatisfied", None, None])
        case["evaluation"] = {"result": result} if result else None
    case["events"] = events
    return case


def eventful_world(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed * 7 + 1)
    return [_with_events(c, rng) for c in small_world(seed)]


EVENT_MONTHS = (*MONTHS, "2026-02", "2026-03")
LATER = "later"  # in the file but in no table yet (a clock due after the snapshot, say)

# Per value column, the quantities its sums over a group of rows give (a count of
# ``true`` and of ``true`` or ``false``, of rows with days, ...), each with the tables
# that publish it (as numerator or denominator: a rate's row shows or hides both). The
# sum of handling days has the unknowns of their count, one per case, so the same span.
QUANTITIES: dict[str, dict[str, tuple[str, ...]]] = {
    "acceptance_timely": {"timely": ("timely_acceptance_rate",),
                          "clocked": ("timely_acceptance_rate",)},
    "reply_on_time": {"on_time": ("on_time_reply_rate",), "clocked": ("on_time_reply_rate",)},
    "handling_days": {"handled": ("mean_handling_days", "median_handling_days")},
    "evaluation": {
        "rated": ("evaluation_rate", "satisfaction_rate", "basic_satisfaction_rate"),
        "satisfied": ("satisfaction_rate",),
        "basic": ("basic_satisfaction_rate",),
    },
    # Open at the snapshot: the backlog of its month, and of its year (a stock).
    "status": {"open": ("backlog",)},
}  # fmt: skip
_FIELD = {"backlog": "value"}  # the field of the overall row that says the total


def _value_unknowns(later: bool) -> list[tuple[Cell, str]]:
    """Cases of a (received month, region, category, channel) cell counted in an event
    month (not before receipt: the attacker knows that much), or in none yet where that
    can be (a reply due 60 days after acceptance, past the snapshot's month)."""
    months = (*EVENT_MONTHS, LATER) if later else EVENT_MONTHS
    return [(cell, m) for cell in UNIVERSE for m in months if m >= cell[0]]


def _vector(
    unknowns: list[tuple[Cell, str]], key: tuple[str, str, str], zero: set[str], stock: bool
) -> tuple[int, ...]:
    """The unknowns a table cell (period, dimension, code) adds up."""
    period, dimension, code = key
    picked = []
    for n, (cell, m) in enumerate(unknowns):
        if m == LATER or not m.startswith(period) or m in zero:
            continue
        if stock and m != EVENT_MONTHS[-1]:
            continue  # a stock's earlier month ends are other numbers
        if dimension == "agency":
            if f"{cell[1]}-A" != code:
                continue
        elif dimension != "overall" and cell[_DIM[dimension]] != code:
            continue
        picked.append(n)
    return tuple(picked)


def recovered_through_the_values(seed: int, blank_values: bool) -> list[str]:
    """Hidden cells of the value columns' tables that the file's sums make computable.

    The attacker knows every published cell and, per value column, its sum over every
    group of rows with the same shown quasi-identifiers (so over all rows, per period,
    per unit, over all time), suppressed rows included.
    """
    published, kept = tables_and_rows(eventful_world(seed), SMALL_AS_OF)
    data = build(kept, published, k=K, max_share=MAX_SHARE, blank_values=blank_values)
    level = data.anonymised.level
    show = Shower(level, hidden_cells(published), data.anonymised.partner)
    withheld = ValueBlanks(level, hidden_value_cells(published) if blank_values else None)
    leaks = []
    for column, quantities in QUANTITIES.items():
        unknowns = _value_unknowns(later=column == "reply_on_time")
        stock = column == "status"
        for name, indicators in quantities.items():
            # A total of zero makes every code's cell zero: no unknown left there.
            zero = {
                r.period
                for r in published
                if r.dimension == "overall" and r.indicator == indicators[0]
                and getattr(r, _FIELD.get(r.indicator, "denominator")) == 0
            }  # fmt: skip

            shown: set[tuple[int, ...]] = set()
            hidden: dict[tuple[int, ...], str] = {}
            for row in published:
                if row.indicator not in indicators:
                    continue
                if stock and row.period not in (EVENT_MONTHS[-1], EVENT_MONTHS[-1][:4]):
                    continue
                q = _vector(unknowns, (row.period, row.dimension, row.code), zero, stock)
                if row.status == "ok":
                    shown.add(q)
                else:
                    hidden[q] = f"{name} {row.period} {row.dimension}={row.code}"
            groups: dict[Any, list[int]] = {}
            for n, (cell, _) in enumerate(unknowns):
                month, region, category, channel = cell
                fine = (month, region_of(region, 0), category_of(category, 0), "complaint",
                        channel)  # fmt: skip
                if column not in withheld(fine):
                    groups.setdefault(show(fine), []).append(n)
            tables = Span(shown, len(unknowns))
            both = Span(shown | {tuple(g) for g in groups.values()}, len(unknowns))
            leaks += [
                what
                for q, what in hidden.items()
                if q not in shown and q in both and q not in tables
            ]
    return leaks


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_cell_of_the_value_columns_tables_can_be_recomputed(seed: int) -> None:
    assert recovered_through_the_values(seed, blank_values=True) == []


def test_without_the_value_blanks_the_file_would_give_such_cells_away() -> None:
    leaks = [recovered_through_the_values(seed, blank_values=False) for seed in (1, 2, 3)]
    assert any(leaks), "the world is too easy: the value blanks are not what protects it"
