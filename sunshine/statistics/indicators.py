"""The published indicators: definitions of record and their computation.

:data:`INDICATORS` states every indicator of DESIGN.md ("Statistics and open
data") in both languages; :func:`compute` turns cases into the long-form rows
of ``indicators.csv`` (before disclosure control, which is the publisher's
step). The per-case rules live in :mod:`sunshine.statistics.indicator_rules`.

Rows are ``(period, dimension, code, indicator, value, numerator,
denominator)``: ``period`` is ``YYYY-MM`` or ``YYYY``; ``dimension`` is
``overall`` (code ``all``), ``region``, ``category``, ``channel`` or ``agency``
(the case's current agency). Rates: ``value = numerator / denominator``, None
when the denominator is 0. Means and medians: ``denominator`` = cases
averaged, ``numerator`` None. Counts: ``value = numerator = count``.

Flows (everything but ``backlog`` and ``overdue_open``) of a year are the sums
of its months. ``backlog`` and ``overdue_open`` are stocks at the period's end,
so a year's value is that of its last month (December, or ``as_of``'s month
for the current year). A period's end is never after ``as_of``; anything that
would be counted in a month after ``as_of``'s (say, a timely reply whose due
date is next month) is not counted yet, in the months and the years alike.

Memory: one pass over the cases, adding into counters keyed by
``(month, dimension, code)`` (a fixed vector of counters each) and a histogram
of handling days (integers) per key; medians come from the histograms, so no
per-case values are kept: memory grows with months × codes, not with cases.
Years are rolled up from the months at the end.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple

from pydantic_core import from_json

from store.cases import case_data
from sunshine.statistics.indicator_rules import CaseFacts, case_facts, month_of

__all__ = [
    "DIMENSIONS",
    "INDICATORS",
    "Accumulator",
    "Contribution",
    "Indicator",
    "Row",
    "case_facts",
    "compute",
    "compute_from_store",
    "contribution",
    "is_complete",
    "rows_of",
    "wilson",
]

Kind = Literal["count", "rate", "mean", "median"]
DIMENSIONS: tuple[str, ...] = ("overall", "region", "category", "channel", "agency")


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    kind: Kind
    name: dict[str, str]
    definition: dict[str, str]
    articles: list[str]
    """Articles of the 2022 《信访工作条例》 behind the indicator."""
    unit: str


def _ind(code: str, kind: Kind, zh: str, en: str, dzh: str, den: str, arts: list[str]) -> Indicator:
    unit = {"count": "cases", "rate": "ratio", "mean": "days", "median": "days"}[kind]
    return Indicator(code, kind, {"zh": zh, "en": en}, {"zh": dzh, "en": den}, arts, unit)


_CLOCK_ZH = "仍未办理且已超过期限的计为不及时；在所等待的步骤之前撤回的不计入。"
_CLOCK_EN = (
    " Matters still open past the due date count as not timely; a matter withdrawn"
    " before the step it awaited is left out."
)

# fmt: off
INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        _ind("received", "count", "收到信访量", "Matters received",
             "统计期内收到的信访事项数。", "Matters received in the period.", []),
        _ind("online_share", "rate", "网上信访占比", "Share received online",
             "通过网上渠道收到的事项数 ÷ 收到的事项数。",
             "Matters received online / matters received.", []),
        _ind("timely_acceptance_rate", "rate", "及时受理率", "Timely acceptance decision rate",
             "自最后一次转送（无转送的自登记）起算，至其后首次告知、受理或不予受理止；"
             "在15日期限内完成的为及时，按期限届满日所在月份统计。" + _CLOCK_ZH,
             "The clock starts when the matter was last forwarded (or registered, if it was"
             " never forwarded) and stops at the first notice of receipt, acceptance or"
             " refusal to accept after that; timely if stopped by the 15-day due date,"
             " counted in the month of the due date."
             + _CLOCK_EN, ["22", "23"]),
        _ind("on_time_reply_rate", "rate", "按期办结率", "On-time reply rate",
             "仅统计第三十一条第六项规定的申诉求决类事项（不含涉法涉诉事项）。"
             "自受理起算，期限为60日加延期天数（合计不超过30日），至首次出具处理意见书止；"
             "按期限届满日所在月份统计。" + _CLOCK_ZH,
             "Only complaints and requests in the petition procedure (Art. 31 item 6),"
             " not law-related ones: the only matters with this limit."
             " The clock starts when the matter is accepted, runs for 60 days plus any"
             " extensions granted (at most 30 days in all) and stops at the first written"
             " reply; counted in the month of the due date." + _CLOCK_EN, ["34"]),
        _ind("mean_handling_days", "mean", "平均办理天数", "Mean handling days",
             "自受理至出具处理意见书的自然日数的平均值，按答复月份统计。",
             "Mean calendar days from acceptance to the written reply, by month of reply.",
             ["34"]),
        _ind("median_handling_days", "median", "办理天数中位数", "Median handling days",
             "自受理至出具处理意见书的自然日数的中位数，按答复月份统计。",
             "Median calendar days from acceptance to the written reply, by month of reply.",
             ["34"]),
        _ind("evaluation_rate", "rate", "参评率", "Evaluation rate",
             "已评价的事项数 ÷ 已答复的事项数，按答复月份统计。",
             "Replies rated by the petitioner / replies, by month of reply.", []),
        _ind("satisfaction_rate", "rate", "满意率", "Satisfaction rate",
             "评价为满意的事项数 ÷ 已评价的事项数（按答复月份统计）。",
             "Replies rated satisfied / replies rated (by month of reply).", []),
        _ind("basic_satisfaction_rate", "rate", "基本满意以上比率",
             "Satisfied or basically satisfied rate",
             "评价为满意或基本满意的事项数 ÷ 已评价的事项数（按答复月份统计）。",
             "Replies rated satisfied or basically satisfied / replies rated (by month of"
             " reply).", []),
        _ind("review_rate", "rate", "申请复查率", "Review request rate",
             "当月复查申请数 ÷ 当月答复数。",
             "Review requests in the period / replies in the period.", ["35"]),
        _ind("rereview_rate", "rate", "申请复核率", "Re-review request rate",
             "当月复核申请数 ÷ 当月复查意见数。",
             "Re-review requests in the period / review decisions in the period.", ["36"]),
        _ind("repeat_rate", "rate", "重复信访率", "Repeat petition rate",
             "收到的事项中登记为此前事项的重复信访的事项数 ÷ 收到的事项数。",
             "Matters received that the office recorded as repeating an earlier matter /"
             " matters received.", []),
        _ind("backlog", "count", "期末未办结事项数", "Matters open at period end",
             "统计期末尚未办结（仍有机关办理步骤未完成）的事项数。",
             "Matters still open at the end of the period.", []),
        _ind("overdue_open", "count", "期末超期未办结事项数", "Matters open past due at period end",
             "统计期末尚未办结的事项中已超过办理期限的事项数。",
             "Of the matters open at the end of the period, those past a due date.",
             ["22", "23", "34", "35", "36"]),
    )
}
# fmt: on
"""Every published indicator, in the order of DESIGN.md."""


def is_complete(period: str, as_of: date) -> bool:
    """Whether ``period`` (``YYYY-MM`` or ``YYYY``) had ended by the data's snapshot.

    The snapshot's own month and year are incomplete whatever its day: on the
    1st, the month has barely begun; on the last day, its end is not in the
    data yet (figures count events up to ``as_of`` itself). Only a period
    wholly before ``as_of``'s month (or year) is final.
    """
    if len(period) == 4:
        return int(period) < as_of.year
    return period < month_of(as_of)


class Row(NamedTuple):
    period: str
    dimension: str
    code: str
    indicator: str
    value: float | None
    numerator: int | None
    denominator: int | None


def wilson(numerator: int, denominator: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% for ``z = 1.96``).

    Written out by hand (scipy is not a dependency): centre
    ``(p + z²/2n) / (1 + z²/n)``, half-width ``z·√(p(1-p)/n + z²/4n²) / (1 + z²/n)``.
    """
    if denominator <= 0:
        raise ValueError("the interval needs a positive denominator")
    n, p, z2 = denominator, numerator / denominator, z * z
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / scale
    return max(0.0, centre - half), min(1.0, centre + half)


# Counter slots of one (period, dimension, code) key.
(RECEIVED, ONLINE, REPEAT, ACC_OK, ACC_N, REPLY_OK, REPLY_N, H_N, H_SUM, REPLIED,
 EVALUATED, SATISFIED, BASIC, REVIEW_REQ, REVIEW_DEC, REREVIEW_REQ, BACKLOG,
 OVERDUE) = range(18)  # fmt: skip
_SLOTS = 18
_STOCKS = (BACKLOG, OVERDUE)
_FLOWS = tuple(s for s in range(_SLOTS) if s not in _STOCKS)

_RATES: dict[str, tuple[int, int]] = {
    "online_share": (ONLINE, RECEIVED),
    "timely_acceptance_rate": (ACC_OK, ACC_N),
    "on_time_reply_rate": (REPLY_OK, REPLY_N),
    "evaluation_rate": (EVALUATED, REPLIED),
    "satisfaction_rate": (SATISFIED, EVALUATED),
    "basic_satisfaction_rate": (BASIC, EVALUATED),
    "review_rate": (REVIEW_REQ, REPLIED),
    "rereview_rate": (REREVIEW_REQ, REVIEW_DEC),
    "repeat_rate": (REPEAT, RECEIVED),
}
_COUNTS: dict[str, int] = {"received": RECEIVED, "backlog": BACKLOG, "overdue_open": OVERDUE}

_Key = tuple[str, str, str]  # period, dimension, code


Contribution = tuple[
    tuple[str, str, str, str],  # region, category, channel, agency
    tuple[tuple[str, tuple[tuple[int, int], ...]], ...],  # (month, ((slot, amount), ...))
    tuple[str, int] | None,  # (month of reply, handling days) for the medians
]
"""What one case adds to the counters: plain tuples, so a cache can keep it."""


def contribution(f: CaseFacts, as_of: date) -> tuple[Contribution, bool]:
    """One case's additions to the counters as of ``as_of``, and whether they are settled.

    Settled: the case's figures no longer depend on ``as_of`` (nothing left
    open, no clock still running, nothing waiting for a later month), so a
    later build may reuse them as long as the case does not change.
    """
    last = month_of(as_of)
    mine: dict[str, dict[int, int]] = {}
    settled = f.settled

    def bump(month: str, slot: int, amount: int = 1) -> None:
        nonlocal settled
        if month > last:  # nothing counts before its month has begun
            settled = False
            return
        per = mine.setdefault(month, {})
        per[slot] = per.get(slot, 0) + amount

    m = month_of(f.received)
    bump(m, RECEIVED)
    if f.channel == "online":
        bump(m, ONLINE)
    if f.repeat:
        bump(m, REPEAT)
    for clock, ok, total in ((f.acceptance, ACC_OK, ACC_N), (f.reply, REPLY_OK, REPLY_N)):
        if clock is None:
            continue
        timely = clock.timely(as_of)
        if timely is not None:
            due_month = month_of(clock.due)
            bump(due_month, total)
            if timely:
                bump(due_month, ok)
    if f.replied is not None:
        m = month_of(f.replied)
        bump(m, REPLIED)
        if f.evaluation is not None:
            bump(m, EVALUATED)
            if f.evaluation == "satisfied":
                bump(m, SATISFIED)
            if f.evaluation in ("satisfied", "basically_satisfied"):
                bump(m, BASIC)
    handled: tuple[str, int] | None = None
    if f.handling_days is not None and f.reply is not None and f.reply.stop is not None:
        m = month_of(f.reply.stop)
        bump(m, H_N)
        bump(m, H_SUM, f.handling_days)
        if m <= last:
            handled = (m, f.handling_days)
    for days, slot in (
        (f.review_requests, REVIEW_REQ),
        (f.review_decisions, REVIEW_DEC),
        (f.rereview_requests, REREVIEW_REQ),
    ):
        for d in days:
            bump(month_of(d), slot)
    for m, overdue in f.open_months:
        bump(m, BACKLOG)
        if overdue:
            bump(m, OVERDUE)
    cells = tuple((month, tuple(per.items())) for month, per in mine.items())
    return ((f.region, f.category, f.channel, f.agency), cells, handled), settled


class Accumulator:
    """Counters per ``(month, dimension, code)``; years are rolled up at the end.

    Contributions can be taken away again (``sign=-1``), which lets a cache
    update the totals for the cases that changed instead of adding up every
    case again; keys left with nothing are dropped, so the totals are then
    exactly what adding up the current cases gives.
    """

    def __init__(self, as_of: date) -> None:
        self.last_month = month_of(as_of)
        self.counts: dict[_Key, list[int]] = {}
        self.hist: dict[_Key, Counter[int]] = {}
        self._emptied: set[_Key] = set()

    def apply(self, c: Contribution, sign: int = 1) -> None:
        (region, category, channel, agency), cells, handled = c
        targets = (
            ("overall", "all"),
            ("region", region),
            ("category", category),
            ("channel", channel),
            ("agency", agency),
        )
        counts = self.counts
        for month, per in cells:
            for dim, code in targets:
                key = (month, dim, code)
                cell = counts.get(key)
                if cell is None:
                    cell = counts[key] = [0] * _SLOTS
                for slot, amount in per:
                    cell[slot] += sign * amount
                if sign < 0:
                    self._emptied.add(key)
        if handled is not None:
            month, days = handled
            for dim, code in targets:
                key = (month, dim, code)
                hist = self.hist.get(key)
                if hist is None:
                    hist = self.hist[key] = Counter()
                hist[days] += sign
                if sign < 0:
                    self._emptied.add(key)

    def prune(self) -> None:
        """Drop the keys and histogram entries that removals left at zero."""
        for key in self._emptied:
            cell = self.counts.get(key)
            if cell is not None and not any(cell):
                del self.counts[key]
            hist = self.hist.get(key)
            if hist is not None:
                for days in [d for d, n in hist.items() if n == 0]:
                    del hist[days]
                if not hist:
                    del self.hist[key]
        self._emptied.clear()

    def _year_last_month(self, year: str) -> str:
        return self.last_month if year == self.last_month[:4] else f"{year}-12"

    def rollup(self) -> tuple[dict[_Key, list[int]], dict[_Key, Counter[int]]]:
        """Months as they are, plus years: flows summed, stocks from the last month."""
        totals: dict[_Key, list[int]] = dict(self.counts)
        hists: dict[_Key, Counter[int]] = dict(self.hist)
        for (month, dim, code), counts in self.counts.items():
            year = month[:4]
            key = (year, dim, code)
            acc = totals.get(key)
            if acc is None:
                acc = totals[key] = [0] * _SLOTS
            slots = range(_SLOTS) if month == self._year_last_month(year) else _FLOWS
            for s in slots:
                acc[s] += counts[s]
            hist = self.hist.get((month, dim, code))
            if hist:
                hists.setdefault(key, Counter()).update(hist)
        return totals, hists


def _median(hist: Counter[int]) -> float | None:
    n = sum(hist.values())
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2  # 0-based ranks of the middle value(s)
    lo = hi = None
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            hi = value
            break
    assert lo is not None and hi is not None
    return (lo + hi) / 2


def _rows(key: tuple[str, str, str], acc: list[int], hist: Counter[int] | None) -> Iterator[Row]:
    period, dim, code = key
    for name, ind in INDICATORS.items():
        if ind.kind == "count":
            c = acc[_COUNTS[name]]
            yield Row(period, dim, code, name, float(c), c, None)
        elif ind.kind == "rate":
            num, den = (acc[s] for s in _RATES[name])
            yield Row(period, dim, code, name, num / den if den else None, num, den)
        else:
            n = acc[H_N]
            if ind.kind == "mean":
                value = acc[H_SUM] / n if n else None
            else:
                value = _median(hist) if hist else None
            yield Row(period, dim, code, name, value, None, n)


def compute(cases: Iterable[dict[str, Any]], as_of: date) -> list[Row]:
    """All indicator rows for the months and years of the cases, as of ``as_of``.

    Tombstones (``deleted``) are skipped. Rows are sorted by period, dimension,
    code, then in the order of :data:`INDICATORS`.
    """
    acc = Accumulator(as_of)
    for case in cases:
        if case.get("deleted"):
            continue
        acc.apply(contribution(case_facts(case, as_of), as_of)[0])
    return rows_of(acc)


def rows_of(acc: Accumulator) -> list[Row]:
    """The rows of everything added to ``acc``, sorted as :func:`compute` promises."""
    totals, hists = acc.rollup()
    rows: list[Row] = []
    for key in sorted(totals, key=lambda k: (k[0], DIMENSIONS.index(k[1]), k[2])):
        rows.extend(_rows(key, totals[key], hists.get(key)))
    return rows


def compute_from_store(db: sqlite3.Connection, as_of: date) -> list[Row]:
    """:func:`compute` over every current case of the store's ``cases`` table."""
    return compute((from_json(data) for data in case_data(db)), as_of)
