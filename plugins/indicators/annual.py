"""Collect the annual report of one year (Art. 41 of the 2022 《信访工作条例》): no I/O.

Art. 41 has petition offices report every year the volumes, the fields matters
concern and the agencies most complained of. :func:`annual_report` takes those
figures from the rows as published (after disclosure control, so the report can
show nothing the open data hides), with each figure's change against the year
before; :mod:`plugins.indicators.generator` writes it to ``/statistics/<year>/``.

Comparisons are made only where they are like for like: a full year against a
full year; the year still under way against the same complete months of the
year before, summed from the published monthly rows (a year's flows are the
sums of its months, see :mod:`sunshine.statistics.indicators`), the stock
(``backlog``) at the end of the latest complete month against the same month a
year earlier. Otherwise nothing is compared and the report says why; a change
on fewer than 20 cases is withheld, as in the overview's headline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicators import INDICATORS

from .collect import Change, Statistics, Withheld, cases, change, change_text, formatted, interval

__all__ = ["TOP", "AnnualReport", "Figure", "Share", "TopList", "annual_report"]

TOP = 10
"""How many categories and agencies the report ranks."""

TIMELINESS = ("timely_acceptance_rate", "on_time_reply_rate")
SATISFACTION = ("satisfaction_rate", "basic_satisfaction_rate", "evaluation_rate")
STOCKS = frozenset({"backlog", "overdue_open"})


@dataclass(frozen=True)
class Figure:
    """One overall figure of the year, as published, with its change."""

    indicator: str
    name: str
    row: Published | None
    text: str
    n: int | None
    interval: tuple[float, float] | None
    change: Change | Withheld | None
    change_text: str


@dataclass(frozen=True)
class Share:
    """A unit's matters received in the year; ``count`` None when not published."""

    code: str
    name: str
    count: int | None
    share: float | None
    status: str
    change: Change | Withheld | None
    change_text: str


@dataclass(frozen=True)
class TopList:
    """The units with the most matters received, among the published counts."""

    dimension: str
    items: list[Share]
    left_out: int
    """Units whose count is suppressed under disclosure control (never ranked)."""
    published: int
    """Units with a published count above zero (``items`` are the first ``TOP``)."""


@dataclass(frozen=True)
class AnnualReport:
    year: str
    lang: str
    as_of: date
    complete: bool
    first_month: str
    """The first month the year's figures cover (January unless the data begin later)."""
    last_month: str
    received: Figure
    channels: list[Share]
    categories: TopList
    agencies: TopList
    timeliness: list[Figure]
    satisfaction: list[Figure]
    review: Figure
    backlog: Figure
    compared_with: str | None
    """What the changes compare against: ``2025``, or ``2025-01–2025-10`` for the year under way."""
    compared_span: str | None
    """For the year under way, the months compared (``2026-01–2026-10``); None for a full year."""
    not_compared: str | None
    """Why nothing is compared (when ``compared_with`` is None)."""

    @property
    def title(self) -> str:
        """The report's title (Art. 41 calls it 信访情况年度报告)."""
        if self.lang == "zh":
            return f"{self.year}年信访情况年度报告"
        return f"Petitions in {self.year}: annual report"

    @property
    def figures(self) -> list[Figure]:
        return [self.received, *self.timeliness, *self.satisfaction, self.review, self.backlog]


def annual_report(
    statistics: Statistics, year: str, names: dict[str, dict[str, str]], lang: str
) -> AnnualReport:
    """The report of ``year`` from ``statistics``' published rows, texts in ``lang``.

    ``names``: ``dimension → code → name`` (the registry's code lists); a code
    without a name is shown as the code.
    """
    if statistics.as_of is None or year not in statistics.years:
        raise ValueError(f"no published figures for {year}")
    months = [m for m in statistics.months if m.startswith(year)]
    complete = statistics.complete(year)
    before, reason = _bases(statistics, year, lang)

    def moved(code: str, unit: Unit = OVERALL) -> tuple[Change | Withheld | None, str]:
        if reason is not None:
            return None, "—"  # the report says why once
        if complete:
            now = statistics.get(year, code, *unit)
        else:  # the year under way is compared on its complete months only
            now = _span(statistics, _ytd(statistics, year), code, unit)
        earlier = before(code, unit)
        if _published(now) is None or _published(earlier) is None:
            return None, UNPUBLISHED[lang == "zh"]
        c = change(now, earlier)
        return c, change_text(c, lang)

    def figure(code: str) -> Figure:
        row = statistics.get(year, code)
        return Figure(
            code,
            INDICATORS[code].name[lang],
            row,
            formatted(row, lang),
            cases(row) if INDICATORS[code].kind != "count" else None,
            interval(row) if row is not None else None,
            *moved(code),
        )

    def shares(dimension: str) -> list[Share]:
        return _shares(statistics, year, dimension, names, moved)

    return AnnualReport(
        year=year,
        lang=lang,
        as_of=statistics.as_of,
        complete=complete,
        first_month=months[0] if months else f"{year}-01",
        last_month=months[-1] if months else f"{year}-12",
        received=figure("received"),
        channels=shares("channel"),
        categories=_top(shares("category"), "category"),
        agencies=_top(shares("agency"), "agency"),
        timeliness=[figure(c) for c in TIMELINESS],
        satisfaction=[figure(c) for c in SATISFACTION],
        review=figure("review_rate"),
        backlog=figure("backlog"),
        compared_with=_label(statistics, year) if reason is None else None,
        compared_span=_span_label(_ytd(statistics, year))
        if reason is None and not complete
        else None,
        not_compared=reason,
    )


def _shares(
    statistics: Statistics,
    year: str,
    dimension: str,
    names: dict[str, dict[str, str]],
    moved: Callable[[str, Unit], tuple[Change | Withheld | None, str]],
) -> list[Share]:
    """Every unit's published count of matters received, its share of the year's total
    and its change (only a published count is compared: a hidden one is never shown)."""
    total = _published(statistics.get(year, "received"))
    whole = total.value if total is not None else None
    out = []
    for row in statistics.breakdown(year, "received", dimension):
        count = int(row.value) if row.status == "ok" and row.value is not None else None
        share = count / whole if count is not None and whole else None
        label = names.get(dimension, {}).get(row.code, row.code)
        c, text = moved("received", (dimension, row.code)) if count is not None else (None, "")
        out.append(Share(row.code, label, count, share, row.status, c, text))
    return out


def _top(shares: list[Share], dimension: str) -> TopList:
    """The ``TOP`` units by matters received; suppressed units are counted, never ranked.

    Ties are broken by code, so two builds of the same data rank alike.
    """
    ranked = sorted((s for s in shares if s.count), key=lambda s: (-(s.count or 0), s.code))
    left_out = sum(1 for s in shares if s.count is None)
    return TopList(dimension, ranked[:TOP], left_out, len(ranked))


def _ytd(statistics: Statistics, year: str) -> list[str]:
    """The complete months of ``year`` (none when its first month is not over)."""
    latest = statistics.latest_month
    if latest is None or not latest.startswith(year):
        return []
    return [f"{year}-{m:02d}" for m in range(1, int(latest[5:]) + 1)]


def _label(statistics: Statistics, year: str) -> str:
    previous = str(int(year) - 1)
    if statistics.complete(year):
        return previous
    return _span_label([f"{previous}{m[4:]}" for m in _ytd(statistics, year)])


def _span_label(months: list[str]) -> str:
    return f"{months[0]}–{months[-1]}"


Unit = tuple[str, str]
"""``(dimension, code)`` of a row: ``("overall", "all")`` or, say, ``("channel", "online")``."""
OVERALL: Unit = ("overall", "all")
Base = Callable[[str, Unit], Published | None]
UNPUBLISHED = {
    False: "not compared: a figure it rests on is not published (disclosure control)",
    True: "不作比较：所依据的数字因披露控制未公布",
}


def _bases(statistics: Statistics, year: str, lang: str) -> tuple[Base, str | None]:
    """``(indicator → the figure to compare with, or None; why nothing is compared)``."""
    previous = str(int(year) - 1)
    zh = lang == "zh"
    first = statistics.months[0] if statistics.months else None

    def nothing(_code: str, _unit: Unit) -> Published | None:
        return None

    if previous not in statistics.years:
        if zh:
            why = f"未公布{previous}年的数字，不作比较。"
        else:
            why = f"No figures for {previous} are published: nothing is compared."
        return nothing, why
    if first is None or first > f"{previous}-01":
        # The year before is missing or covers only part of itself: no like for like.
        if zh:
            why = f"数据始于{first}，{previous}年不是完整年度，不作比较。"
        else:
            why = (
                f"The data begin in {first}: {previous} is not a full year, so nothing is compared."
            )
        return nothing, why
    if statistics.complete(year):
        return (lambda code, unit: statistics.get(previous, code, *unit)), None
    months = _ytd(statistics, year)
    if not months:
        if zh:
            why = f"本年度尚无已结束的月份（数据截至{statistics.as_of}），不作比较。"
        else:
            why = (
                f"No month of {year} is over yet (data to {statistics.as_of}): nothing is compared."
            )
        return nothing, why
    earlier = [f"{previous}{m[4:]}" for m in months]
    unpublished = [
        m
        for m in months + earlier
        if any(_published(statistics.get(m, c)) is None for c in _COMPARED)
    ]
    if unpublished:
        if zh:
            why = f"{unpublished[0]}的数字未全部公布，无法按相同月份比较，不作比较。"
        else:
            why = (
                f"The figures of {unpublished[0]} are not all published, so the same months"
                " cannot be compared: nothing is compared."
            )
        return nothing, why
    return (lambda code, unit: _span(statistics, earlier, code, unit)), None


_COMPARED = ("received", *TIMELINESS, *SATISFACTION, "review_rate", "backlog")


def _published(row: Published | None) -> Published | None:
    return row if row is not None and row.status == "ok" else None


def _span(
    statistics: Statistics, months: list[str], code: str, unit: Unit = OVERALL
) -> Published | None:
    """``code`` of ``unit`` over ``months`` from their published rows, as one row.

    Flows add up (counts; a rate's numerators and denominators); a stock is its
    value at the end of the last month. None unless every month is published.
    """
    rows = [_published(statistics.get(m, code, *unit)) for m in months]
    if not rows or any(r is None for r in rows):
        return None
    published = [r for r in rows if r is not None]
    label = _span_label(months)
    if code in STOCKS:
        return published[-1]._replace(period=f"{months[-1]}")
    if any(r.numerator is None for r in published):
        return None  # means and medians do not add up
    numerator = sum(r.numerator or 0 for r in published)
    if INDICATORS[code].kind == "count":
        return published[-1]._replace(period=label, value=float(numerator), numerator=numerator)
    denominator = sum(r.denominator or 0 for r in published)
    value = numerator / denominator if denominator else None
    return published[-1]._replace(
        period=label, value=value, numerator=numerator, denominator=denominator
    )
