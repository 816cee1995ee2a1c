"""The funnel plot as a static, accessible SVG (see :mod:`sunshine.statistics.funnel`).

x is the denominator (the cases a rate rests on), y the rate; a horizontal
line marks the overall rate, two pairs of curves its 95% and 99.8% limits,
and a dot stands for each agency or region with published figures. Each dot
carries a ``<title>`` with the unit's name and figures ("甲局：45/60，75.0%"),
and the ``<desc>`` names the units outside the limits, so a screen reader
gets what the eye gets.

Built from the same parts as :mod:`sunshine.statistics.charts` (escaped
elements, the site's palette and fonts, ids from a hash of the inputs, the
``role="img"``/``aria-labelledby`` document), so it keeps the properties that
module lists: text as text, everything escaped, byte-stable, no style
attribute.
"""

from __future__ import annotations

from markupsafe import Markup

from sunshine.statistics.charts import (
    GRID,
    LINE,
    MUTED,
    WIDTH,
    _attrs,
    _chart_id,
    _document,
    _el,
    _fmt_tick,
    _group,
    _n,
    _nice_ticks,
)
from sunshine.statistics.funnel import Funnel, Unit

__all__ = ["funnel_chart", "unit_figures"]

ALARM = "#b3261e"  # dark red: 7:1 on white, outside the limits
LIMIT_95 = "#6b7785"
TARGET = "#1b1f24"

LABELS: dict[str, dict[str, str]] = {
    "x": {"zh": "件数（分母）", "en": "Cases (denominator)"},
    "target": {"zh": "总体 {rate}", "en": "Overall {rate}"},
    "limits95": {"zh": "95%控制限", "en": "95% limits"},
    "limits998": {"zh": "99.8%控制限", "en": "99.8% limits"},
    "summary": {
        "zh": "{count}个单位，总体比率{rate}（{num}/{den}）。",
        "en": "{count} units; the overall rate is {rate} ({num} of {den}).",
    },
    "outside998": {"zh": "超出99.8%控制限：", "en": "Outside the 99.8% limits: "},
    "outside95": {"zh": "超出95%控制限：", "en": "Outside the 95% limits: "},
    "none": {
        "zh": "所有单位均在95%控制限以内。",
        "en": "Every unit lies within the 95% limits.",
    },
    "sep": {"zh": "；", "en": "; "},
    "end": {"zh": "。", "en": "."},
}


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def unit_figures(unit: Unit, lang: str) -> str:
    """``45/60，75.0%`` / ``45 of 60, 75.0%``: a unit's figures as the page names them."""
    if lang == "zh":
        return f"{unit.numerator}/{unit.denominator}，{_pct(unit.rate)}"
    return f"{unit.numerator:,} of {unit.denominator:,}, {_pct(unit.rate)}"


def _named(units: list[Unit], lang: str) -> str:
    colon = "：" if lang == "zh" else ": "
    return LABELS["sep"][lang].join(f"{u.name}{colon}{unit_figures(u, lang)}" for u in units)


def _description(f: Funnel, desc: str, lang: str) -> str:
    parts = [desc] if desc else []
    parts.append(
        LABELS["summary"][lang].format(
            count=len(f.units),
            rate=_pct(f.target),
            num=f"{f.target_numerator:,}",
            den=f"{f.target_denominator:,}",
        )
    )
    far = [u for u in f.outliers if u.position.endswith("99.8")]
    near = [u for u in f.outliers if u.position.endswith("-95")]
    if far:
        parts.append(LABELS["outside998"][lang] + _named(far, lang) + LABELS["end"][lang])
    if near:
        parts.append(LABELS["outside95"][lang] + _named(near, lang) + LABELS["end"][lang])
    if not far and not near:
        parts.append(LABELS["none"][lang])
    return ("" if lang == "zh" else " ").join(parts)


def funnel_chart(f: Funnel, *, title: str, desc: str, lang: str) -> Markup:
    """The funnel of ``f``: limits around its target, a dot per unit, outliers in red."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    height = 340.0
    left, right, top, bottom = 64.0, 16.0, 16.0, 72.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    top_n = max((u.denominator for u in f.units), default=1)
    x_ticks = _nice_ticks(0.0, float(top_n), "cases")
    x1 = x_ticks[-1]
    # The curves start where the smallest unit sits (halved, for room): below it
    # they open to 0–100% and would flatten the part of the plot that matters.
    start = max(1, min((u.denominator for u in f.units), default=1) // 2)
    curve = [c for c in f.curve() if c.n >= start]
    rates = [u.rate for u in f.units] + [f.target]
    rates += [x for c in curve for x in (c.lower_998, c.upper_998)]
    y_ticks = _nice_ticks(min(rates), max(rates), "ratio")
    y0, y1 = y_ticks[0], y_ticks[-1]
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 0.1
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
    if y1 == y0:
        y1 = y0 + 0.1

    def sx(n: float) -> float:
        return left + n / x1 * plot_w

    def sy(rate: float) -> float:
        return top + plot_h - (rate - y0) / (y1 - y0) * plot_h

    body: list[Markup] = []
    grid = [
        _el("line", {"x1": left, "x2": left + plot_w, "y1": sy(t), "y2": sy(t), "stroke": GRID,
                     "stroke-width": "1"})
        for t in y_ticks
    ]  # fmt: skip
    body.append(_group("grid", grid))
    body.append(
        _group(
            "y-ticks",
            [
                _el("text", {"x": left - 8, "y": sy(t) + 4, "text-anchor": "end", "fill": MUTED},
                    _fmt_tick(t, y_step, "ratio"))
                for t in y_ticks
            ],
        )
    )  # fmt: skip
    base = top + plot_h
    body.append(
        _group(
            "x-ticks",
            [
                _el("text", {"x": sx(t), "y": base + 18, "text-anchor": "middle", "fill": MUTED},
                    _fmt_tick(t, x_step, "cases"))
                for t in x_ticks
            ],
        )
    )  # fmt: skip
    body.append(
        _el(
            "text",
            {"x": left + plot_w / 2, "y": base + 36, "text-anchor": "middle", "fill": MUTED},
            LABELS["x"][lang],
        )
    )
    body.append(_el("line", {"x1": left, "x2": left + plot_w, "y1": base, "y2": base,
                             "stroke": MUTED, "stroke-width": "1"}))  # fmt: skip

    def path(points: list[tuple[float, float]]) -> str:
        return " ".join(
            f"{'M' if k == 0 else 'L'}{_n(sx(n))} {_n(sy(min(max(r, y0), y1)))}"
            for k, (n, r) in enumerate(points)
        )

    def limit(side: str) -> list[tuple[float, float]]:
        return [(float(c.n), float(getattr(c, side))) for c in curve]

    limits: list[Markup] = []
    for side in ("lower_95", "upper_95"):
        limits.append(_el("path", {"d": path(limit(side)), "fill": "none", "stroke": LIMIT_95,
                                   "stroke-width": "1.5", "class": "limit-95"}))  # fmt: skip
    for side in ("lower_998", "upper_998"):
        limits.append(_el("path", {"d": path(limit(side)), "fill": "none", "stroke": LIMIT_95,
                                   "stroke-width": "1.5", "stroke-dasharray": "5 3",
                                   "class": "limit-998"}))  # fmt: skip
    body.append(_group("limits", limits))
    body.append(
        _el("line", {"x1": sx(curve[0].n if curve else 0), "x2": left + plot_w, "y1": sy(f.target),
                     "y2": sy(f.target), "stroke": TARGET, "stroke-width": "1",
                     "stroke-dasharray": "1 3", "class": "target"})
    )  # fmt: skip

    dots = []
    for u in f.units:
        tip = f"{u.name}{'：' if lang == 'zh' else ': '}{unit_figures(u, lang)}"
        attrs: dict[str, str | float] = {"cx": sx(u.denominator), "cy": sy(u.rate)}
        if u.outside:  # filled red and larger: not told by colour alone
            attrs.update({"r": 4.5, "fill": ALARM, "data-position": u.position})
        else:
            attrs.update({"r": 3.5, "fill": "#fff", "stroke": LINE, "stroke-width": "1.5",
                          "data-position": u.position})  # fmt: skip
        dots.append(Markup("<circle{}>{}</circle>").format(_attrs(attrs), _el("title", {}, tip)))
    body.append(_group("units", dots))
    body.append(_legend(f, lang, left, base + 58))

    cid = _chart_id("funnel", f, title, desc, lang)
    return _document(cid, height, title, _description(f, desc, lang), lang, body)


def _legend(f: Funnel, lang: str, x: float, y: float) -> Markup:
    """Line samples with their meaning under the axis: the dashes say which curve is which."""
    items = [
        ({"stroke": LIMIT_95, "stroke-width": "1.5"}, LABELS["limits95"][lang]),
        ({"stroke": LIMIT_95, "stroke-width": "1.5", "stroke-dasharray": "5 3"},
         LABELS["limits998"][lang]),
        ({"stroke": TARGET, "stroke-width": "1", "stroke-dasharray": "1 3"},
         LABELS["target"][lang].format(rate=_pct(f.target))),
    ]  # fmt: skip
    parts = []
    for i, (stroke, label) in enumerate(items):
        at = x + i * 180
        parts.append(_el("line", {"x1": at, "x2": at + 28, "y1": y - 4, "y2": y - 4, **stroke}))
        parts.append(_el("text", {"x": at + 34, "y": y}, label))
    return _group("legend", parts)
