"""The demo registry: its data, and the contract over real HTTP.

Servers run on free loopback ports in threads and are talked to with ``requests``,
as the fetcher will; the synthetic data is checked for being deterministic, valid
and realistic enough that statistics and deadlines computed from it mean something.
The injected faults and ``advance()`` are tested in test_demo_registry_faults.py,
which shares the helpers here.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager as ContextManager
from datetime import datetime
from typing import Any, NamedTuple

import pytest
import requests

from demo_registry import DemoRegistry, make_server
from demo_registry.server import RegistryServer
from sunshine.cases.query_code import is_valid, make_code
from tests.conftest import running

AUTH = {"Authorization": "Bearer demo-token"}


def serving(registry: DemoRegistry, prefetch: bool = False) -> ContextManager[RegistryServer]:
    return running(make_server(registry, "127.0.0.1", 0, prefetch=prefetch))


@pytest.fixture(scope="module")
def registry() -> DemoRegistry:
    return DemoRegistry(cases=5000, seed=1)


@pytest.fixture(scope="module")
def server(registry: DemoRegistry) -> Iterator[RegistryServer]:
    with serving(registry) as server:
        yield server


class Api(NamedTuple):
    base: str  # .../api/v1
    session: requests.Session  # sends the token
    registry: DemoRegistry


@pytest.fixture
def api(server: RegistryServer) -> Iterator[Api]:
    """The module's server, with its faults off before and after the test."""
    server.registry.faults.reset_faults()
    session = requests.Session()
    session.headers.update(AUTH)
    yield Api(server.base_url, session, server.registry)
    server.registry.faults.reset_faults()
    session.close()


def pull(
    base: str, session: requests.Session, limit: int = 1000, since: str | None = None
) -> tuple[list[Any], str]:
    """Every item of the feed from ``since`` on, page by page; and the last cursor."""
    items: list[Any] = []
    while True:
        page = session.get(f"{base}/cases", params={"limit": limit, "since": since}).json()
        items += page["items"]
        since = page["next"]
        if not page["has_more"]:
            return items, since


def current(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """For each case id the item with the highest seq: the contract's truth."""
    latest: dict[str, dict[str, Any]] = {}
    for item in items:
        if item["case_id"] not in latest or item["seq"] > latest[item["case_id"]]["seq"]:
            latest[item["case_id"]] = item
    return latest


# -- the data ----------------------------------------------------------------------


def test_same_seed_gives_the_same_items_and_byte_identical_pages() -> None:
    one, two, other = DemoRegistry(2000, seed=7), DemoRegistry(2000, seed=7), DemoRegistry(2000)
    positions = [0, 1, 999, 1999, 2000, 2006, one.feed_length - 1]
    assert [one.item(p) for p in positions] == [two.item(p) for p in positions]
    assert one.item(5) != other.item(5)
    with serving(one) as a, serving(two) as b:
        for encoding in ("identity", "gzip"):
            headers = {**AUTH, "Accept-Encoding": encoding}
            bodies = [
                requests.get(f"{s.base_url}/cases?limit=700", headers=headers).content
                for s in (a, b, a)
            ]
            assert bodies[0] == bodies[1] == bodies[2]


def test_data_looks_like_a_real_registry(registry: DemoRegistry) -> None:
    latest = current(registry.items(0, registry.feed_length))
    cases = [c for c in latest.values() if not c.get("deleted")]
    deleted = [c for c in latest.values() if c.get("deleted")]
    assert len(latest) == 5000 and 10 <= len(deleted) <= 50
    assert {c["reason"] for c in deleted} <= {"withdrawn", "erased", "merged"}

    channels = Counter(c["channel"] for c in cases)
    assert channels.most_common(1)[0][0] == "online"
    assert 0.38 < channels["online"] / len(cases) < 0.52
    assert set(channels) == {"online", "letter", "visit", "phone", "email", "fax", "video"}

    def at(event: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(event["at"])

    handling, late, types, shuffled = [], 0, Counter[str](), 0
    for case in cases:
        events = {e["type"]: e for e in case["events"]}
        types.update(events.keys())
        shuffled += [e["at"] for e in case["events"]] != sorted(e["at"] for e in case["events"])
        if "accepted" in events and "replied" in events:
            days = (at(events["replied"]) - at(events["accepted"])).total_seconds() / 86400
            handling.append(days)
            extension = sum(e.get("days", 0) for e in case["events"] if e["type"] == "extended")
            late += days > 60 + extension
    assert 12 <= statistics.mean(handling) <= 18
    assert 0.005 < late / len(handling) < 0.06  # a few per cent past the statutory 60 days
    share = {t: n / len(cases) for t, n in types.items()}
    assert 0.04 < share["extended"] < 0.1 and 0.015 < share["withdrawn"] < 0.05
    assert 0.03 < share["not_accepted"] < 0.08 and 0.02 < share["review_requested"] < 0.1
    assert types["rereview_requested"] > 0 and types["hearing_held"] > 0
    assert all(e["days"] <= 30 for c in cases for e in c["events"] if e["type"] == "extended")
    assert shuffled > 0
    assert 0.04 < sum(c["repeat_of"] is not None for c in cases) / len(cases) < 0.12
    law = [c for c in cases if c["law_related"]]
    assert law and Counter(c["category"].startswith("law.") for c in law)[True] > len(law) / 2
    evaluations = Counter(c["evaluation"]["result"] for c in cases if c["evaluation"])
    assert evaluations.most_common(1)[0][0] == "satisfied" and evaluations["unsatisfied"] > 0

    # open cases at various stages, a few of them overdue
    open_cases = [
        c for c in cases if not {"closed", "withdrawn"} & {e["type"] for e in c["events"]}
    ]
    stages = Counter(max(c["events"], key=lambda e: e["at"])["type"] for c in open_cases)
    assert {"registered", "forwarded", "accepted", "replied"} <= set(stages)

    notes = [e["note"] for c in cases for e in c["events"] if "note" in e]
    personal = re.compile(r"1[3-9]\d{9}|\d{17}[\dX]|@\w+\.com|\d+号\d+幢")
    assert 0.005 < sum(bool(personal.search(n)) for n in notes) / len(notes) < 0.05
    assert all(len(n) <= 2000 for n in notes)

    now = registry.now.isoformat()
    received = sorted(c["received_at"] for c in cases)
    assert received[0] < "2024-12-01" and received[-1] <= now
    assert all(c["updated_at"] <= now and all(e["at"] <= now for e in c["events"]) for c in cases)


def test_every_item_fits_the_code_lists(registry: DemoRegistry) -> None:
    lists = {
        name: {i["code"] for i in registry.codes(name)["items"]}  # type: ignore[index]
        for name in ("categories", "channels", "regions", "agencies")
    }
    for case in registry.items(0, registry.feed_length):
        if case.get("deleted"):
            continue
        assert case["category"] in lists["categories"] and "." in case["category"]
        assert case["region"] in lists["regions"] and case["agency"] in lists["agencies"]
        assert all(e.get("agency", case["agency"]) in lists["agencies"] for e in case["events"])
        assert len({e["id"] for e in case["events"]}) == len(case["events"])


def test_tracking_codes_are_valid_and_unique(registry: DemoRegistry) -> None:
    codes: dict[str, str] = {}
    for item in registry.items(0, registry.feed_length):
        if not item.get("deleted"):
            assert is_valid(item["tracking_code"])
            assert codes.setdefault(item["case_id"], item["tracking_code"]) == item["tracking_code"]
    assert len(set(codes.values())) == len(codes) == 5000  # deleted ones had codes too
    for code in list(codes.values())[:500]:  # the fast path computes what make_code does
        assert make_code(code.replace("-", "")[:15]) == code


def test_earlier_versions_are_revised_later_some_with_corrected_events(
    registry: DemoRegistry,
) -> None:
    first = registry.items(0, registry.cases)
    corrected = 0
    for revision in registry.items(registry.cases, registry.feed_length):
        if revision.get("deleted"):
            continue
        earlier = first[int(revision["case_id"].rsplit("-", 1)[1])]
        assert earlier["seq"] < revision["seq"] and earlier["case_id"] == revision["case_id"]
        assert len(earlier["events"]) < len(revision["events"])
        new = {e["id"]: e for e in revision["events"]}
        corrected += any(e != new[e["id"]] for e in earlier["events"])
    assert corrected > 0


def test_a_million_case_registry_is_fast() -> None:
    started = time.perf_counter()
    big = DemoRegistry(cases=1_000_000)
    items = big.items(500_000, 501_000)
    generated = time.perf_counter()
    body = json.dumps({"items": items}, ensure_ascii=False, separators=(",", ":")).encode()
    serialised = time.perf_counter()
    assert generated - started < 1.0 and serialised - generated < 0.5
    assert len(body) > 100_000 and big.feed_length == 1_035_000
    assert big.item(999_999)["case_id"].endswith("-999999")


# -- the contract over HTTP --------------------------------------------------------


def test_paging_with_cursors_covers_every_position_once(api: Api, registry: DemoRegistry) -> None:
    base, session, _ = api
    items, last = pull(base, session, limit=137)
    assert [i["seq"] for i in items] == list(range(1, registry.feed_length + 1))
    page = session.get(f"{base}/cases", params={"since": last}).json()
    assert page["items"] == [] and page["has_more"] is False and page["next"] == last
    first = session.get(f"{base}/cases").json()
    assert len(first["items"]) == 500 and first["has_more"] is True
    assert first["generated_at"] == "2026-11-15T12:00:00+08:00"


def test_one_case_is_its_newest_item(api: Api, registry: DemoRegistry) -> None:
    base, session, _ = api
    latest = current(registry.items(0, registry.feed_length))
    revised = next(c for c in latest.values() if not c.get("deleted") and c["seq"] > 5000)
    deleted = next(c for c in latest.values() if c.get("deleted"))
    assert session.get(f"{base}/cases/{revised['case_id']}").json() == revised
    for case_id in (deleted["case_id"], "XF2025-330212-999999", "nonsense"):
        answer = session.get(f"{base}/cases/{case_id}")
        assert answer.status_code == 404
        assert answer.headers["Content-Type"] == "application/problem+json"


def test_a_token_is_required(api: Api) -> None:
    base = api.base
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "demo-token"}):
        for path in ("/cases", "/regulations", "/codes/regions", "/../_demo/faults"):
            answer = requests.get(base + path, headers=headers)
            assert answer.status_code == 401, path
            assert answer.headers["Content-Type"] == "application/problem+json"
            assert answer.json()["status"] == 401


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "ten"},
        {"since": "garbage!"},
        {"since": "eyJwIjoxfQ"},
        {"since": "eyJwIjoxLCJlIjo5fQ"},
    ],  # {"p":1}; {"p":1,"e":9}
)
def test_bad_requests_answer_400(api: Api, params: dict[str, str]) -> None:
    base, session, _ = api
    answer = session.get(f"{base}/cases", params=params)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert set(answer.json()) >= {"type", "title", "status", "detail"}


def test_gzip_when_the_client_accepts_it(api: Api) -> None:
    base, session, _ = api
    plain = session.get(f"{base}/cases?limit=300", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) == len(plain.content)
    zipped = session.get(
        f"{base}/cases?limit=300", headers={"Accept-Encoding": "gzip"}, stream=True
    )
    raw = zipped.raw.read(decode_content=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(raw) < len(plain.content) / 3
    assert gzip.decompress(raw) == plain.content


def test_regulations_with_etags(api: Api) -> None:
    base, session, _ = api
    listing = session.get(f"{base}/regulations").json()["items"]
    by_id = {r["reg_id"]: r for r in listing}
    assert len(by_id) == 10
    assert by_id["xinfang-tiaoli-2005"]["status"] == "repealed"
    # The laws the guides send petitioners to, with SOURCES.md's facts.
    fuyi = by_id["xingzheng-fuyi-fa-2023"]
    assert (fuyi["issuer"], fuyi["level"], fuyi["status"]) == (
        "全国人民代表大会常务委员会",
        "national",
        "in_force",
    )
    assert (fuyi["issued_on"], fuyi["effective_on"]) == ("2023-09-01", "2024-01-01")
    assert by_id["xingzheng-susong-fa-2017"]["effective_on"] == "2017-07-01"
    assert by_id["renmin-tiaojie-fa-2010"]["effective_on"] == "2011-01-01"
    assert by_id["xinfang-gongzuo-tiaoli-2022"]["supersedes"] == ["xinfang-tiaoli-2005"]
    assert by_id["beijing-xinfang-tiaoli"]["effective_on"] == "2007-01-01"
    assert {r.get("region") for r in listing if r["level"] == "provincial"} == {
        "110000",
        "310000",
        "370000",
        "410000",
        "330000",
    }
    for reg_id in by_id:
        answer = session.get(f"{base}/regulations/{reg_id}")
        document, tag = answer.json(), answer.headers["ETag"]
        assert tag.startswith('"') and not tag.startswith("W/")
        text = document.pop("text")
        assert document == by_id[reg_id]
        assert text.startswith(document["title"]) and "第一条" in text
        assert "INFO END" not in text and not re.search(r"^#", text, re.MULTILINE)
        again = session.get(f"{base}/regulations/{reg_id}", headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
    beijing = session.get(f"{base}/regulations/beijing-xinfang-tiaoli").json()["text"]
    national = session.get(f"{base}/regulations/xinfang-gongzuo-tiaoli-2022").json()["text"]
    zhejiang = session.get(f"{base}/regulations/zhejiang-xinfang-tiaoli-2016").json()["text"]
    assert "\r\n第一章  总则\r\n" in beijing and "\r" not in national
    assert "\n第一章　总则\n" in zhejiang  # the ideographic space stays
    assert session.get(f"{base}/regulations/nothing").status_code == 404


def test_code_lists(api: Api) -> None:
    base, session, _ = api
    regions = session.get(f"{base}/codes/regions").json()
    counties = [r for r in regions["items"] if r["parent"] in {"330100", "330200", "330300"}]
    assert regions["list"] == "regions" and regions["version"] and len(counties) >= 30
    assert all(re.fullmatch(r"33\d{4}", r["code"]) and r["name"]["en"] for r in regions["items"])
    categories = {c["code"] for c in session.get(f"{base}/codes/categories").json()["items"]}
    assert {
        "land.acquisition",
        "land.demolition",
        "environment",
        "labour.wages",
        "enterprise.restructuring",
        "law",
    } <= categories
    agencies = session.get(f"{base}/codes/agencies").json()["items"]
    assert {
        "code": "330212-ZJJ",
        "name": {
            "zh": "鄞州区住房和城乡建设局",
            "en": "Housing and Urban-Rural Development Bureau, Yinzhou District",
        },
        "parent": "330200-ZJJ",
        "region": "330212",
    } in agencies
    assert session.get(f"{base}/codes/nothing").status_code == 404


def test_nothing_logged_contains_a_tracking_code(
    api: Api, registry: DemoRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    base, session, _ = api
    with caplog.at_level(logging.DEBUG):
        items, _ = pull(base, session)
        registry.faults.fail_next("500")
        session.get(f"{base}/cases")
    codes = {i["tracking_code"] for i in items if "tracking_code" in i}
    assert caplog.records and not any(code in caplog.text for code in codes)
