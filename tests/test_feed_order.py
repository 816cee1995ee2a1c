"""Property: any delivery order, with repeats, gives the same store.

The registry delivers at least once; for one case the highest ``seq`` wins,
whether it is a version or a tombstone. These tests feed pages straight to
:class:`fetch.sync.FeedSync` (no HTTP), so hypothesis can try many orders.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fetch.models import FeedPage
from fetch.sync import FeedSync, FetchReport
from store import Store
from sunshine.cases.query_code import ALPHABET, make_code


def case(n: int, seq: int) -> dict[str, Any]:
    payload = "".join(ALPHABET[(n * 7 + i * 3) % 32] for i in range(15))
    return {
        "case_id": f"XF2025-330212-{n:06d}",
        "seq": seq,
        "tracking_code": make_code(payload),
        "received_at": "2025-03-02T09:12:00+08:00",
        "channel": "online",
        "category": "land.demolition",
        "kind": "complaint",
        "region": "330212",
        "agency": "330212-ZJJ",
        "events": [
            {"id": "e1", "type": "registered", "at": "2025-03-02T09:12:00+08:00"},
            {
                "id": f"e{seq}",
                "type": "forwarded",
                "at": "2025-03-04T10:00:00+08:00",
                "note": f"版本{seq}",
            },
        ],
        "updated_at": "2025-03-04T10:00:00+08:00",
    }


def tombstone(n: int, seq: int) -> dict[str, Any]:
    return {
        "case_id": f"XF2025-330212-{n:06d}",
        "seq": seq,
        "deleted": True,
        "reason": "erased",
        "updated_at": "2025-05-01T00:00:00+08:00",
    }


# A history: 6 cases, each with versions at increasing seqs; some end deleted,
# one is deleted and then registered again with a higher seq.
HISTORY: list[dict[str, Any]] = []
_seq = 0
for _n in range(6):
    for _version in range(3):
        _seq += 1
        HISTORY.append(case(_n, _seq))
    if _n in (1, 4):
        _seq += 1
        HISTORY.append(tombstone(_n, _seq))
_seq += 1
HISTORY.append(case(4, _seq))  # case 4 comes back after its tombstone


def truth() -> dict[str, int]:
    best: dict[str, dict[str, Any]] = {}
    for item in HISTORY:
        if item["case_id"] not in best or item["seq"] > best[item["case_id"]]["seq"]:
            best[item["case_id"]] = item
    return {cid: item["seq"] for cid, item in best.items() if not item.get("deleted")}


def apply_in_pages(items: list[dict[str, Any]], page_size: int) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp))
        sync = FeedSync(client=None, store=store)  # type: ignore[arg-type]
        report = FetchReport()
        for start in range(0, len(items), page_size):
            chunk = items[start : start + page_size]
            page = FeedPage.model_validate(
                {
                    "items": chunk,
                    "next": f"c{start}",
                    "has_more": True,
                    "generated_at": "2025-06-01T00:00:00+08:00",
                }
            )
            with store.transaction():
                sync._apply(page, report)
        result = dict(store.db.execute("SELECT case_id, seq FROM cases"))
        store.close()
        return result


def test_in_order_delivery_keeps_the_newest_versions() -> None:
    assert apply_in_pages(HISTORY, 5) == truth()
    assert "XF2025-330212-000001" not in truth() and "XF2025-330212-000004" in truth()


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(HISTORY),
    repeats=st.lists(st.sampled_from(HISTORY), max_size=15),
    page_size=st.integers(min_value=1, max_value=12),
    data=st.data(),
)
def test_any_order_with_repeats_gives_the_same_store(
    order: list[dict[str, Any]], repeats: list[dict[str, Any]], page_size: int, data: st.DataObject
) -> None:
    delivered = list(order)
    for item in repeats:
        delivered.insert(data.draw(st.integers(0, len(delivered))), item)
    assert apply_in_pages(delivered, page_size) == truth()
