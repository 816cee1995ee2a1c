"""Collect: the store's cases → indicator rows → rows as published (disclosure control).

Computed once per build (both languages share it) and cached in this process.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fetch.store import STORE_FILE, read_state
from sunshine.disclosure import Published, protect
from sunshine.indicators import INDICATORS, compute_from_store, wilson

SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = {code: indicator.kind for code, indicator in INDICATORS.items()}


@dataclass
class Statistics:
    """The published rows with the look-ups pages need."""

    as_of: date | None
    rows: list[Published] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index = {(r.period, r.dimension, r.code, r.indicator): r for r in self.rows}

    def get(
        self, period: str, indicator: str, dimension: str = "overall", code: str = "all"
    ) -> Published | None:
        return self._index.get((period, dimension, code, indicator))

    @property
    def months(self) -> list[str]:
        return sorted({r.period for r in self.rows if len(r.period) == 7})

    @property
    def years(self) -> list[str]:
        return sorted({r.period for r in self.rows if len(r.period) == 4})

    @property
    def latest_month(self) -> str | None:
        """The latest complete month: the one before the data's own month."""
        if self.as_of is None:
            return None
        current = f"{self.as_of.year:04d}-{self.as_of.month:02d}"
        done = [m for m in self.months if m < current]
        return done[-1] if done else None

    def previous(self, month: str) -> str | None:
        earlier = [m for m in self.months if m < month]
        return earlier[-1] if earlier else None

    def series(self, indicator: str) -> list[Published]:
        return [row for m in self.months if (row := self.get(m, indicator)) is not None]

    def breakdown(self, period: str, indicator: str, dimension: str) -> list[Published]:
        return sorted(
            (
                r
                for r in self.rows
                if r.period == period and r.indicator == indicator and r.dimension == dimension
            ),
            key=lambda r: r.code,
        )


def interval(row: Published) -> tuple[float, float] | None:
    """95% Wilson interval of a published rate."""
    if row.status != "ok" or not row.denominator or row.numerator is None:
        return None
    if INDICATORS[row.indicator].kind != "rate" or row.numerator > row.denominator:
        return None  # review and re-review rates are ratios of events, not proportions
    return wilson(row.numerator, row.denominator)


def load(var_dir: Path) -> Statistics:
    """Compute and protect the indicators from the store (nothing when there is no store)."""
    return _load(var_dir, read_state(var_dir, "data_as_of"))


@cache  # both languages' builds run in one process: compute once per store state
def _load(var_dir: Path, stamp: str | None) -> Statistics:
    path = var_dir / STORE_FILE
    if not path.is_file() or not stamp:
        return Statistics(None)
    as_of = datetime.fromisoformat(stamp).astimezone(SHANGHAI).date()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = compute_from_store(db, as_of)
    finally:
        db.close()
    return Statistics(as_of, protect(rows, KINDS))


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
