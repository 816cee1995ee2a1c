"""Page weight: everything a page makes Chromium load, compressed, within its budget.

Budgets in KB (gzip, as a compressing host sends them), one per page type; the
tracker's 60 KB is the design brief's, the others are this project's own, set
with room above what the pages weigh today (docs/benchmarks.md gives both).
"""

from __future__ import annotations

import gzip
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

BUDGETS_KB: dict[str, int] = {
    "/": 30,
    "/track/": 60,
    "/statistics/": 30,
    "/statistics/on_time_reply_rate/": 60,
    "/statistics/by/agency/": 80,
    "/statistics/methodology/": 30,
    "/regulations/": 20,
    "/regulations/xinfang-gongzuo-tiaoli-2022/": 60,
    "/guides/": 20,
    "/guides/time-limits/": 30,
    "/explainers/2022-regulations-for-petitioners/": 40,
    "/search/#q=" + quote("复查"): 40,
    "/data/": 20,
}


@pytest.mark.parametrize("path", list(BUDGETS_KB))
def test_page_weight_within_budget(page, tracked_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    sizes: list[int] = []

    def count(response) -> None:  # type: ignore[no-untyped-def]
        if response.status == 200:
            sizes.append(len(gzip.compress(response.body(), 9)))

    page.on("response", count)
    page.goto(tracked_url + path)
    page.wait_for_load_state("networkidle")
    total = sum(sizes) / 1024
    assert sizes and total <= BUDGETS_KB[path], f"{path}: {total:.1f} KB"
