"""The funnel plots of an indicator page: agencies and regions, for the years shown.

Which years: the latest year (the snapshot's own year is marked incomplete, as
the breakdowns are) and, when that one is not over, the latest complete year
too, since a whole year is the fairer comparison and the year to date is the
newer one. Each funnel compares the published rows of a breakdown with the
overall rate of the same year (:mod:`sunshine.statistics.funnel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from sunshine.statistics.funnel import Funnel, funnel, has_funnel
from sunshine.statistics.funnel_chart import funnel_chart
from sunshine.statistics.indicators import INDICATORS

from .collect import Statistics

FUNNEL_DIMENSIONS = ("agency", "region")

_BY = {
    "agency": {"zh": "按机构", "en": "by agency"},
    "region": {"zh": "按地区", "en": "by region"},
}


@dataclass(frozen=True)
class FunnelFigure:
    """One funnel as the page shows it: the plot, its data and whether its year is over."""

    dimension: str
    year: str
    complete: bool
    title: str
    funnel: Funnel
    chart: Markup | None  # None when no unit has a published rate


def funnel_years(statistics: Statistics) -> list[str]:
    """The latest year and, if it is not over, the latest complete one (newest first)."""
    if not statistics.years:
        return []
    latest = statistics.years[-1]
    if statistics.complete(latest):
        return [latest]
    done = [y for y in statistics.years if statistics.complete(y)]
    return [latest, done[-1]] if done else [latest]


def funnel_figures(
    statistics: Statistics, code: str, lang: str, names: Mapping[str, Mapping[str, str]]
) -> list[FunnelFigure]:
    """Every funnel of the indicator ``code``: per year of :func:`funnel_years`, agencies
    then regions. Empty for an indicator that is not a proportion."""
    if not has_funnel(code):
        return []
    name = INDICATORS[code].name[lang]
    figures = []
    for year in funnel_years(statistics):
        done = statistics.complete(year)
        for dimension in FUNNEL_DIMENSIONS:
            f = funnel(
                statistics.get(year, code),
                statistics.breakdown(year, code, dimension),
                names.get(dimension, {}),
            )
            if f is None:
                continue
            by = _BY[dimension][lang]
            title = f"{name}（{year}年，{by}）" if lang == "zh" else f"{name}, {year}, {by}"
            if not done:
                title += (
                    f"（截至{statistics.as_of}，年度未结束）"
                    if lang == "zh"
                    else f" (to {statistics.as_of}: the year is not over)"
                )
            chart = funnel_chart(f, title=title, desc="", lang=lang) if f.units else None
            figures.append(FunnelFigure(dimension, year, done, title, f, chart))
    return figures
