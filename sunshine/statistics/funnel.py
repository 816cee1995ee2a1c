"""Funnel plots: exact binomial control limits around a target rate, and where each unit falls.

Agencies and regions are compared on a funnel plot rather than a league table
(DESIGN.md, "Statistics and open data"): a rate on 25 cases moves by 4 points
with one case, so ranking raw rates puts the smallest units at both ends.
The funnel draws, for every denominator ``n``, the range a unit whose true
rate were the overall rate ``p0`` would fall in by chance (95% and 99.8%);
only a unit outside it differs by more than chance explains.

Limits follow Spiegelhalter (2005), "Funnel plots for comparing institutional
performance", *Statistics in Medicine* 24:1185–1202, appendix: for a
probability ``P`` let ``r_P`` be the ``P``-quantile of Binomial(n, p0) (the
smallest ``r`` with ``F(r) >= P``); since ``r`` is discrete the limit is
interpolated,

    α = (F(r_P) − P) / (F(r_P) − F(r_P − 1)),  limit = (r_P − α) / n,

and clipped to [0, 1]. The quantile and the distribution function come from
scipy rather than a hand-written sum: its ``binom`` is exact for any ``n``
and handles the tails without the underflow a naive product of terms has.

The exact limits are not monotone in ``n`` case by case (the discreteness
makes a small saw-tooth), but the band always narrows as the denominator grows
by a factor (``tests/test_funnel.py`` checks it), which is what the eye reads.

No I/O: the rows come in as published, after disclosure control; only
published (``ok``) rows become units, never a withheld or suppressed one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import binom

from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicators import INDICATORS, wilson

__all__ = [
    "NOT_PROPORTIONS",
    "Funnel",
    "Limits",
    "Position",
    "Unit",
    "control_limit",
    "control_limits",
    "funnel",
    "has_funnel",
    "limits",
    "limits_at",
    "position",
    "positions",
]

LOWER_95, UPPER_95 = 0.025, 0.975  # two-sided 95%: about two standard errors
LOWER_998, UPPER_998 = 0.001, 0.999  # two-sided 99.8%: about three standard errors

NOT_PROPORTIONS = frozenset({"review_rate", "rereview_rate"})
"""Rates that are ratios of events in a period (review requests this month over
replies this month), which can exceed 1: no binomial model, so no funnel."""

Position = Literal["above-99.8", "above-95", "within", "below-95", "below-99.8"]


def has_funnel(indicator: str) -> bool:
    """Whether the indicator is a proportion (numerator <= denominator by definition)."""
    return INDICATORS[indicator].kind == "rate" and indicator not in NOT_PROPORTIONS


def control_limit(n: int, p0: float, probability: float) -> float:
    """The ``probability`` limit for a proportion on ``n`` cases around the target ``p0``.

    ``p0`` of 0 or 1 is a distribution with no spread: every limit is ``p0``
    itself, so any other rate lies outside (the interpolation would otherwise
    put a limit just inside the only possible value).
    """
    return control_limits([n], p0, probability)[0]


def control_limits(ns: Sequence[int], p0: float, probability: float) -> list[float]:
    """:func:`control_limit` at many denominators at once (scipy works on whole arrays)."""
    if any(n < 1 for n in ns):
        raise ValueError(f"a control limit needs at least one case, not {min(ns)}")
    if not 0.0 <= p0 <= 1.0:
        raise ValueError(f"the target must be a proportion, not {p0!r}")
    if not 0.0 < probability < 1.0:
        raise ValueError(f"the probability must be strictly between 0 and 1, not {probability!r}")
    if p0 in (0.0, 1.0):
        return [p0 for _ in ns]
    n = np.asarray(ns, dtype=float)
    r = binom.ppf(probability, n, p0)
    at_r = binom.cdf(r, n, p0)
    below_r = binom.cdf(r - 1, n, p0)
    alpha = (at_r - probability) / (at_r - below_r)
    return [float(x) for x in np.clip((r - alpha) / n, 0.0, 1.0)]


@dataclass(frozen=True)
class Limits:
    """The four limits at one denominator."""

    n: int
    lower_998: float
    lower_95: float
    upper_95: float
    upper_998: float


def limits(n: int, p0: float) -> Limits:
    """The 95% and 99.8% limits at ``n`` cases around ``p0``."""
    return limits_at([n], p0)[0]


def limits_at(ns: Sequence[int], p0: float) -> list[Limits]:
    """:func:`limits` at many denominators at once."""
    columns = [control_limits(ns, p0, p) for p in (LOWER_998, LOWER_95, UPPER_95, UPPER_998)]
    return [Limits(n, *values) for n, *values in zip(ns, *columns, strict=True)]


def position(numerator: int, denominator: int, p0: float) -> Position:
    """Where ``numerator / denominator`` falls against the limits around ``p0``.

    A count is a whole number of cases, and the interpolated limits treat each
    case as spread over the unit below it (the limit for count ``r`` lies in
    ``(r - 1, r]``); so the count is compared at the middle of its case,
    ``numerator - 0.5``, with the limit. That is the mid-p rule: above the
    ``P`` limit when ``P(X > x) + P(X = x) / 2 < 1 - P``, below it when
    ``P(X < x) + P(X = x) / 2 < P``. Comparing the bare rate instead flags a
    unit at 100% whenever the overall rate is high, although 100% is then the
    likeliest result (38 of 38 against 98.3% overall: P(X = 38) = 0.52).
    """
    return positions([numerator], [denominator], p0)[0]


def positions(numerators: Sequence[int], denominators: Sequence[int], p0: float) -> list[Position]:
    """:func:`position` of many units at once: one call into scipy for a whole
    breakdown (hundreds of agencies) rather than three per unit."""
    for numerator, denominator in zip(numerators, denominators, strict=True):
        if not 0 <= numerator <= denominator:
            raise ValueError(f"{numerator} of {denominator} is not a proportion")
    if not 0.0 <= p0 <= 1.0:
        raise ValueError(f"the target must be a proportion, not {p0!r}")
    if not numerators:
        return []
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    half = binom.pmf(x, n, p0) / 2
    upper = binom.sf(x, n, p0) + half  # P(X > x) + P(X = x) / 2
    lower = binom.cdf(x - 1, n, p0) + half  # P(X < x) + P(X = x) / 2
    found: list[Position] = []
    for up, low in zip(upper.tolist(), lower.tolist(), strict=True):
        if up < 1 - UPPER_998:
            found.append("above-99.8")
        elif up < 1 - UPPER_95:
            found.append("above-95")
        elif low < LOWER_998:
            found.append("below-99.8")
        elif low < LOWER_95:
            found.append("below-95")
        else:
            found.append("within")
    return found


@dataclass(frozen=True)
class Unit:
    """One agency or region on the funnel: its published figures and where it falls."""

    code: str
    name: str
    numerator: int
    denominator: int
    position: Position

    @property
    def rate(self) -> float:
        return self.numerator / self.denominator

    @property
    def interval(self) -> tuple[float, float]:
        """Its own 95% (Wilson) interval, as in the other tables of the site."""
        return wilson(self.numerator, self.denominator)

    @property
    def outside(self) -> bool:
        return self.position != "within"


@dataclass(frozen=True)
class Funnel:
    """The units of one breakdown of one period around the overall rate of that period."""

    indicator: str
    period: str
    dimension: str
    target: float
    target_numerator: int
    target_denominator: int
    units: tuple[Unit, ...]

    @property
    def outliers(self) -> tuple[Unit, ...]:
        """Units outside the 95% limits, the furthest (99.8%) first, then by rate."""
        order = {"above-99.8": 0, "below-99.8": 0, "above-95": 1, "below-95": 1}
        out = [u for u in self.units if u.outside]
        return tuple(sorted(out, key=lambda u: (order[u.position], -u.rate, u.code)))

    def curve(self, points: int = 80) -> list[Limits]:
        """The limits at about ``points`` denominators from 1 to the largest unit's, to draw."""
        top = max((u.denominator for u in self.units), default=1)
        step = max(1, top // points)
        return limits_at(sorted({*range(1, top + 1, step), top}), self.target)


def funnel(
    overall: Published | None, rows: Sequence[Published], names: Mapping[str, str]
) -> Funnel | None:
    """The funnel of a breakdown's published rows around the overall row of the same period.

    None when the indicator is not a proportion, or the overall rate has no
    figures. ``names`` gives each code's name; a code without one is shown as is.
    """
    if overall is None or not has_funnel(overall.indicator):
        return None
    if overall.status != "ok" or not overall.denominator or overall.numerator is None:
        return None
    target = overall.numerator / overall.denominator
    shown = [
        (row.code, row.numerator, row.denominator)
        for row in rows
        if row.status == "ok"
        and row.numerator is not None
        and row.denominator
        and row.numerator <= row.denominator
    ]
    where = positions([s[1] for s in shown], [s[2] for s in shown], target)
    units = tuple(
        Unit(code, names.get(code, code), numerator, denominator, place)
        for (code, numerator, denominator), place in zip(shown, where, strict=True)
    )
    dimension = rows[0].dimension if rows else ""
    return Funnel(
        overall.indicator,
        overall.period,
        dimension,
        target,
        overall.numerator,
        overall.denominator,
        units,
    )
