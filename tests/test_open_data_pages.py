"""The catalogue states each file's facts, every indicator page says how to cite it,
and every indicator's name says what its definition counts."""

from __future__ import annotations

import csv
import html
import json
import re

import pytest

from sunshine.config import load_settings
from sunshine.statistics.indicators import INDICATORS
from tests.conftest import BuiltSite

# What each name must say (and must not) in each language, from DESIGN.md's
# definitions: received matters are not yet accepted (受理 is a later step with
# its own indicator), a review-request rate is not a review rate, and so on.
NAMES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "received": {"zh": (("收到",), ("受理",)), "en": (("received",), ("accept",))},
    "online_share": {"zh": (("网上",), ("受理",)), "en": (("online", "share"), ("accept",))},
    "timely_acceptance_rate": {"zh": (("及时", "受理"), ()), "en": (("timely", "acceptance"), ())},
    "on_time_reply_rate": {"zh": (("按期",), ()), "en": (("on-time", "reply"), ())},
    "mean_handling_days": {"zh": (("平均", "天数"), ()), "en": (("mean", "days"), ())},
    "median_handling_days": {"zh": (("中位数", "天数"), ()), "en": (("median", "days"), ())},
    "evaluation_rate": {"zh": (("参评",), ()), "en": (("evaluation",), ())},
    "satisfaction_rate": {"zh": (("满意",), ("基本",)), "en": (("satisfaction",), ("basic",))},
    "basic_satisfaction_rate": {
        "zh": (("满意", "基本满意"), ()),
        "en": (("satisfied", "basically satisfied"), ()),
    },
    "review_rate": {"zh": (("申请", "复查"), ("复核",)), "en": (("review request",), ("re-",))},
    "rereview_rate": {"zh": (("申请", "复核"), ("复查",)), "en": (("re-review request",), ())},
    "repeat_rate": {"zh": (("重复",), ()), "en": (("repeat",), ())},
    "backlog": {"zh": (("期末", "未办结"), ("超期",)), "en": (("open", "period end"), ("due",))},
    "overdue_open": {
        "zh": (("期末", "超期", "未办结"), ()),
        "en": (("open", "past due", "period end"), ()),
    },
}


def test_the_names_table_covers_every_indicator() -> None:
    assert set(NAMES) == set(INDICATORS)


@pytest.mark.parametrize("code", list(INDICATORS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_name_says_what_its_definition_counts(code: str, lang: str) -> None:
    name = INDICATORS[code].name[lang]
    must, must_not = NAMES[code][lang]
    text = name.lower() if lang == "en" else name
    for word in must:
        assert word in text, (code, lang, name)
    for word in must_not:
        assert word not in text, (code, lang, name)


def test_the_catalogue_gives_each_files_size_rows_and_period(site: BuiltSite) -> None:
    folder = site.output / "data"
    for page in ("data/index.html", "en/data/index.html"):
        text = (site.output / page).read_text("utf-8")
        table = text.split('data-testid="data-files"', 1)[1].split("</table>", 1)[0]
        rows = re.findall(
            r'<tr data-file="([^"]+)">.*?data-size="(\d*)".*?data-rows="(\d*)".*?'
            r'data-period="([^"]*)"',
            table,
            re.S,
        )
        assert len(rows) >= 10, page
        for name, size, count, period in rows:
            path = folder / name
            assert path.is_file(), name
            assert int(size) == path.stat().st_size, (page, name)
            if path.suffix == ".csv":
                with path.open(encoding="utf-8-sig", newline="") as f:
                    records = list(csv.DictReader(f))
                assert int(count) == len(records), (page, name)
                months = sorted(r["period"] for r in records if len(r.get("period", "")) == 7)
                if months:
                    assert html.unescape(period) == f"{months[0]} – {months[-1]}", (page, name)
        shown = {r[0]: r for r in rows}
        assert shown["indicators.csv"][3]  # the long file covers a period
        months = json.loads((folder / "overall.json").read_text("utf-8"))["periods"]
        assert int(shown["overall.json"][2]) == len(months)


def test_every_indicator_page_says_how_to_cite_it(site: BuiltSite) -> None:
    settings = load_settings()
    package = json.loads((site.output / "data/datapackage.json").read_text("utf-8"))
    as_of = package["citation"]["en"]["date"]
    assert package["citation"]["zh"]["publisher"] == settings.office_name
    for code, indicator in INDICATORS.items():
        for prefix, lang in (("", "zh"), ("en/", "en")):
            page = (site.output / f"{prefix}statistics/{code}/index.html").read_text("utf-8")
            assert 'data-testid="citation"' in page, (code, lang)
            block = page.split('data-testid="citation"', 1)[1].split("</section>", 1)[0]
            text = html.unescape(block)
            assert indicator.name[lang] in text, (code, lang)
            assert settings.office_name in text, (code, lang)
            assert as_of in text, (code, lang)
            assert settings.licence in text, (code, lang)
            url = f"{settings.site_url.rstrip('/')}/{prefix}statistics/{code}/"
            assert url in text, (code, lang)
