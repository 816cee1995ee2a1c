"""Statistics pages and live figures.

``collect`` computes the indicators from the store and applies disclosure
control (once per build); :class:`~plugins.statistics.generator.StatisticsGenerator`
writes ``/statistics/``, a page per indicator and the methodology page in each
language; the live figures of staff Markdown (``[[fig:CODE]]``) are registered
before any content is read.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from sunshine.citations import FIGURES
from sunshine.indicators import INDICATORS

from .collect import formatted, load
from .generator import StatisticsGenerator


def register() -> None:
    """Register live figures before content is read; add the statistics generator."""
    signals.initialized.connect(_figures)
    signals.get_generators.connect(_generators)


def _figures(pelican: Any) -> None:
    statistics = load(pelican.settings["SUNSHINE"].var_path)
    month = statistics.latest_month
    for code in INDICATORS:

        def figure(lang: str, code: str = code) -> str:
            row = statistics.get(month, code) if month else None
            period = month or "—"
            return (
                f"{formatted(row, lang)}（{period}）"
                if lang == "zh"
                else f"{formatted(row, lang)} ({period})"
            )

        FIGURES[code] = figure


def _generators(pelican: Any) -> type[StatisticsGenerator]:
    return StatisticsGenerator
