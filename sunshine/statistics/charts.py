"""Static SVG charts for the indicator pages: a monthly time series and a bar chart.

Both functions return a complete ``<svg>`` document as :class:`markupsafe.Markup`
(a ``str``), ready to be inlined into a page or written to a ``.svg`` file:

* :func:`line_chart`: monthly values as a line with points; ``None`` values are
  gaps (the line breaks) and are named as withheld in the description; for
  rates an optional 95 % interval band is drawn under the line.
* :func:`bar_chart`: horizontal bars by category/region; a ``suppressed`` or
  ``withheld`` cell is drawn as an explicit label, never as a number or a bar.

Properties the site relies on (and ``tests/test_charts.py`` checks):

* Text stays text: labels are ``<text>`` elements, so Chinese renders with
  the reader's fonts; no font is embedded, no glyph is turned into a path.
* Accessibility: the root has ``role="img"`` and ``aria-labelledby`` naming a
  ``<title>`` and a ``<desc>``, its first two children.
* Escaping: every label, title and attribute value (region codes from the
  registry among them) is escaped with :func:`markupsafe.escape` as the markup
  is put together, so the result is safe HTML and the templates, which
  autoescape, print it as it is.
* Determinism: identical data give identical bytes (no timestamps, no random
  ids; the ids are derived from a hash of the inputs, coordinates are printed
  with a fixed precision).
* Content-Security-Policy: no ``style`` attribute, no ``<style>``, no script,
  no external reference; only presentation attributes (``fill``, ``stroke``,
  ``font-size``...). The ``viewBox`` makes the chart scale (width 100 %).

Why not a plotting library: matplotlib (the obvious candidate, not a
dependency of the site) writes every text and path with a ``style="..."``
attribute (``_generate_css`` in ``backend_svg``), with no option to use
presentation attributes instead, so its output would be blocked by the CSP
unless post-processed; it also positions glyphs for its own font metrics and
needs ``svg.hashsalt``/metadata settings to be byte-stable. The charts here
are simple (axes, ticks, a path, rects, labels), so a small generator that
writes exactly the markup we need is less code and fewer risks than
rewriting a library's output.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Literal

from markupsafe import Markup, escape

__all__ = ["bar_chart", "line_chart", "sparkline"]

Unit = Literal["ratio", "days", "cases"]
Lang = Literal["zh", "en"]

# Site palette.
INK = "#1b1f24"
MUTED = "#4a5563"
LINE = "#0b5394"
BAND = "#c9daf0"
GRID = "#d0d6dd"
FONT_FAMILY = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
FONT_SIZE = 12

WIDTH = 640

LABELS: dict[str, dict[str, str]] = {
    "suppressed": {"zh": "不公布", "en": "suppressed"},
    "withheld": {"zh": "不计算", "en": "withheld"},
    "gaps": {"zh": "不计算的月份：", "en": "Withheld: "},
    "list_sep": {"zh": "、", "en": ", "},
    "end": {"zh": "。", "en": "."},
    "band": {"zh": "阴影为95%置信区间。", "en": "The shaded band is the 95% interval."},
    "incomplete": {
        "zh": "统计期未结束、数字尚不完整（空心点，不连入折线）：",
        "en": "Incomplete, the period not yet over (hollow point, not joined to the line): ",
    },
    "incomplete_tip": {"zh": "（不完整）", "en": " (incomplete)"},
}

_UNITS: tuple[str, ...] = ("ratio", "days", "cases")
_LANGS: tuple[str, ...] = ("zh", "en")
_STATUSES: tuple[str, ...] = ("ok", "suppressed", "withheld")


# --- formatting -----------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate with a fixed precision (two decimals, trailing zeros cut)."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _attrs(attrs: Mapping[str, str | float]) -> Markup:
    """`` key="value"`` for each attribute, every key and value escaped.

    Built with ``escape`` and one join rather than ``Markup.format`` per
    attribute: a funnel of 400 agencies has thousands of attributes, and
    ``format`` made drawing the funnels of a build take seconds."""
    return Markup(
        "".join(
            f' {escape(key)}="{escape(_n(value) if isinstance(value, float | int) else value)}"'
            for key, value in attrs.items()
        )
    )


def _el(tag: str, attrs: Mapping[str, str | float], text: str | None = None) -> Markup:
    """One element; ``text`` (any string) is escaped."""
    name = escape(tag)
    if text is None:
        return Markup(f"<{name}{_attrs(attrs)}/>")
    return Markup(f"<{name}{_attrs(attrs)}>{escape(text)}</{name}>")


def _group(cls: str, children: Sequence[Markup]) -> Markup:
    """``<g class="cls">`` around elements built by :func:`_el`."""
    return Markup('<g class="{}">{}</g>').format(cls, Markup("").join(children))


def _decimals(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly."""
    if step >= 1:
        return 0
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _fmt_tick(value: float, step: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value * 100:,.{_decimals(step * 100)}f}%"
    return f"{value:,.{_decimals(step)}f}"


def _fmt_value(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "days":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _nice_ticks(lo: float, hi: float, unit: str, target: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]`` (0 included by the callers)."""
    if hi <= lo:
        hi = lo + (0.1 if unit == "ratio" else 1.0)
    raw = (hi - lo) / (target - 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw - 1e-12)
    if unit == "cases":
        step = max(step, 1.0)
    start = math.floor(lo / step + 1e-9)
    stop = math.ceil(hi / step - 1e-9)
    return [round(i * step, 12) for i in range(start, stop + 1)]


# --- validation and document ------------------------------------------------


def _check(unit: str, lang: str) -> None:
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {_UNITS}, not {unit!r}")
    if lang not in _LANGS:
        raise ValueError(f"lang must be one of {_LANGS}, not {lang!r}")


def _finite(value: float | None, what: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{what}: not a finite number: {value!r}")
    return value


def _chart_id(kind: str, *parts: object) -> str:
    """A stable id prefix: the same inputs give the same id, other inputs another."""
    digest = hashlib.sha256(repr((kind, *parts)).encode("utf-8")).hexdigest()[:12]
    return f"chart-{digest}"


def _svg(
    cid: str,
    size: Mapping[str, str | float],
    extra: Mapping[str, str | float],
    title: str,
    desc: str,
    lang: str,
    body: list[Markup],
) -> Markup:
    """A complete, accessible ``<svg>``: role, title and description first, then ``body``."""
    root: dict[str, str | float] = {
        "xmlns": "http://www.w3.org/2000/svg",
        **size,
        "role": "img",
        "aria-labelledby": f"{cid}-title {cid}-desc",
        "lang": lang,
        **extra,
    }
    lines = [
        Markup("<svg{}>").format(_attrs(root)),
        _el("title", {"id": f"{cid}-title"}, title),
        _el("desc", {"id": f"{cid}-desc"}, desc),
        *body,
        Markup("</svg>"),
    ]
    return Markup("\n").join(lines) + Markup("\n")


def _document(
    cid: str, height: float, title: str, desc: str, lang: str, body: list[Markup]
) -> Markup:
    size: dict[str, str | float] = {"viewBox": f"0 0 {WIDTH} {_n(height)}", "width": "100%"}
    text = {"font-family": FONT_FAMILY, "font-size": str(FONT_SIZE), "fill": INK}
    return _svg(cid, size, text, title, desc, lang, body)


# --- line chart ---------------------------------------------------------------


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    desc: str,
    unit: str,
    lang: str,
    band: Sequence[tuple[float, float] | None] | None = None,
    incomplete: Collection[str] = (),
) -> Markup:
    """A time series: one ``(label, value)`` per month, in order.

    ``None`` values break the line and are listed as withheld at the end of
    the description. ``band`` (one ``(low, high)`` or ``None`` per point) is
    drawn as a shaded 95 % interval behind the line. Points whose label is in
    ``incomplete`` (the month still under way) are drawn apart: a hollow,
    dashed marker with no band, not joined to the line, and named as
    incomplete in the description, since a part month read as a final one
    looks like a fall at the end of every series.
    """
    _check(unit, lang)
    pts = [(str(label), _finite(value, str(label))) for label, value in points]
    if band is not None and len(band) != len(pts):
        raise ValueError(f"band has {len(band)} entries for {len(pts)} points")
    bands: list[tuple[float, float] | None] = []
    for (label, _), b in zip(pts, band or [None] * len(pts), strict=True):
        if b is None:
            bands.append(None)
        else:
            lo, hi = (_finite(b[0], label), _finite(b[1], label))
            assert lo is not None and hi is not None
            bands.append((min(lo, hi), max(lo, hi)))
    partial = [label in incomplete for label, _ in pts]
    bands = [None if part else b for b, part in zip(bands, partial, strict=True)]

    gaps = [label for label, value in pts if value is None]
    full_desc = desc
    if band is not None and any(b is not None for b in bands):
        full_desc = _join(full_desc, LABELS["band"][lang], lang)
    if gaps:
        gap_text = LABELS["gaps"][lang] + LABELS["list_sep"][lang].join(gaps) + LABELS["end"][lang]
        full_desc = _join(full_desc, gap_text, lang)
    if any(partial):
        shown_partial = [label for (label, _), part in zip(pts, partial, strict=True) if part]
        part_text = (
            LABELS["incomplete"][lang]
            + LABELS["list_sep"][lang].join(shown_partial)
            + LABELS["end"][lang]
        )
        full_desc = _join(full_desc, part_text, lang)

    height = 300.0
    left, right, top, bottom = 64.0, 16.0, 16.0, 48.0
    plot_w = WIDTH - left - right
    plot_h = height - top - bottom

    values = [v for _, v in pts if v is not None]
    values += [x for b in bands if b is not None for x in b]
    lo = min([0.0, *values])
    hi = max([0.0, *values])
    ticks = _nice_ticks(lo, hi, unit)
    y0, y1 = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    def sy(v: float) -> float:
        return top + plot_h - (v - y0) / (y1 - y0) * plot_h

    count = len(pts)

    inset = 28.0  # room for the first and last month labels, centred on their points

    def sx(i: int) -> float:
        if count <= 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * i / (count - 1)

    body: list[Markup] = []
    # Grid and y ticks.
    grid = [
        _el(
            "line",
            {
                "x1": left,
                "x2": left + plot_w,
                "y1": sy(t),
                "y2": sy(t),
                "stroke": GRID,
                "stroke-width": "1",
            },
        )
        for t in ticks
    ]
    labels = [
        _el(
            "text",
            {"x": left - 8, "y": sy(t) + 4, "text-anchor": "end", "fill": MUTED},
            _fmt_tick(t, step, unit),
        )
        for t in ticks
    ]
    body.append(_group("grid", grid))
    body.append(_group("y-ticks", labels))

    # At most 8 month labels ("2024-01" is ~50 px wide), always the first and the
    # last; the last takes the place of the regular label just before it.
    every = max(1, math.ceil(count / 8))
    shown = list(range(0, count, every))
    if len(shown) > 1:
        shown[-1] = count - 1
    xl = [
        _el(
            "text",
            {"x": sx(i), "y": top + plot_h + 20, "text-anchor": "middle", "fill": MUTED},
            label,
        )
        for i, (label, _) in enumerate(pts)
        if i in shown
    ]
    body.append(_group("x-ticks", xl))

    # 95 % band, one polygon per run of consecutive intervals.
    polys = []
    for run in _runs([b is not None for b in bands]):
        upper = [f"{_n(sx(i))},{_n(sy(bands[i][1]))}" for i in run]  # type: ignore[index]
        lower = [f"{_n(sx(i))},{_n(sy(bands[i][0]))}" for i in reversed(run)]  # type: ignore[index]
        if len(run) == 1:  # a single interval: a short vertical bar
            i = run[0]
            b = bands[i]
            assert b is not None
            polys.append(
                _el(
                    "rect",
                    {
                        "x": sx(i) - 3,
                        "y": sy(b[1]),
                        "width": 6.0,
                        "height": sy(b[0]) - sy(b[1]),
                        "fill": BAND,
                    },
                )
            )
        else:
            polys.append(_el("polygon", {"points": " ".join(upper + lower), "fill": BAND}))
    if polys:
        body.append(_group("band", polys))

    # Axis line at zero (or the bottom of the scale).
    base = sy(0.0) if y0 <= 0.0 <= y1 else top + plot_h
    body.append(
        _el(
            "line",
            {
                "x1": left,
                "x2": left + plot_w,
                "y1": base,
                "y2": base,
                "stroke": MUTED,
                "stroke-width": "1",
            },
        )
    )

    # The line, broken at gaps, and the points.
    paths = []
    joined = [v is not None and not part for (_, v), part in zip(pts, partial, strict=True)]
    for run in _runs(joined):
        if len(run) < 2:
            continue
        d = " ".join(
            f"{'M' if k == 0 else 'L'}{_n(sx(i))} {_n(sy(pts[i][1]))}"  # type: ignore[arg-type]
            for k, i in enumerate(run)
        )
        paths.append(
            _el(
                "path",
                {
                    "d": d,
                    "fill": "none",
                    "stroke": LINE,
                    "stroke-width": "2",
                    "stroke-linejoin": "round",
                },
            )
        )
    if paths:
        body.append(_group("line", paths))
    dots = []
    apart = []
    for i, (label, value) in enumerate(pts):
        if value is None:
            continue
        tip = f"{label}: {_fmt_value(value, unit)}"
        if partial[i]:
            tip += LABELS["incomplete_tip"][lang]
            hollow = _attrs(
                {
                    "cx": sx(i),
                    "cy": sy(value),
                    "r": 4.0,
                    "fill": "#fff",
                    "stroke": LINE,
                    "stroke-width": "2",
                    "stroke-dasharray": "2 2",
                    "data-complete": "false",
                }
            )
            apart.append(Markup("<circle{}>{}</circle>").format(hollow, _el("title", {}, tip)))
            continue
        circle = _attrs({"cx": sx(i), "cy": sy(value), "r": 3.0, "fill": LINE})
        dots.append(Markup("<circle{}>{}</circle>").format(circle, _el("title", {}, tip)))
    if dots:
        body.append(_group("points", dots))
    if apart:
        body.append(_group("incomplete", apart))

    # The incomplete marks join the id only when there are any, so a chart
    # without them keeps the id it had before they existed.
    extra = (partial,) if any(partial) else ()
    cid = _chart_id("line", pts, bands, title, desc, unit, lang, band is not None, *extra)
    return _document(cid, height, title, full_desc, lang, body)


def _join(first: str, second: str, lang: str) -> str:
    if not first:
        return second
    return first + ("" if lang == "zh" else " ") + second


def _runs(present: list[bool]) -> list[list[int]]:
    """Indices of the maximal runs of consecutive ``True``."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, ok in enumerate(present):
        if ok:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


# --- bar chart ------------------------------------------------------------------


def bar_chart(
    bars: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    desc: str,
    unit: str,
    lang: str,
) -> Markup:
    """Horizontal bars: one ``(label, value, status)`` per category, in order.

    ``status`` is ``ok``, ``suppressed`` or ``withheld`` (see
    :mod:`sunshine.statistics.disclosure`); a cell that is not ``ok``, or has no value,
    is drawn as that word and its value (if any) is never written out.
    """
    _check(unit, lang)
    rows: list[tuple[str, float | None, str]] = []
    for label, value, status in bars:
        if status not in _STATUSES:
            raise ValueError(f"{label}: status must be one of {_STATUSES}, not {status!r}")
        if status == "ok" and value is None:
            status = "withheld"
        # Hidden cells drop their value here, so it can reach no coordinate or id.
        shown = _finite(value, str(label)) if status == "ok" else None
        rows.append((str(label), shown, status))

    row_h, bar_h = 28.0, 18.0
    left, right, top, bottom = 168.0, 72.0, 8.0, 32.0
    plot_w = WIDTH - left - right
    height = top + row_h * max(1, len(rows)) + bottom

    values = [v for _, v, _ in rows if v is not None]
    ticks = _nice_ticks(min([0.0, *values]), max([0.0, *values]), unit, target=5)
    x0, x1 = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    def sx(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * plot_w

    plot_bottom = top + row_h * max(1, len(rows))
    body: list[Markup] = []
    grid = [
        _el(
            "line",
            {
                "x1": sx(t),
                "x2": sx(t),
                "y1": top,
                "y2": plot_bottom,
                "stroke": GRID,
                "stroke-width": "1",
            },
        )
        for t in ticks
    ]
    tick_labels = [
        _el(
            "text",
            {"x": sx(t), "y": plot_bottom + 18, "text-anchor": "middle", "fill": MUTED},
            _fmt_tick(t, step, unit),
        )
        for t in ticks
    ]
    body.append(_group("grid", grid))
    body.append(_group("x-ticks", tick_labels))

    zero = sx(0.0)
    out = []
    for i, (label, value, status) in enumerate(rows):
        y = top + row_h * i
        mid = y + row_h / 2 + 4
        parts = [_el("text", {"x": left - 8, "y": mid, "text-anchor": "end"}, label)]
        if value is None:
            parts.append(
                _el(
                    "text",
                    {
                        "x": zero + 6,
                        "y": mid,
                        "fill": MUTED,
                        "font-style": "italic",
                        "class": f"status-{status}",
                    },
                    LABELS[status][lang],
                )
            )
        else:
            x_a, x_b = sorted((zero, sx(value)))
            parts.append(
                _el(
                    "rect",
                    {
                        "x": x_a,
                        "y": y + (row_h - bar_h) / 2,
                        "width": x_b - x_a,
                        "height": bar_h,
                        "fill": LINE,
                    },
                )
            )
            if value >= 0:
                parts.append(_el("text", {"x": x_b + 4, "y": mid}, _fmt_value(value, unit)))
            else:
                parts.append(
                    _el(
                        "text",
                        {"x": x_a - 4, "y": mid, "text-anchor": "end"},
                        _fmt_value(value, unit),
                    )
                )
        out.append(_group("bar", parts))
    body.extend(out)
    body.append(
        _el(
            "line",
            {
                "x1": zero,
                "x2": zero,
                "y1": top,
                "y2": plot_bottom,
                "stroke": MUTED,
                "stroke-width": "1",
            },
        )
    )

    cid = _chart_id("bar", rows, title, desc, unit, lang)
    return _document(cid, height, title, desc, lang, body)


# --- sparkline ----------------------------------------------------------------

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 28, 3


def sparkline(values: Sequence[float | None], *, title: str, desc: str, lang: str) -> Markup:
    """A small trend line for a table cell: the last months, gaps where withheld.

    No axes: the exact figures stand in the table beside it and in ``desc``.
    The last value is marked with a dot, so the reader sees where "now" is.
    """
    if lang not in _LANGS:
        raise ValueError(f"lang must be one of {_LANGS}, not {lang!r}")
    pts = [_finite(v, f"point {i}") for i, v in enumerate(values)]
    present = [v for v in pts if v is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 1.0)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(1, len(pts) - 1)

    def sx(i: int) -> float:
        return SPARK_PAD + i * step

    def sy(v: float) -> float:
        return SPARK_HEIGHT - SPARK_PAD - (v - lo) / (hi - lo) * (SPARK_HEIGHT - 2 * SPARK_PAD)

    body = []
    for run in _runs([v is not None for v in pts]):
        d = " ".join(
            f"{'M' if k == 0 else 'L'}{_n(sx(i))} {_n(sy(pts[i]))}"  # type: ignore[arg-type]
            for k, i in enumerate(run)
        )
        if len(run) == 1:
            d += " l0.01 0"  # a one-point run still shows, as a round cap
        body.append(
            _el(
                "path",
                {"d": d, "fill": "none", "stroke": LINE, "stroke-width": "1.5",
                 "stroke-linecap": "round", "stroke-linejoin": "round"},
            )
        )  # fmt: skip
    if pts and pts[-1] is not None:
        body.append(_el("circle", {"cx": sx(len(pts) - 1), "cy": sy(pts[-1]), "r": 2.5,
                                   "fill": LINE}))  # fmt: skip
    cid = _chart_id("spark", pts, title, desc, lang)
    size: dict[str, str | float] = {
        "viewBox": f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}",
        "width": str(SPARK_WIDTH),
        "height": str(SPARK_HEIGHT),
    }
    return _svg(cid, size, {"class": "sparkline"}, title, desc, lang, body)
