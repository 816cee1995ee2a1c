"""Incomplete periods are marked as such, and no change rests on fewer than 20 cases."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from plugins.indicators.collect import Change, Withheld, cases, change, change_text
from sunshine.statistics.charts import line_chart
from sunshine.statistics.disclosure import Published
from sunshine.statistics.indicators import INDICATORS, is_complete
from sunshine.statistics.open_data import write_open_data
from tests.conftest import BuiltSite

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("as_of", "incomplete", "complete"),
    [
        # The 1st: the new month has begun, the one before is over.
        (date(2026, 12, 1), {"2026-12", "2026"}, {"2026-11", "2025", "2025-12"}),
        # Mid-month.
        (date(2026, 11, 15), {"2026-11", "2026"}, {"2026-10", "2025"}),
        # The last day: the day itself is not over, so neither is its month.
        (date(2026, 11, 30), {"2026-11", "2026"}, {"2026-10"}),
        # New Year's Eve and Day: the year turns with the month.
        (date(2026, 12, 31), {"2026-12", "2026"}, {"2026-11", "2025"}),
        (date(2027, 1, 1), {"2027-01", "2027"}, {"2026-12", "2026"}),
    ],
)
def test_the_snapshots_month_and_year_are_incomplete(
    as_of: date, incomplete: set[str], complete: set[str]
) -> None:
    assert not any(is_complete(p, as_of) for p in incomplete)
    assert all(is_complete(p, as_of) for p in complete)


def _row(period: str, indicator: str, value: float, num: int | None, den: int | None) -> Published:
    return Published(period, "overall", "all", indicator, value, num, den, "ok")


def _rows() -> list[Published]:
    out = []
    for period in ("2026-10", "2026-11", "2026"):
        out.append(_row(period, "received", 40.0, 40, None))
        out.append(_row(period, "online_share", 0.5, 20, 40))
    out.append(Published("2026-11", "region", "110000", "received", 40.0, 40, None, "ok"))
    return out


def test_the_complete_column_in_every_file(tmp_path: Path) -> None:
    write_open_data(
        _rows(),
        tmp_path,
        as_of="2026-11-15",
        licence="CC-BY-4.0",
        site_url="https://example.org",
        code_lists={},
        version="1",
    )

    def table(name: str) -> list[dict[str, str]]:
        with (tmp_path / name).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    expected = {"2026-10": "true", "2026-11": "false", "2026": "false"}
    for name in ("indicators.csv", "by-region.csv", "overall.csv", "indicators/received.csv"):
        rows = table(name)
        assert rows and list(rows[0])[-1] == "complete", name
        assert all(r["complete"] == expected[r["period"]] for r in rows), name
    received = json.loads((tmp_path / "indicators/received.json").read_text("utf-8"))
    assert {r["period"]: r["complete"] for r in received} == {
        p: v == "true" for p, v in expected.items()
    }
    overall = json.loads((tmp_path / "overall.json").read_text("utf-8"))
    assert {p["period"]: p["complete"] for p in overall["periods"]} == {
        p: v == "true" for p, v in expected.items()
    }
    package = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        if resource["name"] in ("indicators", "overall", "by-region"):
            field = resource["schema"]["fields"][-1]
            assert (field["name"], field["type"]) == ("complete", "boolean")


def test_the_incomplete_month_is_drawn_apart_from_the_line() -> None:
    points = [("2026-09", 0.5), ("2026-10", 0.6), ("2026-11", 0.2)]
    svg = ET.fromstring(
        line_chart(
            points,
            title="按期办结率",
            desc="各月。",
            unit="ratio",
            lang="en",
            band=[(0.4, 0.6), (0.5, 0.7), (0.1, 0.4)],
            incomplete=["2026-11"],
        )
    )
    groups = {g.get("class"): g for g in svg.iter(f"{NS}g")}
    (path,) = groups["line"].iter(f"{NS}path")
    assert len(re.findall(r"[ML]", path.get("d", ""))) == 2  # the two complete months only
    (hollow,) = groups["incomplete"].iter(f"{NS}circle")
    assert hollow.get("fill") == "#fff" and hollow.get("stroke-dasharray")
    assert "incomplete" in "".join(hollow.itertext())
    assert len(list(groups["points"].iter(f"{NS}circle"))) == 2
    xs = {float(c.get("cx", "0")) for c in groups["points"].iter(f"{NS}circle")}
    assert float(hollow.get("cx", "0")) not in xs
    band = groups["band"]
    assert len(list(band)) == 1  # no interval for the part month
    desc = svg.find(f"{NS}desc")
    text = desc.text if desc is not None else ""
    assert text and "Incomplete" in text and "2026-11" in text
    # Without incomplete months nothing is drawn apart.
    plain = ET.fromstring(line_chart(points, title="t", desc="d", unit="ratio", lang="zh"))
    assert "incomplete" not in {g.get("class") for g in plain.iter(f"{NS}g")}


@pytest.mark.parametrize(("now_n", "before_n"), [(5, 1), (19, 100), (100, 19), (3, 3)])
def test_a_change_on_fewer_than_20_cases_is_withheld_with_its_reason(
    now_n: int, before_n: int
) -> None:
    now = _row("2026-10", "rereview_rate", 0.4, 2, now_n)
    before = _row("2026-09", "rereview_rate", 1.0, 1, before_n)
    c = change(now, before)
    assert isinstance(c, Withheld) and c.direction == "withheld"
    assert c.cases == min(now_n, before_n)
    assert "fewer than 20" in change_text(c, "en")
    assert "少于20件" in change_text(c, "zh")


def test_a_change_on_enough_cases_is_shown() -> None:
    now = _row("2026-10", "rereview_rate", 0.4, 8, 20)
    before = _row("2026-09", "rereview_rate", 0.5, 10, 20)
    c = change(now, before)
    assert isinstance(c, Change) and c.direction == "down"
    assert change_text(c, "en") == "down 10.0 points"
    # Counts rest on themselves: 12 cases are too few for a percentage change.
    small = change(
        _row("2026-10", "received", 12, 12, None), _row("2026-09", "received", 30, 30, None)
    )
    assert isinstance(small, Withheld)
    assert cases(_row("2026-10", "mean_handling_days", 30.0, None, 25)) == 25


def test_the_headline_gives_n_and_withholds_changes_on_few_cases(site: BuiltSite) -> None:
    for prefix, reason in (("", "少于20件"), ("en/", "fewer than 20")):
        html = (site.output / f"{prefix}statistics/index.html").read_text("utf-8")
        rows = re.findall(r'<tr data-indicator="(\w+)">(.*?)</tr>', html, re.S)
        assert len(rows) == len(INDICATORS)
        # The demo store's 300 cases give every month fewer than 20 behind each
        # figure, so every change there is withheld (a shown change: the unit test above).
        withheld = 0
        for code, row in rows:
            if INDICATORS[code].kind == "rate" and "—" not in row.split("</td>", 1)[0]:
                assert re.search(r'<span class="n" data-testid="n">n = \d+</span>', row), code
            for cell in re.findall(r'data-change="(\w*)">([^<]*)</td>', row):
                if cell[0] == "withheld":
                    withheld += 1
                    assert reason in cell[1]
                else:
                    assert cell == ("", "—"), (code, cell)
        assert withheld, prefix


def test_pages_mark_the_incomplete_month_and_year(site: BuiltSite) -> None:
    page = (site.output / "en/statistics/received/index.html").read_text("utf-8")
    marks = dict(re.findall(r'<tr data-period="(\d{4}-\d{2})" data-complete="(\w+)">', page))
    assert marks["2026-11"] == "false" and marks["2026-10"] == "true"
    assert "2026-11 (incomplete)" in page
    assert 'data-complete="false">By region, 2026 (incomplete)' in page
    assert 'class="incomplete"' in page  # the chart's hollow point
    by_region = (site.output / "statistics/by/region/index.html").read_text("utf-8")
    assert '<p data-complete="false">2026年尚未结束' in by_region
