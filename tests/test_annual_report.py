"""The annual report (/statistics/<year>/, Art. 41): collected from published rows, then built."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from plugins.indicators.annual import TOP, annual_report
from plugins.indicators.collect import Statistics, Withheld
from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicators import INDICATORS
from tests.conftest import BuiltSite

AS_OF = date(2026, 11, 15)
RATES = {
    "timely_acceptance_rate": (90, 100),
    "on_time_reply_rate": (40, 50),
    "satisfaction_rate": (30, 40),
    "basic_satisfaction_rate": (36, 40),
    "evaluation_rate": (40, 60),
    "review_rate": (3, 60),
}


def _row(period: str, indicator: str, num: int, den: int | None = None, **kw: str) -> Published:
    value = num / den if den else float(num)
    return Published(
        period,
        kw.get("dimension", "overall"),
        kw.get("code", "all"),
        indicator,
        value,
        num,
        den,
        "ok",  # type: ignore[arg-type]
    )


def _hidden(period: str, dimension: str, code: str, status: str = "suppressed") -> Published:
    return Published(period, dimension, code, "received", None, None, None, status)  # type: ignore[arg-type]


def _months(first: str, last: str) -> list[str]:
    months, (y, m) = [], (int(first[:4]), int(first[5:]))
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _overall(periods: list[str], scale: int = 1) -> list[Published]:
    """Overall rows of every compared indicator for ``periods`` (months or years)."""
    rows = []
    for p in periods:
        k = scale * (12 if len(p) == 4 else 1)
        rows.append(_row(p, "received", 30 * k))
        rows.append(_row(p, "backlog", 25))
        rows += [_row(p, code, n * k, d * k) for code, (n, d) in RATES.items()]
    return rows


def _statistics(first_month: str = "2024-01", extra: list[Published] | None = None) -> Statistics:
    months = _months(first_month, "2026-11")
    years = sorted({m[:4] for m in months})
    return Statistics(AS_OF, _overall(months) + _overall(years) + (extra or []))


def test_top_lists_rank_published_counts_and_count_those_left_out() -> None:
    units = [
        _row("2025", "received", 40, dimension="category", code="land.acquisition"),
        _row("2025", "received", 12, dimension="category", code="labour.wages"),
        _row("2025", "received", 0, dimension="category", code="housing.security"),
        _row("2025", "received", 12, dimension="category", code="health.medical"),
        _hidden("2025", "category", "law.litigation"),
        _hidden("2025", "category", "public.security", "withheld"),
    ]
    names = {"category": {"land.acquisition": "征地补偿"}}
    report = annual_report(_statistics(extra=units), "2025", names, "zh")
    top = report.categories
    # Largest first, ties by code; nothing of zero, nothing hidden.
    assert [u.code for u in top.items] == ["land.acquisition", "health.medical", "labour.wages"]
    assert [u.count for u in top.items] == [40, 12, 12]
    assert top.items[0].name == "征地补偿" and top.items[1].name == "health.medical"
    assert top.left_out == 2 and top.published == 3
    assert top.items[0].share == pytest.approx(40 / 360)


def test_units_are_compared_only_on_published_counts_of_enough_cases() -> None:
    units = [
        _row("2025", "received", 40, dimension="category", code="land.acquisition"),
        _row("2024", "received", 30, dimension="category", code="land.acquisition"),
        _row("2025", "received", 12, dimension="category", code="labour.wages"),
        _row("2024", "received", 25, dimension="category", code="labour.wages"),
        _row("2025", "received", 30, dimension="channel", code="online"),
        _hidden("2024", "channel", "online"),
        _hidden("2025", "channel", "fax"),
    ]
    report = annual_report(_statistics(extra=units), "2025", {}, "en")
    land, wages = report.categories.items
    assert land.change_text == "up 33.3%"
    assert isinstance(wages.change, Withheld) and "fewer than 20" in wages.change_text
    online, fax = sorted(report.channels, key=lambda s: s.code, reverse=True)
    assert online.change is None and "not published" in online.change_text
    assert fax.count is None and fax.change_text == ""  # a hidden count: no change either


def test_the_top_list_stops_at_its_length() -> None:
    units = [
        _row("2025", "received", 5 + i, dimension="agency", code=f"A{i:02d}") for i in range(15)
    ]
    top = annual_report(_statistics(extra=units), "2025", {}, "en").agencies
    assert len(top.items) == TOP and top.published == 15 and top.left_out == 0
    assert top.items[0].code == "A14"


def test_a_full_year_is_compared_with_the_full_year_before() -> None:
    report = annual_report(_statistics(), "2025", {}, "en")
    assert report.complete and report.compared_with == "2024" and report.not_compared is None
    assert report.received.change_text == "unchanged"
    assert report.timeliness[0].interval is not None and report.timeliness[0].n == 1200


def test_a_change_on_fewer_than_20_cases_is_withheld_with_its_reason() -> None:
    # The backlog (a stock) is 25 at every period's end: changed to 15 in 2024.
    stats = _statistics()
    rows = [r for r in stats.rows if not (r.period == "2024" and r.indicator == "backlog")]
    rows.append(_row("2024", "backlog", 15))
    for lang, words in (("en", "fewer than 20"), ("zh", "少于20件")):
        report = annual_report(Statistics(AS_OF, rows), "2025", {}, lang)
        assert isinstance(report.backlog.change, Withheld)
        assert report.backlog.change.cases == 15 and words in report.backlog.change_text
        assert not isinstance(report.received.change, Withheld)


def test_the_snapshots_year_is_incomplete_and_compared_on_the_same_months() -> None:
    stats = _statistics()
    # The months of 2025 after October must not count: make November and December odd.
    rows = [r for r in stats.rows if r.period not in ("2025-11", "2025-12")]
    rows += [_row(m, "received", 300) for m in ("2025-11", "2025-12")]
    report = annual_report(Statistics(AS_OF, rows), "2026", {}, "en")
    assert not report.complete
    assert report.compared_span == "2026-01–2026-10"
    assert report.compared_with == "2025-01–2025-10"
    assert report.received.change_text == "unchanged"  # 10 × 30 against 10 × 30
    assert report.last_month == "2026-11"


def test_the_year_under_way_is_not_compared_when_a_month_is_not_published() -> None:
    stats = _statistics()
    rows = [r for r in stats.rows if not (r.period == "2025-03" and r.indicator == "received")]
    report = annual_report(Statistics(AS_OF, rows), "2026", {}, "en")
    assert report.compared_with is None and "2025-03" in (report.not_compared or "")
    assert all(f.change is None and f.change_text == "—" for f in report.figures)


def test_in_january_the_new_year_is_not_compared() -> None:
    stats = _statistics()
    rows = [r for r in stats.rows if r.period < "2026-02"]
    report = annual_report(Statistics(date(2026, 1, 10), rows), "2026", {}, "zh")
    assert not report.complete and report.compared_with is None
    assert "本年度尚无已结束的月份" in (report.not_compared or "")


def test_a_year_before_that_is_partly_covered_is_not_compared() -> None:
    stats = _statistics(first_month="2024-11")
    for lang, words in (("en", "The data begin in 2024-11"), ("zh", "数据始于2024-11")):
        report = annual_report(stats, "2025", {}, lang)
        assert report.compared_with is None and words in (report.not_compared or "")
        assert all(f.change is None for f in report.figures)
    first = annual_report(stats, "2024", {}, "en")
    assert first.first_month == "2024-11" and "2023" in (first.not_compared or "")


# --- the built site -------------------------------------------------------------------------


def _published(site: BuiltSite) -> list[dict[str, str]]:
    with (site.output / "data" / "indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _years(rows: list[dict[str, str]]) -> list[str]:
    return sorted({r["period"] for r in rows if len(r["period"]) == 4})


def test_every_year_has_a_report_in_both_languages(site: BuiltSite) -> None:
    years = _years(_published(site))
    assert years
    for prefix in ("", "en/"):
        for year in years:
            html = (site.output / f"{prefix}statistics/{year}/index.html").read_text("utf-8")
            assert 'data-testid="annual-report"' in html and f'data-year="{year}"' in html
        overview = (site.output / f"{prefix}statistics/index.html").read_text("utf-8")
        assert all(f'href="/{prefix}statistics/{y}/"' in overview for y in years)


def _shown(value: dict[str, str]) -> str:
    """A published value as the pages print it (rates in per cent with one decimal)."""
    indicator = INDICATORS[value["indicator"]]
    if indicator.kind == "rate":
        return f"{float(value['value']) * 100:.1f}%"
    return f"{int(value['value']):,}"


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_figures_are_the_published_rows(
    page, site: BuiltSite, server_url: str, prefix: str
) -> None:  # type: ignore[no-untyped-def]
    rows = _published(site)
    overall = {(r["period"], r["indicator"]): r for r in rows if r["dimension"] == "overall"}
    withheld = 0
    for year in _years(rows):
        page.goto(f"{server_url}{prefix}/statistics/{year}/")
        figures = page.eval_on_selector_all(
            "[data-testid^=figures-] tbody tr",
            """trs => trs.map(tr => ({indicator: tr.dataset.indicator,
                 numerator: tr.dataset.numerator, denominator: tr.dataset.denominator,
                 value: tr.querySelector('[data-testid=value]').textContent.trim()}))""",
        )
        assert len(figures) == 8
        # A change resting on fewer than 20 cases is not shown, and the page says why.
        reasons = page.eval_on_selector_all(
            "[data-change=withheld]", "cells => cells.map(c => c.textContent)"
        )
        withheld += len(reasons)
        assert all(re.search(r"fewer than 20|少于20件", why) for why in reasons), reasons
        for shown in figures:
            published = overall[(year, shown["indicator"])]
            assert shown["numerator"] == published["numerator"]
            assert shown["denominator"] == published["denominator"]
            if published["status"] == "ok" and published["value"]:
                assert shown["value"].startswith(_shown(published))
        # The ranked categories and agencies: published counts only, largest first.
        for dimension in ("category", "agency"):
            ranked = page.eval_on_selector_all(
                f"[data-testid=top-{dimension}] tbody tr",
                "trs => trs.map(tr => [tr.dataset.code, tr.dataset.status, tr.dataset.count])",
            )
            units = {
                r["code"]: r
                for r in rows
                if (r["period"], r["dimension"], r["indicator"]) == (year, dimension, "received")
            }
            assert all(status == "ok" for _, status, _ in ranked)
            assert [count for _, _, count in ranked] == [units[c]["value"] for c, _, _ in ranked]
            counts = [int(count) for _, _, count in ranked]
            assert counts == sorted(counts, reverse=True) and 0 not in counts
            left_out = page.get_attribute(f"[data-testid=left-out-{dimension}]", "data-left-out")
            assert int(left_out or -1) == sum(u["status"] != "ok" for u in units.values())
    # The demo's 300 cases leave a year-end backlog under 20: at least that change is withheld.
    assert withheld


@pytest.mark.browser
def test_the_snapshots_year_is_marked_incomplete(page, site: BuiltSite, server_url: str) -> None:  # type: ignore[no-untyped-def]
    rows = _published(site)
    years = _years(rows)
    open_years = {r["period"] for r in rows if len(r["period"]) == 4 and r["complete"] == "false"}
    assert len(open_years) == 1
    for prefix, word in (("", "不完整"), ("/en", "incomplete")):
        for year in years:
            page.goto(f"{server_url}{prefix}/statistics/{year}/")
            report = page.locator("[data-testid=annual-report]")
            if year in open_years:
                assert report.get_attribute("data-complete") == "false"
                notice = page.locator("[data-testid=incomplete]")
                assert notice.is_visible() and word in notice.inner_text()
                assert word in page.locator("h1").inner_text()
            else:
                assert report.get_attribute("data-complete") == "true"
                assert page.locator("[data-testid=incomplete]").count() == 0
        page.goto(f"{server_url}{prefix}/statistics/")
        for year in open_years:
            item = page.locator(f"[data-testid=annual-years] li[data-year='{year}']")
            assert item.get_attribute("data-complete") == "false" and word in item.inner_text()


@pytest.mark.browser
def test_every_figure_links_to_its_indicator_and_data(
    page, site: BuiltSite, server_url: str
) -> None:  # type: ignore[no-untyped-def]
    year = _years(_published(site))[-2]
    for prefix in ("", "/en"):
        page.goto(f"{server_url}{prefix}/statistics/{year}/")
        links = page.eval_on_selector_all(
            "[data-testid^=figures-] tbody tr",
            """trs => trs.map(tr => [tr.dataset.indicator,
                 tr.querySelector('[data-testid=indicator-link]').getAttribute('href'),
                 tr.querySelector('[data-testid=data-link]').getAttribute('href')])""",
        )
        assert len(links) == 8
        for code, indicator, data in links:
            assert indicator == f"{prefix}/statistics/{code}/"
            assert data == f"/data/indicators/{code}.csv"
            for href in (indicator, data):
                assert _file(site.output, href).is_file(), href
        article = page.get_attribute("[data-testid=article-41]", "href") or ""
        assert article.endswith("/regulations/xinfang-gongzuo-tiaoli-2022/#art-41")
        regulation = _file(site.output, article.split("#")[0]).read_text("utf-8")
        assert 'id="art-41"' in regulation
        assert year in page.inner_text("[data-testid=citation]")
        assert not [u for u in page.requests if not u.startswith(server_url)]


def _file(output: Path, href: str) -> Path:
    path = output / href.lstrip("/")
    return path / "index.html" if href.endswith("/") else path


@pytest.mark.browser
def test_it_prints_on_a4_without_the_navigation(page, site: BuiltSite, server_url: str) -> None:  # type: ignore[no-untyped-def]
    year = _years(_published(site))[-1]
    page.goto(f"{server_url}/en/statistics/{year}/")
    navigation = ("body > header", "header nav", "[data-testid=annual-years]")
    assert all(page.locator(shown).first.is_visible() for shown in navigation)
    page.emulate_media(media="print")
    for hidden in navigation:
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("[data-testid=annual-report]").is_visible()
    sources = page.inner_text("[data-testid=sources]")
    assert re.search(r"https?://\S+/en/statistics/received/", sources)
    assert re.search(r"https?://\S+/data/indicators/received\.csv", sources)
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    # A4 is 210 × 297 mm: 595.3 × 841.9 points, every page of it.
    assert boxes and all(
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
    ), boxes
    assert not [u for u in page.requests if not u.startswith(server_url)]
