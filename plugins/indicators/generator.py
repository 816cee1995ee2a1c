"""Write the statistics pages of one (sub)site: overview, one page per indicator, methodology."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from plugins.extension_points import is_main_site
from store import STORE_FILE
from store.reference import read_code_lists
from sunshine.statistics.catalogue import FileFacts, describe
from sunshine.statistics.charts import bar_chart, line_chart, sparkline
from sunshine.statistics.citation import Citation, cite
from sunshine.statistics.disclosure import MIN_COUNT, MIN_DENOMINATOR
from sunshine.statistics.indicators import DIMENSIONS, INDICATORS
from sunshine.statistics.microdata import build as build_microdata
from sunshine.statistics.open_data import write_open_data, write_release_feed

from .annual import annual_report
from .cache import case_rows
from .collect import cases, change, change_text, formatted, interval, load, year_before
from .funnel_pages import funnel_figures

_CATALOGUES: dict[Path, dict[str, FileFacts]] = {}
"""``/data/``'s catalogue by folder, set by the main site's ``generate_context`` (which runs
before any language writes a page) each build."""


class StatisticsGenerator(Generator):
    """Pelican generator for ``/statistics/``."""

    def generate_context(self) -> None:
        self.statistics = load(self.settings["SUNSHINE"].var_path)
        # The open-data files now rather than with the pages: every language's
        # catalogue states their sizes and rows, and i18n_subsites builds the other
        # languages before the main site writes its pages.
        if is_main_site(self.settings):
            folder = Path(self.output_path) / "data"
            self._write_data(folder)
            # Read back once for every language's /data/ page (a million-row
            # cases.csv takes a second to read).
            _CATALOGUES[folder.resolve()] = describe(folder)
        # The home page (Pelican's index, written by the articles generator from the
        # context all generators share) shows the overview's headline figures too:
        # one partial, _headline_figures.html, takes them from here on both pages.
        lang = self.settings["DEFAULT_LANG"]
        self.context["headline_figures"] = {
            "statistics": self.statistics,
            "indicators": INDICATORS,
            "fmt": lambda row: formatted(row, lang),
            "cases": cases,
            "change": lambda now, before: change_text(change(now, before), lang),
            "direction": lambda now, before: getattr(change(now, before), "direction", ""),
            "year_before": year_before,
            "sparklines": self._sparklines(lang),
            "lang_key": lang,
            "min_denominator": MIN_DENOMINATOR,
        }

    def generate_output(self, writer: Any) -> None:
        lang = self.settings["DEFAULT_LANG"]
        common = {
            "statistics": self.statistics,
            "indicators": INDICATORS,
            "dimensions": [d for d in DIMENSIONS if d != "overall"],
            "fmt": lambda row: formatted(row, lang),
            "interval": interval,
            "cases": cases,
            "complete": self.statistics.complete,
            "lang_key": lang,
            "min_count": MIN_COUNT,
            "min_denominator": MIN_DENOMINATOR,
        }
        names = code_names(self.settings["SUNSHINE"].var_path, lang)
        writer.write_file(
            "statistics/index.html",
            self.get_template("statistics"),
            self.context,
            change=lambda now, before: change_text(change(now, before), lang),
            direction=lambda now, before: getattr(change(now, before), "direction", ""),
            year_before=year_before,
            sparklines=self.context["headline_figures"]["sparklines"],
            **common,
        )
        for dimension in DIMENSIONS[1:]:  # every breakdown (the first is "overall")
            writer.write_file(
                f"statistics/by/{dimension}/index.html",
                self.get_template("dimension"),
                self.context,
                dimension=dimension,
                names=names.get(dimension, {}),
                columns=DIMENSION_COLUMNS,
                **common,
            )
        writer.write_file(
            "statistics/methodology/index.html",
            self.get_template("methodology"),
            self.context,
            **common,
        )
        writer.write_file(
            "data/index.html",
            self.get_template("data"),
            self.context,
            data_files=self._catalogue(),
            **common,
        )
        self._write_annual(writer, lang, names, common)
        for code, indicator in INDICATORS.items():
            writer.write_file(
                f"statistics/{code}/index.html",
                self.get_template("indicator"),
                self.context,
                indicator=indicator,
                citation=self._citation(code, lang),
                charts=self._charts(code, lang, names.get("region", {})),
                funnels=funnel_figures(self.statistics, code, lang, names),
                names=names,
                **common,
            )

    def _write_annual(
        self, writer: Any, lang: str, names: dict[str, dict[str, str]], common: dict[str, Any]
    ) -> None:
        """``/statistics/<year>/``: the annual report of every year with data (Art. 41)."""
        for year in self.statistics.years:
            report = annual_report(self.statistics, year, names, lang)
            writer.write_file(
                f"statistics/{year}/index.html",
                self.get_template("annual"),
                self.context,
                report=report,
                citation=self._cite_page(report.title, f"statistics/{year}/", lang),
                # The report names its sources by their public addresses (they print).
                public_site=self._public_site(lang),
                public_main=self.settings["SUNSHINE"].site_url.rstrip("/"),
                **common,
            )

    def _public_site(self, lang: str) -> str:
        """This (sub)site's public address, also in a local build (whose SITEURL is relative)."""
        site = self.settings["SITEURL"]
        if site.startswith(("http://", "https://")):
            return str(site)
        prefix = "" if is_main_site(self.settings) else f"/{lang}"
        return str(self.settings["SUNSHINE"].site_url.rstrip("/") + prefix)

    def _cite_page(self, title: str, path: str, lang: str) -> Citation | None:
        """The suggested citation of a statistics page, dated by the data (None without data)."""
        as_of = self.statistics.as_of
        if as_of is None:
            return None
        settings = self.settings["SUNSHINE"]
        return cite(
            lang,
            title=title,
            site=self.settings["SITENAME"],
            publisher=settings.office_name,
            as_of=as_of.isoformat(),
            url=f"{self._public_site(lang)}/{path}",
            licence=settings.licence,
        )

    def _sparklines(self, lang: str) -> dict[str, Markup]:
        """A 12-month trend line per indicator for the overview's headline table.

        The charts are Markup built from escaped parts (:mod:`sunshine.statistics.charts`), so the
        templates, which escape everything else, print them as they are."""
        lines = {}
        for code, indicator in INDICATORS.items():
            rows = self.statistics.recent(code)
            if not rows:
                continue
            name = indicator.name[lang]
            shown = [(r.period, formatted(r, lang)) for r in rows if r is not None]
            desc = ("；" if lang == "zh" else "; ").join(f"{p}: {v}" for p, v in shown)
            title = f"{name}：近12个月" if lang == "zh" else f"{name}: the last 12 months"
            values = [r.value if r is not None and r.status == "ok" else None for r in rows]
            lines[code] = sparkline(values, title=title, desc=desc, lang=lang)
        return lines

    def _charts(self, code: str, lang: str, regions: dict[str, str]) -> dict[str, Markup]:
        """The indicator's monthly line chart and, for the latest year, bars by region
        (labelled with the regions' names from ``regions``, a code only where it has none)."""
        indicator = INDICATORS[code]
        name = indicator.name[lang]
        series = self.statistics.series(code)
        if not series:
            return {}
        points = [(row.period, row.value if row.status == "ok" else None) for row in series]
        band = [interval(row) for row in series] if indicator.kind == "rate" else None
        first, last = series[0].period, series[-1].period
        desc = (
            f"{name}，{first}至{last}各月数值。"
            if lang == "zh"
            else f"{name}, monthly from {first} to {last}."
        )
        partial = [row.period for row in series if not self.statistics.complete(row.period)]
        charts = {
            "monthly": line_chart(
                points,
                title=name,
                desc=desc,
                unit=indicator.unit,
                lang=lang,
                band=band,
                incomplete=partial,
            )
        }
        years = self.statistics.years
        if years:
            # Only the regions with figures are drawn: how many have none, and why, is said
            # under the breakdown's table (a bar of "withheld" per region filled the page).
            rows = [
                row
                for row in self.statistics.breakdown(years[-1], code, "region")
                if row.status == "ok"
            ]
            bars = [(regions.get(row.code, row.code), row.value, row.status) for row in rows]
            title = (
                f"{name}（{years[-1]}年，按地区）"
                if lang == "zh"
                else f"{name}, {years[-1]}, by region"
            )
            if not self.statistics.complete(years[-1]):
                # The year to date: said in the title so the bars are not read as a full year.
                as_of = self.statistics.as_of
                title += (
                    f"（截至{as_of}，年度未结束，数字不完整）"
                    if lang == "zh"
                    else f" (to {as_of}: incomplete, the year is not over)"
                )
            if bars:
                charts["regions"] = bar_chart(
                    bars, title=title, desc=title, unit=indicator.unit, lang=lang
                )
        return charts

    def _catalogue(self) -> dict[str, FileFacts]:
        """What ``/data/`` holds, as the main site read it after writing the files."""
        output = Path(self.output_path)
        # A subsite's output folder is inside the main one's.
        folder = output / "data" if is_main_site(self.settings) else output.parent / "data"
        found = _CATALOGUES.get(folder.resolve())
        return describe(folder) if found is None else found

    def _citation(self, code: str, lang: str) -> Citation | None:
        """The suggested citation of an indicator's page, dated by the data (None without data)."""
        as_of = self.statistics.as_of
        if as_of is None:
            return None
        settings = self.settings["SUNSHINE"]
        site = self.settings["SITEURL"]
        if not site.startswith(("http://", "https://")):  # a local build: cite the public URL
            prefix = "" if is_main_site(self.settings) else f"/{lang}"
            site = settings.site_url.rstrip("/") + prefix
        return cite(
            lang,
            title=INDICATORS[code].name[lang],
            site=self.settings["SITENAME"],
            publisher=settings.office_name,
            as_of=as_of.isoformat(),
            url=f"{site}/statistics/{code}/",
            licence=settings.licence,
        )

    def _write_data(self, folder: Path) -> None:
        """The open-data files, once for all languages (only when there is data)."""
        statistics = self.statistics
        settings = self.settings["SUNSHINE"]
        if statistics.as_of is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        # The releases list lives in the state folder, so it survives builds into
        # fresh output folders; the copy in /data/ is what the public sees.
        kept = settings.var_path / "data-changelog.json"
        if kept.is_file():
            shutil.copyfile(kept, folder / "changelog.json")
        code_lists = _code_lists(settings.var_path)
        write_open_data(
            statistics.rows,
            folder,
            as_of=statistics.as_of.isoformat(),
            licence=settings.licence,
            site_url=self.settings["SITEURL"] or settings.site_url,
            code_lists=code_lists,
            version=statistics.as_of.isoformat(),
            publisher=settings.office_name,
            site_name=self.settings["SITENAME"],
            # The cache holds each case's row as of this build's data (refreshed with
            # the counters); one read, anonymised in memory against the published tables.
            microdata=build_microdata(
                case_rows(settings.var_path),
                statistics.rows,
                k=settings.microdata_k,
                max_share=settings.microdata_max_suppressed,
            ),
        )
        shutil.copyfile(folder / "changelog.json", kept)
        site_url = self.settings["SITEURL"] or settings.site_url
        write_release_feed(
            folder,
            site_url=site_url,
            title="Sunshine statistics releases",
            link=f"{site_url}/data/",
        )


LIST_OF_DIMENSION = {
    "region": "regions",
    "category": "categories",
    "channel": "channels",
    "agency": "agencies",
}
DIMENSION_COLUMNS = (
    "received",
    "timely_acceptance_rate",
    "on_time_reply_rate",
    "satisfaction_rate",
    "median_handling_days",
    "backlog",
    "overdue_open",
)
"""The indicators in the by-dimension tables: volume, the two statutory clocks,
what petitioners think, how long it takes, and what is left open."""


def code_names(var_dir: Path, lang: str) -> dict[str, dict[str, str]]:
    """``dimension → code → name`` in ``lang``, from the registry's code lists."""
    if not (var_dir / STORE_FILE).is_file():
        return {}
    lists = _code_lists(var_dir)
    return {
        dimension: {
            item["code"]: item["name"][lang] if isinstance(item.get("name"), dict) else item["code"]
            for item in lists.get(name, [])
        }
        for dimension, name in LIST_OF_DIMENSION.items()
    }


def _code_lists(var_dir: Path) -> dict[str, list[dict[str, Any]]]:
    import json

    return {name: json.loads(items) for name, items in read_code_lists(var_dir)}
