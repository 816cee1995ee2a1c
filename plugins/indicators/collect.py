"""Collect: the store's cases → indicator rows → rows as published (disclosure control).

Computed once per build (both languages share it) and cached in this process;
the counters behind the rows are kept in the store between builds
(:mod:`plugins.indicators.cache`), so a build computes only the cases that changed.
"""

from __future__ import annotations

import gc
import logging
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

from plugins.indicators.cache import refresh
from store import STORE_FILE, read_state
from sunshine.cases.calendar import SHANGHAI
from sunshine.parallel import in_background
from sunshine.statistics.disclosure import MIN_DENOMINATOR, Published, protect
from sunshine.statistics.indicators import INDICATORS, is_complete, wilson

log = logging.getLogger("sunshine.statistics")
KINDS = {code: indicator.kind for code, indicator in INDICATORS.items()}


@dataclass
class Statistics:
    """The published rows with the look-ups pages need."""

    as_of: date | None
    rows: list[Published] = field(default_factory=list)
    months: list[str] = field(init=False)
    years: list[str] = field(init=False)

    def __post_init__(self) -> None:
        # Indexed once: pages ask for series and breakdowns hundreds of times,
        # and a million cases give a quarter of a million rows.
        self._index = {(r.period, r.dimension, r.code, r.indicator): r for r in self.rows}
        self._groups: dict[tuple[str, str, str], list[Published]] = {}
        for r in self.rows:
            if r.dimension != "overall":
                self._groups.setdefault((r.period, r.indicator, r.dimension), []).append(r)
        for group in self._groups.values():
            group.sort(key=lambda r: r.code)
        periods = {r.period for r in self.rows}
        self.months = sorted(p for p in periods if len(p) == 7)
        self.years = sorted(p for p in periods if len(p) == 4)

    def __reduce__(self) -> tuple[Any, tuple[date | None, list[tuple[Any, ...]]]]:
        # Sent from the statistics process as plain tuples: made into rows and
        # indexed again on arrival, several times faster than unpickling them.
        return _arrived, (self.as_of, [tuple(row) for row in self.rows])

    def get(
        self, period: str, indicator: str, dimension: str = "overall", code: str = "all"
    ) -> Published | None:
        return self._index.get((period, dimension, code, indicator))

    @property
    def latest_month(self) -> str | None:
        """The latest complete month: the one before the data's own month."""
        if self.as_of is None:
            return None
        current = f"{self.as_of.year:04d}-{self.as_of.month:02d}"
        done = [m for m in self.months if m < current]
        return done[-1] if done else None

    def complete(self, period: str) -> bool:
        """Whether ``period`` had ended by the data's snapshot (see :func:`is_complete`)."""
        return self.as_of is None or is_complete(period, self.as_of)

    def previous(self, month: str) -> str | None:
        earlier = [m for m in self.months if m < month]
        return earlier[-1] if earlier else None

    def recent(self, indicator: str, months: int = 12) -> list[Published | None]:
        """The indicator's overall rows for the ``months`` months up to the latest complete one."""
        latest = self.latest_month
        if latest is None:
            return []
        wanted = [m for m in self.months if m <= latest][-months:]
        return [self.get(m, indicator) for m in wanted]

    def series(self, indicator: str) -> list[Published]:
        return [row for m in self.months if (row := self.get(m, indicator)) is not None]

    def breakdown(self, period: str, indicator: str, dimension: str) -> list[Published]:
        return self._groups.get((period, indicator, dimension), [])

    def codes(self, period: str, dimension: str) -> list[str]:
        """The codes of a breakdown that have figures in ``period``."""
        return [r.code for r in self.breakdown(period, "received", dimension)]


def _arrived(as_of: date | None, rows: list[tuple[Any, ...]]) -> Statistics:
    # Without the cyclic collector meanwhile: these are a quarter of a million new
    # objects, none of them in a cycle, and with it on, every pass it makes
    # meanwhile walks the whole build's heap (three quarters of the time here).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return Statistics(as_of, list(map(partial(tuple.__new__, Published), rows)))
    finally:
        if enabled:
            gc.enable()


def interval(row: Published) -> tuple[float, float] | None:
    """95% Wilson interval of a published rate."""
    if row.status != "ok" or not row.denominator or row.numerator is None:
        return None
    if INDICATORS[row.indicator].kind != "rate" or row.numerator > row.denominator:
        return None  # review and re-review rates are ratios of events, not proportions
    return wilson(row.numerator, row.denominator)


_started: dict[tuple[Path, str | None], Future[tuple[Statistics, str]]] = {}


def start(var_dir: Path) -> None:
    """Begin computing in another process, so the build's other steps run meanwhile.

    :func:`load` picks the result up. On two cores this overlaps the
    statistics with the tracker's own work at the start of a build.
    """
    key = (var_dir, read_state(var_dir, "data_as_of"))
    if key in _started or not key[1] or not (var_dir / STORE_FILE).is_file():
        return
    _started[key] = in_background(_compute, *key)


def load(var_dir: Path) -> Statistics:
    """Compute and protect the indicators from the store (nothing when there is no store)."""
    return _load(var_dir, read_state(var_dir, "data_as_of"))


@cache  # both languages' builds run in one process: compute once per store state
def _load(var_dir: Path, stamp: str | None) -> Statistics:
    future = _started.get((var_dir, stamp))
    statistics, message = future.result() if future else _compute(var_dir, stamp)
    if message:
        log.info(message)
    return statistics


def _compute(var_dir: Path, stamp: str | None) -> tuple[Statistics, str]:
    path = var_dir / STORE_FILE
    if not path.is_file() or not stamp:
        return Statistics(None), ""
    as_of = datetime.fromisoformat(stamp).astimezone(SHANGHAI).date()
    started = time.perf_counter()
    rows, report = refresh(var_dir, as_of)
    published = protect(rows, KINDS)
    full = " (every case: no kept totals, or the rules changed)" if report.full else ""
    message = (
        f"statistics: {report.computed} cases computed, {report.reused} reused,"
        f" {report.removed} gone{full}; {len(published)} rows"
        f" ({time.perf_counter() - started:.1f} s)"
    )
    return Statistics(as_of, published), message


@dataclass(frozen=True)
class Change:
    """How a figure moved: percentage points for rates, per cent for counts, days otherwise."""

    delta: float
    unit: Literal["points", "percent", "days"]

    @property
    def direction(self) -> Literal["up", "down", "flat"]:
        if f"{abs(self.delta):.1f}" == "0.0":
            return "flat"
        return "up" if self.delta > 0 else "down"


@dataclass(frozen=True)
class Withheld:
    """A change not shown: one side rests on fewer than ``MIN_DENOMINATOR`` cases.

    The same threshold as the breakdowns' rates: a move between two figures
    on a handful of cases ("2 of 5 against 1 of 1") is noise, not a trend.
    """

    period: str
    cases: int
    direction: Literal["withheld"] = "withheld"


def cases(row: Published | None) -> int | None:
    """The number of cases a figure rests on: a rate's or mean's denominator, a count itself."""
    if row is None or row.status != "ok":
        return None
    if INDICATORS[row.indicator].kind == "count":
        return row.numerator
    return row.denominator


def change(now: Published | None, before: Published | None) -> Change | Withheld | None:
    """The change from ``before`` to ``now``; None unless both are published values,
    :class:`Withheld` when either rests on fewer than ``MIN_DENOMINATOR`` cases."""
    if now is None or before is None or now.status != "ok" or before.status != "ok":
        return None
    if now.value is None or before.value is None:
        return None
    for row in (before, now):
        n = cases(row)
        if n is not None and n < MIN_DENOMINATOR:
            return Withheld(row.period, n)
    kind = INDICATORS[now.indicator].kind
    if kind == "rate":
        return Change((now.value - before.value) * 100, "points")
    if kind == "count":
        if before.value == 0:
            return None  # no percentage of nothing
        return Change((now.value - before.value) / before.value * 100, "percent")
    return Change(now.value - before.value, "days")


def change_text(c: Change | Withheld | None, lang: str) -> str:
    """``上升1.2个百分点`` / ``up 1.2 points``; ``—`` when there is nothing to compare;
    for a withheld change, why."""
    if c is None:
        return "—"
    if isinstance(c, Withheld):
        if lang == "zh":
            return f"不作比较：{c.period}仅{c.cases}件，少于{MIN_DENOMINATOR}件"
        return f"not compared: {c.period} rests on {c.cases} cases, fewer than {MIN_DENOMINATOR}"
    if c.direction == "flat":
        return "持平" if lang == "zh" else "unchanged"
    amount = f"{abs(c.delta):.1f}"
    up = c.direction == "up"
    if lang == "zh":
        verb = ("上升" if up else "下降") if c.unit == "points" else ("增加" if up else "减少")
        return verb + amount + {"points": "个百分点", "percent": "%", "days": "日"}[c.unit]
    unit = {"points": " points", "percent": "%", "days": " days"}[c.unit]
    return f"{'up' if up else 'down'} {amount}{unit}"


def year_before(month: str) -> str:
    """The same month a year earlier: ``2026-10`` → ``2025-10``."""
    return f"{int(month[:4]) - 1:04d}{month[4:]}"


def formatted(row: Published | None, lang: str) -> str:
    """A value as the pages show it: percent for rates, days with one decimal, counts."""
    if row is None or row.status != "ok" or row.value is None:
        return "—"
    kind = INDICATORS[row.indicator].kind
    unit = INDICATORS[row.indicator].unit
    if kind == "rate" or unit == "ratio":
        return f"{row.value * 100:.1f}%"
    if unit == "days":
        return f"{row.value:.1f}" + ("日" if lang == "zh" else " days")
    return f"{int(row.value):,}"
