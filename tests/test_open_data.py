"""The open-data files: indicators.csv, the Data Package, DCAT, the changelog."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from demo_registry import DemoRegistry
from demo_registry.codes import code_list
from sunshine.statistics.disclosure import Published, Row, protect
from sunshine.statistics.indicators import INDICATORS, case_facts, compute
from sunshine.statistics.microdata import build as build_microdata
from sunshine.statistics.microdata import case_row
from sunshine.statistics.open_data import format_number, write_open_data

AS_OF = "2026-11-15"
SITE = "https://sunshine.example.org"
HEADER = "period,dimension,code,indicator,value,numerator,denominator,status,complete"
KINDS = {code: ind.kind for code, ind in INDICATORS.items()}


@pytest.fixture(scope="module")
def published() -> list[Published]:
    items = DemoRegistry(cases=200, seed=4).items(0, 200)
    cases = [i for i in items if not i.get("deleted")]
    rows = compute(cases, date.fromisoformat(AS_OF))
    return protect([Row(*r) for r in rows], KINDS)


@pytest.fixture(scope="module")
def code_lists() -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for name in ("regions", "categories", "channels", "agencies"):
        found = code_list(name)
        assert found is not None
        lists[name] = found["items"]
    return lists


def write(
    published: list[Published],
    folder: Path,
    code_lists: dict[str, list[dict[str, Any]]],
    version: str = "2026.11.15",
    as_of: str = AS_OF,
) -> list[Path]:
    return write_open_data(
        published,
        folder,
        as_of=as_of,
        licence="CC-BY-4.0",
        site_url=SITE,
        code_lists=code_lists,
        version=version,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_indicators_csv_header_and_statuses(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    raw = (tmp_path / "indicators.csv").read_bytes()
    assert raw.split(b"\n", 1)[0].decode("utf-8-sig") == HEADER
    assert b"\r" not in raw
    rows = read_csv(tmp_path / "indicators.csv")
    assert len(rows) == len(published)
    assert {r["status"] for r in rows} <= {"ok", "suppressed", "withheld"}
    assert {r["status"] for r in rows} >= {"ok", "suppressed"}
    for r in rows:
        if r["status"] != "ok":
            assert r["value"] == r["numerator"] == r["denominator"] == ""
    keys = [(r["period"], r["dimension"], r["code"], r["indicator"]) for r in rows]
    assert len(set(keys)) == len(keys)


def test_datapackage_validates(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    paths = write(published, tmp_path, code_lists)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "sunshine-petition-statistics"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    names = {r["path"] for r in package["resources"]}
    expected = {"indicators.csv", "overall.csv", "by-region.csv", "by-category.csv",
                "by-channel.csv", "by-agency.csv", "codes-regions.csv", "codes-categories.csv",
                "codes-channels.csv", "codes-agencies.csv"}  # fmt: skip
    assert names == expected
    assert {p.name for p in paths} == expected | {"overall.json", "datapackage.json",
                                                  "dcat.json", "changelog.json"}  # fmt: skip
    indicators = next(r for r in package["resources"] if r["path"] == "indicators.csv")
    assert indicators["schema"]["primaryKey"] == ["period", "dimension", "code", "indicator"]
    dcat = json.loads((tmp_path / "dcat.json").read_text(encoding="utf-8"))
    assert dcat["@type"] == "dcat:Dataset"
    urls = {d["dcat:downloadURL"]["@id"] for d in dcat["dcat:distribution"]}
    assert f"{SITE}/data/indicators.csv" in urls


def test_overall_files_agree(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    wide = read_csv(tmp_path / "overall.csv")
    data = json.loads((tmp_path / "overall.json").read_text(encoding="utf-8"))
    assert [w["period"] for w in wide] == [p["period"] for p in data["periods"]]
    overall = {(p.period, p.indicator): p for p in published if p.dimension == "overall"}
    for w in wide:
        for code, ind in INDICATORS.items():
            assert w[code] == format_number(overall[(w["period"], code)].value, ind.kind)
    by_region = read_csv(tmp_path / "by-region.csv")
    assert by_region and {r["dimension"] for r in by_region} == {"region"}


def test_two_writes_are_byte_identical(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    first = write(published, a, code_lists)
    write(list(reversed(published)), b, code_lists)
    for path in first:
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    again = {p.name: p.read_bytes() for p in first}
    write(published, a, code_lists)  # the same version again, same folder
    assert {p.name: p.read_bytes() for p in first} == again


def test_changelog_accumulates(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists, version="1.0.0", as_of="2026-10-15")
    write(published, tmp_path, code_lists, version="1.0.0", as_of="2026-10-15")
    write(published, tmp_path, code_lists, version="1.1.0")
    write(published, tmp_path, code_lists, version="1.1.0")
    log = json.loads((tmp_path / "changelog.json").read_text(encoding="utf-8"))
    assert log["releases"] == [
        {"version": "1.0.0", "as_of": "2026-10-15", "rows": len(published)},
        {"version": "1.1.0", "as_of": AS_OF, "rows": len(published)},
    ]


def test_no_small_breakdown_count_in_any_file(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    write(published, tmp_path, code_lists)
    checked = 0
    for path in sorted(tmp_path.glob("*.csv")):
        if path.name.startswith("codes-") or path.name == "overall.csv":
            continue  # no counts / overall figures only
        for r in read_csv(path):
            if r["dimension"] == "overall":
                continue
            cells = [r["numerator"], r["denominator"]]
            if INDICATORS[r["indicator"]].kind == "count":
                cells.append(r["value"])
            for cell in cells:
                checked += 1
                assert cell == "" or not 1 <= int(cell) <= 4, (path.name, r)
    assert checked
    data = json.loads((tmp_path / "overall.json").read_text(encoding="utf-8"))
    assert all("dimension" not in p for p in data["periods"])  # overall only


def test_format_number() -> None:
    assert format_number(None) == ""
    assert format_number(3.0, "count") == "3"
    assert format_number(1 / 3) == "0.333333"
    assert format_number(0.5) == "0.5"
    assert format_number(1e-5) == "0.00001"
    assert format_number(123.456789, "mean") == "123.457"
    assert format_number(20.0, "median") == "20"
    # At the edges of the fast path: the same fixed notation, never an exponent.
    assert format_number(999_999.5) == "1000000"
    assert format_number(999_999.4) == "999999"
    assert format_number(0.0001) == "0.0001"
    assert format_number(0.000099999999) == "0.0001"
    assert format_number(-0.0) == "0"


def test_the_case_level_file_is_in_the_package_and_validates(
    published: list[Published], code_lists: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    items = DemoRegistry(cases=200, seed=4).items(0, 200)
    cases = [i for i in items if not i.get("deleted")]
    as_of = date.fromisoformat(AS_OF)
    kept = Counter(case_row(c, case_facts(c, as_of), as_of) for c in cases)
    data = build_microdata(kept, published, k=5, max_share=0.1)
    paths = write_open_data(
        published,
        tmp_path,
        as_of=AS_OF,
        licence="CC-BY-4.0",
        site_url=SITE,
        code_lists=code_lists,
        version="2026.11.15",
        microdata=data,
    )
    assert tmp_path / "cases.csv" in paths
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "cases.csv")
    assert "k = 5" in resource["description"]
    assert f"{data.anonymised.suppressed} of {len(cases)} cases" in resource["description"]
    assert len(read_csv(tmp_path / "cases.csv")) == len(cases) - data.anonymised.suppressed
    dcat = json.loads((tmp_path / "dcat.json").read_text(encoding="utf-8"))
    urls = {d["dcat:downloadURL"]["@id"] for d in dcat["dcat:distribution"]}
    assert f"{SITE}/data/cases.csv" in urls
