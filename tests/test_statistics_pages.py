"""Statistics pages from a fetched store: every indicator, figures equal to the computation."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

from sunshine.statistics.indicators import INDICATORS, compute_from_store
from tests.conftest import BuiltSite, build_into


def test_overview_lists_every_indicator_in_both_languages(site: BuiltSite) -> None:
    for prefix in ("", "en/"):
        html = (site.output / f"{prefix}statistics/index.html").read_text("utf-8")
        assert re.findall(r'<tr data-indicator="([a-z_]+)">', html) == list(INDICATORS)
        assert (site.output / f"{prefix}statistics/methodology/index.html").is_file()
        for code in INDICATORS:
            assert (site.output / f"{prefix}statistics/{code}/index.html").is_file()


def test_monthly_numbers_on_the_page_equal_the_computation(site: BuiltSite) -> None:
    with sqlite3.connect(site.var / "store.sqlite3") as db:
        rows = compute_from_store(db, date(2026, 11, 15))
    expected = {
        r.period: (r.numerator, r.denominator)
        for r in rows
        if r.indicator == "on_time_reply_rate" and r.dimension == "overall" and len(r.period) == 7
    }
    html = (site.output / "statistics/on_time_reply_rate/index.html").read_text("utf-8")
    shown = {
        period: (int(n), int(d))
        for period, n, d in re.findall(
            r'<tr data-period="(\d{4}-\d{2})"[^>]*>\s*<th scope="row">[^<]+</th><td>[^<]*</td>\s*'
            r"<td>(\d*)</td><td>(\d*)</td>",
            html,
        )
        if n and d
    }
    assert shown and all(shown[p] == expected[p] for p in shown)


def test_no_small_count_is_shown_below_the_overall_level(site: BuiltSite) -> None:
    counts = [code for code, i in INDICATORS.items() if i.kind == "count"]
    for code in counts:
        html = (site.output / f"en/statistics/{code}/index.html").read_text("utf-8")
        for status, value in re.findall(
            r'<tr data-code="[^"]+" data-status="(\w+)">\s*'
            r'<th scope="row">[^<]+</th>\s*<td>([^<]*)</td>',
            html,
        ):
            if status == "ok":
                assert int(value.replace(",", "")) == 0 or int(value.replace(",", "")) >= 5
            else:
                assert not re.search(r"\d", value)


def test_live_figures_in_staff_markdown(tmp_path: Path, fetched_var: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "content", content)
    (content / "pages" / "figures.zh.md").write_text(
        "Title: 数字\nSlug: figures\nLang: zh\n\n上月按期办结率为 [[fig:on_time_reply_rate]]。\n",
        encoding="utf-8",
    )
    site = build_into(tmp_path, fetched_var, content=content)
    html = (site.output / "figures/index.html").read_text("utf-8")
    assert re.search(
        r'<span class="live-figure" data-figure="on_time_reply_rate">\d+\.\d%（2026-10）</span>',
        html,
    )


def test_the_built_data_package_is_valid_and_matches_the_pages(site: BuiltSite) -> None:
    import csv

    from frictionless import validate

    folder = site.output / "data"
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (folder / "indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "period", "dimension", "code", "indicator", "value", "numerator", "denominator", "status",
        "complete",
    ]  # fmt: skip
    by_key = {(r["period"], r["dimension"], r["code"], r["indicator"]): r for r in rows}
    html = (site.output / "statistics/received/index.html").read_text("utf-8")
    for period, value in re.findall(
        r'<tr data-period="(\d{4}-\d{2})"[^>]*>\s*<th scope="row">[^<]+</th><td>([\d,]+)</td>', html
    ):
        assert by_key[(period, "overall", "all", "received")]["value"] == value.replace(",", "")
    for row in rows:
        if (
            row["dimension"] != "overall"
            and row["status"] == "ok"
            and row["indicator"] == "received"
        ):
            assert int(row["value"]) == 0 or int(row["value"]) >= 5
    catalogue = (site.output / "en/data/index.html").read_text("utf-8")
    assert 'href="/data/datapackage.json"' in catalogue


def test_indicator_pages_carry_accessible_deterministic_charts(
    site: BuiltSite, tmp_path: Path, fetched_var: Path
) -> None:
    html = (site.output / "statistics/on_time_reply_rate/index.html").read_text("utf-8")
    chart = html.split('data-testid="chart-monthly">', 1)[1].split("</figure>", 1)[0]
    assert chart.startswith("<svg") and 'role="img"' in chart and "<title" in chart
    assert "按期办结率" in chart  # text as text, in the page's language
    assert "style=" not in chart and "<script" not in chart
    again = build_into(tmp_path, fetched_var)
    assert (again.output / "statistics/on_time_reply_rate/index.html").read_text("utf-8") == html


def test_each_indicator_has_its_downloads_and_releases_have_a_feed(site: BuiltSite) -> None:
    import csv
    import xml.etree.ElementTree as ET

    folder = site.output / "data"
    with (folder / "indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        everything = [r for r in csv.DictReader(f) if r["indicator"] == "received"]
    with (folder / "indicators/received.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == everything
    page = (site.output / "statistics/received/index.html").read_text("utf-8")
    assert 'href="/data/indicators/received.csv"' in page
    feed = ET.parse(folder / "releases.atom.xml").getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1 and "2026-11-15" in entries[0].findtext(
        "{http://www.w3.org/2005/Atom}title", ""
    )


def test_releases_accumulate_across_builds_into_fresh_folders(
    tmp_path: Path, fetched_var: Path
) -> None:
    import json
    import sqlite3 as sql

    first = build_into(tmp_path / "one", fetched_var)
    with sql.connect(first.var / "store.sqlite3") as db:
        db.execute(
            "UPDATE sync_state SET value = '2026-11-16T12:00:00+08:00' WHERE key = 'data_as_of'"
        )
    shutil.rmtree(first.output)  # the next build writes a fresh output folder
    second = build_into(tmp_path / "one")
    releases = json.loads((second.output / "data/changelog.json").read_text("utf-8"))["releases"]
    assert [r["version"] for r in releases] == ["2026-11-15", "2026-11-16"]


def _csv_rows(path: Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return {
            (r["period"], r["dimension"], r["code"], r["indicator"]): r for r in csv.DictReader(f)
        }


def test_by_dimension_pages_show_small_cells_as_words_and_the_csv_figures(site: BuiltSite) -> None:
    from plugins.indicators.generator import DIMENSION_COLUMNS

    published = _csv_rows(site.output / "data/indicators.csv")
    year = max(p for p, *_ in published if len(p) == 4)
    hidden_seen = 0
    for dimension in ("region", "category", "channel", "agency"):
        for prefix in ("", "en/"):
            html = (site.output / f"{prefix}statistics/by/{dimension}/index.html").read_text(
                "utf-8"
            )
            table = html.split('data-testid="dimension-table"', 1)[1].split("</table>", 1)[0]
            rows = re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S)
            codes = {c for (p, d, c, _i) in published if p == year and d == dimension}
            assert {code for code, _ in rows} == codes
            for code, cells in rows:
                shown = re.findall(r'<td data-status="(\w+)">([^<]*)</td>', cells)
                assert len(shown) == len(DIMENSION_COLUMNS)
                for indicator, (status, text) in zip(DIMENSION_COLUMNS, shown, strict=True):
                    expected = published[(year, dimension, code, indicator)]
                    assert status == expected["status"], (dimension, code, indicator)
                    if status != "ok":
                        hidden_seen += 1
                        assert not re.search(r"\d", text)  # a word, never a number
                    elif INDICATORS[indicator].kind == "count":
                        assert text.replace(",", "") == expected["value"]
                    elif INDICATORS[indicator].kind == "rate":
                        assert text == f"{float(expected['value']) * 100:.1f}%"
    assert hidden_seen  # the demo data has small cells: the rule was exercised


def test_breakdown_tables_give_rates_with_their_interval(site: BuiltSite) -> None:
    # The demo's 300 cases are too few for an agency's (or a region's) rate to
    # reach 20 cases, so the intervals are checked where cells are larger.
    html = (site.output / "en/statistics/by/channel/index.html").read_text("utf-8")
    intervals = re.findall(
        r'<td data-status="ok">([\d.]+)%</td><td class="interval">([\d.]+)–([\d.]+)%</td>', html
    )
    assert intervals
    for value, low, high in intervals:
        assert float(low) <= float(value) <= float(high)
    agency = (site.output / "en/statistics/by/agency/index.html").read_text("utf-8")
    header = agency.split("</thead>", 1)[0]
    assert header.count("95% interval") == 3  # one per rate in the table
    # Names from the registry's code list, the code beside them.
    named = r'<th scope="row">[^<]*Bureau[^<]*</th><td class="code">\d{6}-\w+</td>'
    assert re.search(named, agency)


def test_headline_gives_the_trend_of_every_indicator(site: BuiltSite) -> None:
    published = _csv_rows(site.output / "data/indicators.csv")
    html = (site.output / "en/statistics/index.html").read_text("utf-8")
    month = re.search(r"Figures for (\d{4}-\d{2})", html).group(1)  # type: ignore[union-attr]
    previous = max(p for p, *_ in published if len(p) == 7 and p < month)
    checked = 0
    for code, change in re.findall(
        r'<tr data-indicator="(\w+)">.*?data-testid="change-month" data-change="(\w*)">',
        html,
        re.S,
    ):
        now, before = (published[(p, "overall", "all", code)] for p in (month, previous))
        if not now["value"] or not before["value"] or INDICATORS[code].kind != "rate":
            continue
        if min(int(now["denominator"]), int(before["denominator"])) < 20:
            assert change == "withheld", code
            checked += 1
            continue
        delta = (float(now["value"]) - float(before["value"])) * 100
        expected = "flat" if f"{abs(delta):.1f}" == "0.0" else ("up" if delta > 0 else "down")
        assert change == expected, code
        checked += 1
    assert checked >= 5
    assert html.count('class="sparkline"') == len(INDICATORS)


def _year_rows(site: BuiltSite) -> tuple[str, list[dict[str, str]]]:
    import csv

    with (site.output / "data/indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return max(r["period"] for r in rows if len(r["period"]) == 4), rows


def test_breakdowns_list_only_units_with_figures_and_count_the_hidden(site: BuiltSite) -> None:
    year, rows = _year_rows(site)
    hidden_total = 0
    for code in INDICATORS:
        for prefix in ("", "en/"):
            html = (site.output / f"{prefix}statistics/{code}/index.html").read_text("utf-8")
            for dimension in ("region", "category", "channel", "agency"):
                published = [
                    r
                    for r in rows
                    if (r["period"], r["dimension"], r["indicator"]) == (year, dimension, code)
                ]
                section = html.split(f'<section aria-labelledby="by-{dimension}"', 1)[1]
                section = section.split("</section>", 1)[0]
                listed = re.findall(r'<tr data-code="([^"]+)" data-status="(\w+)">', section)
                # No withheld or suppressed row: only the units with figures, all of them.
                assert {s for _, s in listed} <= {"ok"}, (code, dimension)
                assert [c for c, _ in listed] == sorted(
                    r["code"] for r in published if r["status"] == "ok"
                )
                hidden = sum(r["status"] != "ok" for r in published)
                count = re.search(
                    rf'data-testid="withheld-count-{dimension}" data-count="(\d+)">([^<]*)', section
                )
                assert count and int(count.group(1)) == hidden, (code, dimension)
                if hidden:
                    hidden_total += 1
                    # The count and the reason, in words: "393 of 393 not listed: withheld, …".
                    counted = INDICATORS[code].kind == "count"
                    why = {
                        ("", True): "不公布，因为数量在1至4之间",
                        ("", False): "不足20件",
                        ("en/", True): "suppressed, because the count is between 1 and 4",
                        ("en/", False): "fewer than 20 cases",
                    }[prefix, counted]
                    assert count.group(2).strip().startswith(str(hidden)) or (
                        f"中有{hidden}个" in count.group(2)
                    )
                    assert why in count.group(2), (code, dimension, prefix)
    assert hidden_total  # the demo has hidden cells: the count was exercised


def test_region_chart_is_labelled_with_names(site: BuiltSite) -> None:
    import csv
    import html as html_text

    year, rows = _year_rows(site)
    with (site.output / "data/codes-regions.csv").open(encoding="utf-8-sig") as f:
        names = {r["code"]: (r["name_zh"], r["name_en"]) for r in csv.DictReader(f)}
    codes = sorted(  # only the regions with figures are drawn
        r["code"]
        for r in rows
        if (r["period"], r["dimension"], r["indicator"], r["status"])
        == (year, "region", "received", "ok")
    )
    assert codes  # the demo's regions have counts to draw
    for prefix, lang in (("", 0), ("en/", 1)):
        html = (site.output / f"{prefix}statistics/received/index.html").read_text("utf-8")
        chart = html.split('data-testid="chart-regions">', 1)[1].split("</figure>", 1)[0]
        labels = re.findall(r'<g class="bar"><text [^>]*text-anchor="end">([^<]+)</text>', chart)
        assert [html_text.unescape(label) for label in labels] == [names[c][lang] for c in codes]
        assert not re.search(r">\d{6}<", chart)  # no region code as a label
