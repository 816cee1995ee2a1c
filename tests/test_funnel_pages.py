"""Funnel plots on the indicator pages, checked against a recomputation from indicators.csv.

The session's demo store (300 cases) gives no agency or region 20 cases in a year,
so every funnel there is empty; these tests build from 2,000 demo cases, where
regions have published rates and some lie outside the limits.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from scipy.stats import binom

from sunshine.statistics.indicators import INDICATORS
from tests.conftest import BuiltSite, base_url, build_into, running
from tests.test_accessibility import audited, axe_source  # noqa: F401  (fixtures)

PROPORTIONS = [
    code
    for code, i in INDICATORS.items()
    if i.kind == "rate" and code not in ("review_rate", "rereview_rate")
]


@pytest.fixture(scope="module")
def larger_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    import requests

    from demo_registry import DemoRegistry
    from demo_registry import make_server as make_registry
    from fetch.client import RegistryClient
    from fetch.sync import fetch_all
    from store import Store

    base = tmp_path_factory.mktemp("larger")
    var = base / "fetched"
    store = Store.open(var)
    with running(make_registry(DemoRegistry(cases=2000, seed=5), "127.0.0.1", 0)) as registry:
        client = RegistryClient(base_url(registry) + "/api/v1", "demo-token", requests.Session())
        fetch_all(client, store)
    store.close()
    return build_into(base, var)


def _published(output: Path) -> list[dict[str, str]]:
    with (output / "data/indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _expected_positions(rows: list[dict[str, str]], year: str, code: str, dimension: str) -> dict:
    """Recomputed by the mid-p rule straight from scipy's binomial, not the site's module."""
    overall = next(
        r for r in rows if (r["period"], r["dimension"], r["indicator"]) == (year, "overall", code)
    )
    p0 = int(overall["numerator"]) / int(overall["denominator"])
    expected = {}
    for r in rows:
        if (r["period"], r["dimension"], r["indicator"], r["status"]) != (
            year,
            dimension,
            code,
            "ok",
        ):
            continue
        x, n = int(r["numerator"]), int(r["denominator"])
        half = binom.pmf(x, n, p0) / 2
        upper, lower = binom.sf(x, n, p0) + half, binom.cdf(x - 1, n, p0) + half
        if upper < 0.001:
            expected[r["code"]] = "above-99.8"
        elif upper < 0.025:
            expected[r["code"]] = "above-95"
        elif lower < 0.001:
            expected[r["code"]] = "below-99.8"
        elif lower < 0.025:
            expected[r["code"]] = "below-95"
        else:
            expected[r["code"]] = "within"
    return expected


def _figure(html: str, dimension: str, year: str) -> str:
    marker = f'data-testid="funnel-{dimension}" data-period="{year}"'
    assert marker in html, (dimension, year)
    return html.split(marker, 1)[1].split("</figure>", 1)[0]


def test_every_rate_has_funnels_naming_the_units_outside_the_limits(
    larger_site: BuiltSite,
) -> None:
    rows = _published(larger_site.output)
    year = max(r["period"] for r in rows if len(r["period"]) == 4)
    names = {}
    with (larger_site.output / "data/codes-regions.csv").open(encoding="utf-8-sig") as f:
        names = {r["code"]: r["name_zh"] for r in csv.DictReader(f)}
    outliers_seen = 0
    for code in PROPORTIONS:
        html = (larger_site.output / f"statistics/{code}/index.html").read_text("utf-8")
        for dimension in ("agency", "region"):
            figure = _figure(html, dimension, year)
            expected = _expected_positions(rows, year, code, dimension)
            # Every published unit is in the table, with its position; nothing else is.
            table = dict(re.findall(r'<tr data-code="([^"]+)" data-position="([^"]+)">', figure))
            assert table == expected, (code, dimension)
            named = re.findall(
                r'<li data-code="([^"]+)" data-position="([^"]+)">([^<]*)</li>', figure
            )
            assert {c: p for c, p, _ in named} == {
                c: p for c, p in expected.items() if p != "within"
            }, (code, dimension)
            for unit, _position, text in named:
                outliers_seen += 1
                row = next(
                    r
                    for r in rows
                    if (r["period"], r["dimension"], r["code"], r["indicator"])
                    == (year, dimension, unit, code)
                )
                # Named, with its figures: "上城区：38件中38件，100.0%".
                if dimension == "region":
                    assert text.startswith(names[unit] + "：")
                assert f"{int(row['denominator']):,}件中{int(row['numerator']):,}件" in text
                assert f"{int(row['numerator']) / int(row['denominator']) * 100:.1f}%" in text
            if expected:
                svg = figure.split("<svg", 1)[1].split("</svg>", 1)[0]
                assert svg.count("<circle") == len(expected)  # a dot per published unit
                assert 'role="img"' in svg and "style=" not in svg
            else:
                assert 'data-testid="funnel-empty"' in figure
    assert outliers_seen  # the demo data has some: the naming was exercised


def test_ratios_of_events_have_no_funnel_and_say_why(larger_site: BuiltSite) -> None:
    for code in ("review_rate", "rereview_rate"):
        for prefix, words in (("", "不作漏斗图"), ("en/", "No funnel plot")):
            html = (larger_site.output / f"{prefix}statistics/{code}/index.html").read_text("utf-8")
            assert 'data-testid="funnel-' not in html
            assert re.search(rf'data-testid="no-funnel">[^<]*{words}', html)


def test_the_latest_complete_year_is_folded_under_the_current_one(larger_site: BuiltSite) -> None:
    rows = _published(larger_site.output)
    years = sorted({r["period"] for r in rows if len(r["period"]) == 4})
    complete = sorted(
        {r["period"] for r in rows if len(r["period"]) == 4 and r["complete"] == "true"}
    )
    html = (larger_site.output / "en/statistics/timely_acceptance_rate/index.html").read_text(
        "utf-8"
    )
    newest = _figure(html, "region", years[-1])
    assert "the year is not over" in newest
    folded = html.split('<details class="funnels-earlier">', 1)[1].split("</details>", 1)[0]
    assert f"The whole year {complete[-1]}" in folded
    _figure(folded, "region", complete[-1])


@pytest.mark.browser
def test_funnel_pages_pass_the_accessibility_audit(larger_site: BuiltSite, audited) -> None:  # type: ignore[no-untyped-def]
    from operations.serve import make_server

    with running(make_server(larger_site.output, "127.0.0.1", 0)) as server:
        for path in ("/statistics/timely_acceptance_rate/", "/en/statistics/on_time_reply_rate/"):
            assert audited(base_url(server) + path, "[data-testid=funnel-region] svg") == []
