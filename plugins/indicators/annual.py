"""Collect the annual report of one year (Art. 41 of the 2022 《信访工作条例》): no I/O.

Art. 41 has petition offices report every year the volumes, the fields matters
concern and the agencies most complained of. :func:`annual_report` takes those
figures from the rows as published (after disclosure control, so the report can
show nothing the open data hides), with each figure's change against the year
before; :mod:`plugins.indicators.generator` writes it to ``/statistics/<year>/``.

Comparisons are made only where they are like for like: a full year against a
full year; the year still under way against the same complete months of the
year before, summed from the published monthly overall rows (a year's flows are
the sums of its months, see :mod:`sunshine.statistics.indicators`), the stock
(``backlog``) at the end of the latest complete month against the same month a
year earlier. Otherwise nothing is compared and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
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

    def figure(code: str) -> Figure:
        row = statistics.get(year, code)
        earlier = before(code)
        now = row
        if earlier is not None and not complete:
            # The year under way is compared on its complete months only.
            now = _span(statistics, _ytd(statistics, year), code)
        moved = change(now, earlier) if earlier is not None else None
        text = change_text(moved, lang) if earlier is not None else "—"
        return Figure(
            code,
            INDICATORS[code].name[lang],
            row,
            formatted(row, lang),
            cases(row) if INDICATORS[code].kind != "count" else None,
            interval(row) if row is not None else None,
            moved,
            text,
        )

    total = statistics.get(year, "received")
    return AnnualReport(
        year=year,
        lang=lang,
        as_of=statistics.as_of,
        complete=complete,
        first_month=months[0] if months else f"{year}-01",
        last_month=months[-1] if months else f"{year}-12",
        received=figure("received"),
        channels=_shares(statistics, year, "channel", names, total),
        categories=_top(statistics, year, "category", names, total),
        agencies=_top(statistics, year, "agency", names, total),
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
    total: Published | None,
) -> list[Share]:
    """Every unit's published count of matters received and its share of the year's total."""
    whole = total.value if total is not None and total.status == "ok" else None
    out = []
    for row in statistics.breakdown(year, "received", dimension):
        count = int(row.value) if row.status == "ok" and row.value is not None else None
        share = count / whole if count is not None and whole else None
        label = names.get(dimension, {}).get(row.code, row.code)
        out.append(Share(row.code, label, count, share, row.status))
    return out


def _top(
    statistics: Statistics,
    year: str,
    dimension: str,
    names: dict[str, dict[str, str]],
    total: Published | None,
) -> TopList:
    """The ``TOP`` units by matters received; suppressed units are counted, never ranked.

    Ties are broken by code, so two builds of the same data rank alike.
    """
    shares = _shares(statistics, year, dimension, names, total)
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


Base = Callable[[str], Published | None]


def _bases(statistics: Statistics, year: str, lang: str) -> tuple[Base, str | None]:
    """``(indicator → the figure to compare with, or None; why nothing is compared)``."""
    previous = str(int(year) - 1)
    zh = lang == "zh"
    first = statistics.months[0] if statistics.months else None

    def nothing(_code: str) -> Published | None:
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
        return (lambda code: statistics.get(previous, code)), None
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
        m for m in months + earlier if any(_row_of(statistics, m, c) is None for c in _COMPARED)
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
    return (lambda code: _span(statistics, earlier, code)), None


_COMPARED = ("received", *TIMELINESS, *SATISFACTION, "review_rate", "backlog")


def _row_of(statistics: Statistics, month: str, code: str) -> Published | None:
    row = statistics.get(month, code)
    return row if row is not None and row.status == "ok" else None


def _span(statistics: Statistics, months: list[str], code: str) -> Published | None:
    """``code`` over ``months`` from their published overall rows, as one row.

    Flows add up (counts; a rate's numerators and denominators); a stock is its
    value at the end of the last month. None unless every month is published.
    """
    rows = [_row_of(statistics, m, code) for m in months]
    if not rows or any(r is None for r in rows):
        return None
    published = [r for r in rows if r is not None]
    label = _span_label(months)
    if code in STOCKS:
        return replace(published[-1], period=f"{months[-1]}")
    if any(r.numerator is None for r in published):
        return None  # means and medians do not add up
    numerator = sum(r.numerator or 0 for r in published)
    if INDICATORS[code].kind == "count":
        return replace(published[-1], period=label, value=float(numerator), numerator=numerator)
    denominator = sum(r.denominator or 0 for r in published)
    value = numerator / denominator if denominator else None
    return replace(
        published[-1], period=label, value=value, numerator=numerator, denominator=denominator
    )
