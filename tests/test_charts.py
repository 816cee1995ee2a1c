"""The static SVG charts: accessible, CSP-safe, text as text, byte-deterministic."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from sunshine.statistics.charts import bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"

MONTHS = [("2024-01", 0.52), ("2024-02", None), ("2024-03", 0.61), ("2024-04", 0.705)]
BAND = [(0.45, 0.59), None, (0.55, 0.67), (0.64, 0.77)]
BARS = [
    ("北京市", 1234.0, "ok"),
    ("上海市", 3.0, "suppressed"),
    ("天津市", None, "withheld"),
    ("重庆市", 0.0, "ok"),
]


def _line(**kw: object) -> str:
    args: dict[str, object] = {
        "title": "按期答复率",
        "desc": "按月统计的按期答复率。",
        "unit": "ratio",
        "lang": "zh",
        "band": BAND,
    }
    args.update(kw)
    points = args.pop("points", MONTHS)
    return line_chart(points, **args)  # type: ignore[arg-type]


def _bar(**kw: object) -> str:
    args: dict[str, object] = {
        "title": "各地区受理件数",
        "desc": "2024年各地区受理件数。",
        "unit": "cases",
        "lang": "zh",
    }
    args.update(kw)
    bars = args.pop("bars", BARS)
    return bar_chart(bars, **args)  # type: ignore[arg-type]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


@pytest.fixture(params=["line", "bar"])
def svg(request: pytest.FixtureRequest) -> str:
    return _line() if request.param == "line" else _bar()


def test_well_formed_and_accessible(svg: str) -> None:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox") or "")
    first, second = list(root)[:2]
    assert first.tag == f"{NS}title" and second.tag == f"{NS}desc"
    assert (root.get("aria-labelledby") or "").split() == [first.get("id"), second.get("id")]
    assert first.text and second.text
    assert not svg.startswith("<?xml")  # inlined into HTML as is


def test_csp_safe(svg: str) -> None:
    root = ET.fromstring(svg)
    for el in root.iter():
        assert el.tag not in (f"{NS}style", f"{NS}script", f"{NS}image", f"{NS}use")
        assert "style" not in el.attrib
        assert not any(k.startswith("on") for k in el.attrib), el.attrib
        assert not any("href" in k for k in el.attrib), el.attrib
    assert not re.search(r"\sstyle=", svg)  # (presentation attributes like font-style are fine)
    assert "<style" not in svg and "<script" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "url(" not in svg
    assert "font-family" in svg and "Noto Sans CJK SC" in svg


def test_chinese_labels_are_text_nodes() -> None:
    line = ET.fromstring(_line())
    assert line.find(f"{NS}title").text == "按期答复率"  # type: ignore[union-attr]
    assert "2024-03" in _texts(line)
    bar = ET.fromstring(_bar())
    assert {"北京市", "上海市", "天津市", "重庆市"} <= set(_texts(bar))
    assert "<text" in _bar() and "北京市</text>" in _bar()
    assert "<font" not in _bar() and "glyph" not in _bar()


def test_deterministic(svg: str) -> None:
    assert _line() == _line()
    assert _bar() == _bar()
    assert svg in (_line(), _bar())


def test_different_data_differ() -> None:
    changed = [*MONTHS[:-1], ("2024-04", 0.9)]
    assert _line() != _line(points=changed)
    assert _bar() != _bar(bars=[("北京市", 1300.0, "ok"), *BARS[1:]])
    # Distinct charts get distinct ids (several charts on one page).
    id_a = ET.fromstring(_line()).get("aria-labelledby")
    id_b = ET.fromstring(_line(points=changed)).get("aria-labelledby")
    assert id_a != id_b


def test_escaping() -> None:
    svg = _bar(title="A & B <c>", desc="\"q\" & 'a'", bars=[("R&D <x>", 7.0, "ok")], lang="en")
    root = ET.fromstring(svg)
    assert root.find(f"{NS}title").text == "A & B <c>"  # type: ignore[union-attr]
    assert "R&D <x>" in _texts(root)


def test_line_gaps_for_none() -> None:
    root = ET.fromstring(_line(band=None))
    desc = root.find(f"{NS}desc").text or ""  # type: ignore[union-attr]
    assert "不计算" in desc and "2024-02" in desc
    # Three values → three points; the line breaks at the gap: one segment (03–04),
    # the lone January point has no segment.
    assert len(list(root.iter(f"{NS}circle"))) == 3
    paths = [p.get("d") or "" for p in root.iter(f"{NS}path")]
    assert len(paths) == 1 and paths[0].count("M") == 1 and paths[0].count("L") == 1
    # Each point's tooltip names its month; the gap has none.
    tips = [t.text or "" for c in root.iter(f"{NS}circle") for t in c]
    assert [t.split(":")[0] for t in tips] == ["2024-01", "2024-03", "2024-04"]

    en = ET.fromstring(_line(lang="en", band=None, desc="Monthly."))
    assert (en.find(f"{NS}desc").text or "").endswith("Withheld: 2024-02.")  # type: ignore[union-attr]

    full = ET.fromstring(
        _line(points=[("2024-01", 1.0), ("2024-02", 2.0)], unit="cases", band=None)
    )
    assert "不计算" not in (full.find(f"{NS}desc").text or "")  # type: ignore[union-attr]


def test_line_band() -> None:
    root = ET.fromstring(_line())
    band = [g for g in root.iter(f"{NS}g") if g.get("class") == "band"]
    assert len(band) == 1
    # The January interval stands alone (February has none), March–April is a polygon.
    assert len(list(band[0].iter(f"{NS}polygon"))) == 1
    assert len(list(band[0].iter(f"{NS}rect"))) == 1
    assert all(el.get("fill") == "#c9daf0" for el in band[0])
    assert "95%" in (root.find(f"{NS}desc").text or "")  # type: ignore[union-attr]
    no_band = ET.fromstring(_line(band=None))
    assert not [g for g in no_band.iter(f"{NS}g") if g.get("class") == "band"]
    with pytest.raises(ValueError):
        _line(band=BAND[:2])


def test_percent_ticks_for_ratio() -> None:
    texts = _texts(ET.fromstring(_line()))
    ticks = [t for t in texts if t.endswith("%")]
    assert ticks[0] == "0%" and len(ticks) >= 3
    assert all(re.fullmatch(r"\d+(\.\d+)?%", t) for t in ticks)
    days = _texts(ET.fromstring(_line(unit="days", band=None, points=[("2024-01", 12.5)])))
    assert not any(t.endswith("%") for t in days)


def test_suppressed_bars_show_label_not_number() -> None:
    svg = _bar(bars=[("北京市", 1234.0, "ok"), ("上海市", 3.0, "suppressed")])
    root = ET.fromstring(svg)
    texts = _texts(root)
    assert "不公布" in texts
    assert "1,234" in texts
    # The hidden value appears nowhere: not as a label, not as a bar.
    assert not any(re.fullmatch(r"3(\.0+)?", t) for t in texts)
    assert len(list(root.iter(f"{NS}rect"))) == 1
    # Suppressed with a value and without yield the same bytes: the value cannot leak.
    assert svg == _bar(bars=[("北京市", 1234.0, "ok"), ("上海市", 4.0, "suppressed")])

    en = _texts(ET.fromstring(_bar(lang="en")))
    assert "suppressed" in en and "withheld" in en


def test_bar_units() -> None:
    texts = _texts(ET.fromstring(_bar(bars=[("A", 0.425, "ok")], unit="ratio", lang="en")))
    assert "42.5%" in texts
    texts = _texts(ET.fromstring(_bar(bars=[("A", 12.25, "ok")], unit="days", lang="en")))
    assert "12.2" in texts or "12.3" in texts


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        _line(unit="percent")
    with pytest.raises(ValueError):
        _bar(lang="fr")
    with pytest.raises(ValueError):
        _bar(bars=[("A", 1.0, "hidden")])
    with pytest.raises(ValueError):
        _line(points=[("2024-01", float("nan"))], band=None)


def test_edge_cases_render() -> None:
    for svg in (
        _line(points=[], band=None),
        _line(points=[("2024-01", None)], band=None),
        _line(points=[("2024-01", 0.0), ("2024-02", 0.0)], band=None),
        _bar(bars=[]),
        _bar(bars=[("A", None, "withheld")]),
        _bar(bars=[("A", -5.0, "ok"), ("B", 5.0, "ok")], unit="days"),
    ):
        ET.fromstring(svg)


@pytest.mark.parametrize("count", [1, 2, 7, 8, 9, 12, 13, 18, 24, 60])
def test_month_labels_first_last_and_spaced(count: int) -> None:
    points = [(f"{2020 + i // 12}-{i % 12 + 1:02d}", float(i)) for i in range(count)]
    root = ET.fromstring(line_chart(points, title="t", desc="d", unit="cases", lang="en"))
    ticks = next(g for g in root.iter(f"{NS}g") if g.get("class") == "x-ticks")
    labels = [t.text for t in ticks]
    xs = [float(t.get("x") or 0) for t in ticks]
    assert labels[0] == points[0][0] and labels[-1] == points[-1][0]
    assert len(labels) <= 8
    assert all(b - a >= 55 for a, b in itertools.pairwise(xs))
