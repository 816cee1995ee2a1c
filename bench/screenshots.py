"""Screenshots of every page type at a phone's and a desktop's width (``invoke screenshots``).

The site is built from a demo registry into a throwaway folder (its data as of
now, so no page calls it out of date) and served on loopback; headless Chromium
writes one PNG per page type per width, named ``<page type>-<width>.png``. For
reviewing the layout and for the docs (docs/screenshots/ keeps a few).

No case that exists is shown: the tracker's result is the "not found" one, for a
well-formed code no case has, so no query code of the store is ever written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from bench.chromium import site_in_chromium
from bench.fetch import fetched_store
from operations.build import build_site
from sunshine.cases.query_code import check_symbol

WIDTHS = (390, 1280)
"""A common phone's CSS width and a common desktop's."""

_PAYLOAD = "000000000000000"
_NO_CASE = "-".join((_PAYLOAD + check_symbol(_PAYLOAD))[i : i + 4] for i in range(0, 16, 4))

PAGE_TYPES: list[tuple[str, str, str | None]] = [
    ("home", "/", None),
    ("home-en", "/en/", None),
    ("track", "/track/", None),
    ("track-not-found", f"/track/#code={_NO_CASE}", "[data-testid=case-not-found]"),
    ("statistics", "/statistics/", None),
    ("statistics-en", "/en/statistics/", None),
    ("indicator", "/statistics/on_time_reply_rate/", None),
    ("indicator-en", "/en/statistics/on_time_reply_rate/", None),
    ("breakdown", "/statistics/by/region/", None),
    ("methodology", "/statistics/methodology/", None),
    ("annual-report", "/statistics/{year}/", None),
    ("data", "/data/", None),
    ("regulations", "/regulations/", None),
    ("regulation", "/regulations/xinfang-gongzuo-tiaoli-2022/", None),
    ("guides", "/guides/", None),
    ("guide", "/guides/time-limits/", None),
    ("guide-en", "/en/guides/time-limits/", None),
    ("explainers", "/explainers/", None),
    ("explainer", "/explainers/2022-regulations-for-petitioners/", None),
    ("search", "/search/#q=" + quote("复查"), "[data-testid=search-result]"),
    ("not-found", "/no-such-page/", None),
]
"""(file name, path, what to wait for where a script fills the page); ``{year}``:
the latest year with an annual report."""


def write_screenshots(
    folder: Path, cases: int = 300, full_page: bool = True, only: list[str] | None = None
) -> list[Path]:
    """Build the demo site and write a PNG per page type (``only`` those) per width.

    ``full_page``: the whole page; otherwise what the first screen shows.
    """
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [p for p in PAGE_TYPES if not only or p[0] in only]
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        fetched_store(cases, base / "var")
        build_site(env={"SUNSHINE_VAR": str(base / "var"), "SUNSHINE_OUTPUT": str(base / "output")})
        years = sorted(p.name for p in (base / "output" / "statistics").glob("[0-9]" * 4))
        with site_in_chromium(base / "output") as (browser, origin):
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 900 if width > 600 else 844},
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                )
                page = context.new_page()
                for name, path, ready in wanted:
                    if "{year}" in path:
                        if not years:
                            continue  # no data, no annual report
                        path = path.format(year=years[-1])
                    page.goto("about:blank")  # a new fragment alone would not reload
                    page.goto(origin + path)
                    if ready:
                        page.wait_for_selector(ready)
                    page.wait_for_load_state("networkidle")
                    target = folder / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    written.append(target)
                context.close()
    return written


def shrink(paths: list[Path], colours: int = 128) -> None:
    """Rewrite PNGs with a palette of ``colours`` (screenshots have few), for the docs.

    Pillow's quantiser, rather than an external optimiser: it is already a
    dependency (the build shrinks staff images with it).
    """
    from PIL import Image

    for path in paths:
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
