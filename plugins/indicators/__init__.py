"""Statistics pages and live figures.

``collect`` computes the indicators from the store and applies disclosure
control (once per build); :class:`~plugins.indicators.generator.StatisticsGenerator`
writes ``/statistics/``, a page per indicator and the methodology page in each
language; the live figures of staff Markdown (``[[fig:CODE]]``) are registered
before any content is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pelican import signals

from plugins.extension_points import LIVE_FIGURES
from sunshine.statistics.indicators import INDICATORS

from .collect import formatted, load, start

if TYPE_CHECKING:
    from .generator import StatisticsGenerator


def register() -> None:
    """Start computing; register live figures before content is read; add the generator."""
    signals.initialized.connect(_start)
    signals.get_generators.connect(_generators)


def _start(pelican: Any) -> None:
    # Listed before the tracker in PLUGINS (extension_points.ORDER), so this starts
    # first and the tracker's key derivation and sealing run while the figures
    # are computed.
    var_path = pelican.settings["SUNSHINE"].var_path
    start(var_path)
    for code in INDICATORS:

        def figure(lang: str, code: str = code) -> str:
            statistics = load(var_path)  # waits for the figures the first time
            month = statistics.latest_month
            row = statistics.get(month, code) if month else None
            period = month or "—"
            return (
                f"{formatted(row, lang)}（{period}）"
                if lang == "zh"
                else f"{formatted(row, lang)} ({period})"
            )

        LIVE_FIGURES[code] = figure


def _generators(pelican: Any) -> type[StatisticsGenerator]:
    # Imported here, after the statistics process has started: the pages' code
    # brings in scipy (for the funnel plots), about a second and a half that
    # the build's start would otherwise spend before that process is forked.
    from .generator import StatisticsGenerator

    return StatisticsGenerator
