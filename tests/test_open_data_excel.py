"""Open data that Excel opens and that says how to cite it: BOM, citation, catalogue facts."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from demo_registry import DemoRegistry
from sunshine.statistics.catalogue import FileFacts, describe, period_span
from sunshine.statistics.citation import cite
from sunshine.statistics.disclosure import Published, Row, protect
from sunshine.statistics.indicators import INDICATORS, compute
from sunshine.statistics.open_data import write_open_data
from tests.test_open_data import code_lists  # noqa: F401 - the demo's code lists, a fixture

AS_OF = "2026-11-15"
SITE = "https://sunshine.example.org"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def published() -> list[Published]:
    items = DemoRegistry(cases=120, seed=7).items(0, 120)
    cases = [i for i in items if not i.get("deleted")]
    rows = compute(cases, date.fromisoformat(AS_OF))
    return protect([Row(*r) for r in rows], {c: i.kind for c, i in INDICATORS.items()})


def write(
    published: list[Published], folder: Path, code_lists: dict[str, list[dict[str, Any]]]
) -> list[Path]:
    return write_open_data(
        published,
        folder,
        as_of=AS_OF,
        licence="CC-BY-4.0",
        site_url=SITE,
        code_lists=code_lists,
        version=AS_OF,
        publisher="示例市信访局",
    )


def test_every_csv_starts_with_a_bom_and_the_package_still_validates(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    csvs = sorted(tmp_path.rglob("*.csv"))
    assert any(p.parent.name == "indicators" for p in csvs)  # the per-indicator downloads too
    for path in csvs:
        raw = path.read_bytes()
        assert raw[:3] == BOM, path.name
        assert raw[3:6] != BOM, path.name  # exactly one
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["encoding"] == "utf-8-sig", resource["name"]


def test_the_package_carries_a_citation_in_both_languages(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        citation = package["citation"][lang]
        assert citation["title"] == package["title"]
        assert citation["date"] == "2026-11-15"  # the data's time, not the build's
        assert citation["url"] == f"{SITE}/data/"
        assert citation["licence"] == package["licenses"][0]["title"]
        for part in ("title", "publisher", "date", "url", "licence"):
            assert citation[part] and citation[part] in citation["text"], (lang, part)


def test_citation_forms() -> None:
    parts = {
        "title": "收到信访量",
        "site": "阳光信访",
        "publisher": "示例市信访局",
        "as_of": "2026-11-15T08:00:00+08:00",
        "url": "https://x.example/statistics/received/",
        "licence": "CC BY 4.0",
    }
    zh = cite("zh_CN", **parts).text
    assert zh.startswith("阳光信访. 《收到信访量》[DS/OL]. 示例市信访局, 2026.")
    assert "访问日期：2026-11-15" in zh
    en = cite("en", **{**parts, "title": "Matters received"}).text
    assert en.startswith("示例市信访局. (2026-11-15). Matters received [Data set]. 阳光信访.")
    assert "Retrieved 2026-11-15, from https://x.example/statistics/received/" in en
    assert cite("en", **parts) == cite("en", **parts)


def test_catalogue_facts_agree_with_the_files(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    facts = describe(tmp_path)
    assert set(facts) == {p.name for p in tmp_path.iterdir() if p.is_file()}
    for name, fact in facts.items():
        path = tmp_path / name
        assert fact.size == path.stat().st_size
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
            assert fact.rows == len(rows)
            months = sorted(r["period"] for r in rows if len(r.get("period", "")) == 7)
            if months:
                assert fact.period == f"{months[0]} – {months[-1]}"
    assert facts["indicators.csv"].rows == len(published)
    assert facts["codes-regions.csv"].period == ""


@pytest.mark.parametrize(
    "text",
    [
        "period,code,name\n2024-03,1,a\n2025-01,2,b\n",
        "period,code,name\n2024-03,1,a\n2025-01,2,b",  # no line break at the end
        'period,code,name\n2024-03,1,"a, b"\n2025-01,2,"line\nbreak"\n',
        'code,name\n1,"a\n2024-01,b"\n2,c\n',  # no period column
        "period,code\n",
        "",
    ],
)
def test_catalogue_counts_rows_as_a_csv_reader_does(text: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    periods = [r["period"] for r in rows if "period" in r]
    assert describe(tmp_path)["x.csv"] == FileFacts(
        path.stat().st_size, len(rows), period_span(periods)
    )


def test_period_span() -> None:
    assert period_span(["2025", "2024-03", "2026-01", "2024"]) == "2024-03 – 2026-01"
    assert period_span(["2025", "2024"]) == "2024 – 2025"
    assert period_span(["2024-03"]) == "2024-03"
    assert period_span([]) == ""
