"""Value columns of ``cases.csv`` withheld so that no hidden table cell can be summed up.

The rule and why it suffices are in :mod:`sunshine.statistics.anonymity`
("Value columns"). Here: which tables each value column determines
(:data:`DETERMINES`), which of their cells are hidden (:func:`hidden_value_cells`)
and the coarse units whose rows show a column as ``withheld``
(:func:`blanked_units`), up to the latest year of receipt concerned. Pure rules,
no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sunshine.statistics.anonymity import WITHHELD, Fine, Level, category_of, region_of
from sunshine.statistics.disclosure import Published

__all__ = [
    "AT_SNAPSHOT",
    "DETERMINES",
    "VALUE_COLUMNS",
    "HiddenValues",
    "ValueBlanks",
    "blanked_units",
    "hidden_value_cells",
]

VALUE_COLUMNS = ("status", "handling_days", "acceptance_timely", "reply_on_time", "evaluation")

DETERMINES: Mapping[str, tuple[str, ...]] = {
    # Rows with ``true`` per unit, summed over every received period: the numerator of
    # timely_acceptance_rate summed over every due month; ``true`` or ``false``: its
    # denominator. The due month is not in the file, so only totals over all time follow.
    "acceptance_timely": ("timely_acceptance_rate",),
    # The same for the reply clock (numerator and denominator, by month of the due date).
    "reply_on_time": ("on_time_reply_rate",),
    # How many rows have days and their sum: the mean's denominator and sum (by month
    # of reply); the days themselves: the median's histogram, so the median too.
    "handling_days": ("mean_handling_days", "median_handling_days"),
    # Rows rated, satisfied, satisfied or basically satisfied: evaluation_rate's
    # numerator and the other two rates' numerators and denominators (by month of
    # reply). Not evaluation_rate's denominator (replies), which no column gives alone;
    # it is hidden together with the numerator, so the rate is listed whole.
    "evaluation": ("evaluation_rate", "satisfaction_rate", "basic_satisfaction_rate"),
    # Open or completed at the snapshot: the backlog of the snapshot's month (and year,
    # whose stock is the last month's); with the clock flags of open cases, which are
    # ``false`` once past due, the overdue ones too. Not review_rate or rereview_rate:
    # a case closed or withdrawn may or may not have had a review, so no count of
    # statuses equals a count of review requests or decisions.
    "status": ("backlog", "overdue_open"),
}
"""Value column → the indicators whose cells its sums over a unit determine."""

AT_SNAPSHOT = frozenset({"backlog", "overdue_open"})
"""Stocks the status column gives only at the snapshot: their other months are other
numbers (open at an earlier month end), which no column of the file gives."""

_DIMENSIONS = ("region", "category", "channel")
# The fields that carry a table's number, per kind of indicator: a cell whose total
# (the ``overall`` row, always published) is zero is zero for every code, and known.
_TOTAL_FIELD = {"backlog": "value", "overdue_open": "value"}

HiddenValues = dict[str, dict[str, dict[str, str]]]
"""Value column → dimension → fine code → the latest year with a hidden year cell of a
table the column determines (for the stocks, the snapshot's year)."""


def _snapshot(published: list[Published]) -> tuple[str, str]:
    months = [r.period for r in published if len(r.period) == 7]
    last = max(months, default="")
    return last, last[:4]


def hidden_value_cells(published: Iterable[Published]) -> HiddenValues:
    """The fine codes, per value column and dimension, with a hidden year cell of a table
    that column determines (:data:`DETERMINES`), each with the latest such year.

    A cell hidden where the period's total is zero is left out: every code's cell is
    then zero (counts are never negative), which the published total already says.
    Stocks count only at the snapshot's month and year (:data:`AT_SNAPSHOT`).
    """
    rows = list(published)
    month, year = _snapshot(rows)
    column_of = {ind: col for col, inds in DETERMINES.items() for ind in inds}
    zero: set[tuple[str, str]] = set()
    for row in rows:
        if row.dimension == "overall" and row.indicator in column_of:
            field = _TOTAL_FIELD.get(row.indicator, "denominator")
            if getattr(row, field) == 0:
                zero.add((row.indicator, row.period))
    out: HiddenValues = {}
    for row in rows:
        column = column_of.get(row.indicator)
        if column is None or row.status == "ok" or row.dimension not in _DIMENSIONS:
            continue
        if (row.indicator, row.period) in zero:
            continue
        if row.indicator in AT_SNAPSHOT:
            if row.period not in (month, year):
                continue
        elif len(row.period) != 4:
            # A month cell: what the file gives is a unit's total over all time, the sum
            # of its year cells; months move within a year unseen (see anonymity).
            continue
        # A stock at the snapshot counts cases received in any year up to it.
        latest = year if row.indicator in AT_SNAPSHOT else row.period
        codes = out.setdefault(column, {}).setdefault(row.dimension, {})
        codes[row.code] = max(latest, codes.get(row.code, latest))
    return out


def _coarse(level: Level) -> dict[str, Callable[[str], str] | None]:
    """Each dimension's unit of a fine code at ``level``; None where it is withheld."""
    return {
        "region": None if level.region == 2 else (lambda c: region_of(c, level.region)),
        "category": None if level.category == 1 else (lambda c: category_of(c, level.category)),
        "channel": None if level.channel == 1 else (lambda c: c),
    }


def blanked_units(hidden: HiddenValues, level: Level) -> dict[tuple[str, str, str], str]:
    """``(column, dimension, coarse unit)`` → the latest year of receipt whose rows
    withhold the column (every earlier year's too).

    A dimension the level withholds gives no sum per unit (only the total, which
    the ``overall`` rows publish), so it blanks nothing.
    """
    coarse = _coarse(level)
    out: dict[tuple[str, str, str], str] = {}
    for column, dimensions in hidden.items():
        for dimension, codes in dimensions.items():
            unit_of = coarse.get(dimension)
            if unit_of is None:
                continue
            for code, year in codes.items():
                key = (column, dimension, unit_of(code))
                out[key] = max(year, out.get(key, year))
    return out


class ValueBlanks:
    """A row's value columns shown as ``withheld``, from its fine quasi-identifiers
    (memoised per combination): those of a unit it belongs to whose latest year
    concerned is its year of receipt or later. Judged by the row's own units, whatever the
    quasi-identifiers show: a unit withheld for its received count still has its
    value columns judged by what it is."""

    def __init__(self, level: Level, hidden: HiddenValues | None) -> None:
        self.units = blanked_units(hidden, level) if hidden else {}
        self._coarse = _coarse(level)
        self._memo: dict[Fine, frozenset[str]] = {}

    def __call__(self, fine: Fine) -> frozenset[str]:
        judged = self._memo.get(fine)
        if judged is None:
            month, region, category, _, channel = fine
            year = month[:4]
            units = []
            for dimension, code in (("region", region), ("category", category),
                                    ("channel", channel)):  # fmt: skip
                unit_of = self._coarse[dimension]
                if unit_of is not None and unit_of(code) != WITHHELD:
                    units.append((dimension, unit_of(code)))
            judged = frozenset(
                c
                for c in VALUE_COLUMNS
                if any(year <= self.units.get((c, d, u), "") for d, u in units)
            )
            self._memo[fine] = judged
        return judged
