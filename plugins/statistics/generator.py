"""Write the statistics pages of one (sub)site: overview, one page per indicator, methodology."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from sunshine.disclosure import MIN_COUNT, MIN_DENOMINATOR
from sunshine.indicators import DIMENSIONS, INDICATORS

from .collect import formatted, interval, load


class StatisticsGenerator(Generator):
    """Pelican generator for ``/statistics/``."""

    def generate_context(self) -> None:
        self.statistics = load(self.settings["SUNSHINE"].var_path)

    def generate_output(self, writer: Any) -> None:
        lang = "en" if self.settings["DEFAULT_LANG"] == "en" else "zh"
        common = {
            "statistics": self.statistics,
            "indicators": INDICATORS,
            "dimensions": [d for d in DIMENSIONS if d != "overall"],
            "fmt": lambda row: formatted(row, lang),
            "interval": interval,
            "lang_key": lang,
            "min_count": MIN_COUNT,
            "min_denominator": MIN_DENOMINATOR,
        }
        writer.write_file(
            "statistics/index.html", self.get_template("statistics"), self.context, **common
        )
        writer.write_file(
            "statistics/methodology/index.html",
            self.get_template("methodology"),
            self.context,
            **common,
        )
        for code, indicator in INDICATORS.items():
            writer.write_file(
                f"statistics/{code}/index.html",
                self.get_template("indicator"),
                self.context,
                indicator=indicator,
                **common,
            )
