"""The demo registry's injected faults and its advancing clock, over real HTTP.

Each fault the contract warns of is switched on, in-process or over the admin
endpoints, and observed from the client's side, as the fetcher will see it.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator

import pytest
import requests

from demo_registry import DemoRegistry, Faults
from demo_registry.faults import INVALID_KINDS
from demo_registry.server import RegistryServer
from sunshine.cases.query_code import is_valid
from tests.test_demo_registry import (
    AUTH,
    Api,
    api,  # noqa: F401 - the fixture, over this module's server
    current,
    pull,
    serving,
)


@pytest.fixture(scope="module")
def server() -> Iterator[RegistryServer]:
    with serving(DemoRegistry(cases=3000, seed=2)) as server:
        yield server


# -- faults ------------------------------------------------------------------------


def test_faults_queue_by_path_and_count() -> None:
    faults = Faults()
    with pytest.raises(ValueError):
        faults.fail_next("418")
    faults.fail_next("503", count=2)
    faults.fail_next("slow", path_prefix="/api/v1/regulations", delay=0.1)
    assert faults.take("/api/v1/codes/regions") is None
    slow = faults.take("/api/v1/regulations/x")
    assert slow is not None and slow.kind == "slow" and slow.delay == 0.1
    assert [getattr(faults.take("/api/v1/cases"), "kind", None) for _ in range(3)] == [
        "503",
        "503",
        None,
    ]
    faults.configure({"invalid_every": 4, "stale_items": 1})
    assert [faults.invalid_kind(p) for p in range(8)] == [
        None,
        None,
        None,
        INVALID_KINDS[0],
        None,
        None,
        None,
        INVALID_KINDS[1],
    ]
    faults.reset_faults()
    assert faults.invalid_kind(3) is None and faults.stale_items == 0


@pytest.mark.parametrize("kind", ["503", "429", "500"])
def test_failures_answer_with_problems(api: Api, kind: str) -> None:
    base, session, registry = api
    registry.faults.fail_next(kind, count=2, retry_after=3)
    for _ in range(2):
        answer = session.get(f"{base}/cases")
        assert answer.status_code == int(kind)
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers.get("Retry-After") == (None if kind == "500" else "3")
    assert session.get(f"{base}/cases").status_code == 200


def test_failures_hit_only_their_path_prefix(api: Api) -> None:
    base, session, registry = api
    registry.faults.fail_next("503", path_prefix="/api/v1/regulations")
    assert session.get(f"{base}/cases?limit=1").status_code == 200
    assert session.get(f"{base}/regulations").status_code == 503
    assert session.get(f"{base}/regulations").status_code == 200


def test_truncate_sends_half_the_announced_body(api: Api) -> None:
    base, _, registry = api
    registry.faults.fail_next("truncate")
    host, port = base.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/api/v1/cases?limit=200", headers=AUTH)
    response = connection.getresponse()
    announced = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    assert 0 < len(cut.value.partial) < announced
    connection.close()
    registry.faults.fail_next("truncate")
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(f"{base}/cases?limit=200", headers=AUTH).json()


def test_reset_closes_without_an_answer(api: Api) -> None:
    base, session, registry = api
    registry.faults.fail_next("reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{base}/cases", headers=AUTH)
    assert session.get(f"{base}/cases?limit=1").status_code == 200


def test_slow_answers_late(api: Api) -> None:
    base, session, registry = api
    registry.faults.fail_next("slow", delay=0.6)
    started = time.perf_counter()
    assert session.get(f"{base}/cases?limit=1").status_code == 200
    assert time.perf_counter() - started >= 0.6
    with pytest.raises(requests.exceptions.Timeout):
        registry.faults.fail_next("slow", delay=1.0)
        session.get(f"{base}/cases?limit=1", timeout=0.3)


def test_expired_cursors_answer_410_and_a_full_sync_starts_afresh(api: Api) -> None:
    base, session, registry = api
    old = session.get(f"{base}/cases?limit=100").json()["next"]
    registry.faults.expire_cursors()
    gone = session.get(f"{base}/cases", params={"since": old})
    assert gone.status_code == 410 and gone.json()["status"] == 410
    items, last = pull(base, session)
    assert len(items) == registry.feed_length
    assert session.get(f"{base}/cases", params={"since": last}).status_code == 200


def test_repeated_items_overlap_the_previous_page(api: Api) -> None:
    base, session, registry = api
    registry.faults.repeat_items = 3
    first = session.get(f"{base}/cases?limit=100").json()
    second = session.get(f"{base}/cases", params={"limit": 100, "since": first["next"]}).json()
    assert len(first["items"]) == 100 and len(second["items"]) == 103
    assert second["items"][:3] == first["items"][-3:]
    assert second["items"][3]["seq"] == 101


def test_stale_items_are_older_versions_after_newer_ones(api: Api) -> None:
    base, session, registry = api
    registry.faults.stale_items = 2
    items, _ = pull(base, session, limit=50)  # several pages after the first revisions
    latest_seen: dict[str, int] = {}
    stale = 0
    for item in items:
        previous = latest_seen.get(item["case_id"], 0)
        stale += item["seq"] < previous
        latest_seen[item["case_id"]] = max(previous, item["seq"])
    assert stale > 0
    assert {i["seq"] for i in items} == set(range(1, registry.feed_length + 1))


def test_invalid_items_break_the_contract_in_each_way(api: Api) -> None:
    base, session, registry = api
    registry.faults.invalid_every = 50
    items, _ = pull(base, session)
    broken = {i: item for i, item in enumerate(items) if (i + 1) % 50 == 0}
    recorded = registry.invalid_positions()
    assert set(recorded) == set(broken)
    assert {v["kind"] for v in recorded.values()} == set(INVALID_KINDS)
    for position, item in broken.items():
        kind = recorded[position]["kind"]
        if kind == "not_an_object":
            assert not isinstance(item, dict)
        elif kind == "bad_check_symbol":
            assert not is_valid(item["tracking_code"])
        elif kind == "unknown_channel":
            assert item["channel"] == "pigeon"
        elif kind == "missing_field":
            assert "received_at" not in item or "updated_at" not in item
        elif kind == "unparseable_date":
            assert "2025-13-45 25:61" in json.dumps(item)
        elif kind == "unknown_event_type":
            assert item["events"][-1]["type"] == "escalated"
        elif kind == "note_too_long":
            assert len(item["events"][0]["note"]) > 2000
        elif kind == "bad_region":
            assert not re.fullmatch(r"\d{6}", item["region"])
    assert all(isinstance(i, dict) and i["seq"] % 50 for i in items if i not in broken.values())
    over_http = session.get(f"{base.rsplit('/api/', 1)[0]}/_demo/invalid").json()["items"]
    assert [i["position"] for i in over_http] == sorted(recorded)


def test_faults_can_be_set_over_http(api: Api) -> None:
    base, session, registry = api
    admin = base.rsplit("/api/", 1)[0] + "/_demo"
    state = session.post(
        f"{admin}/faults",
        json={
            "fail_next": [
                {"kind": "429", "count": 1},
                {"kind": "503", "path_prefix": "/api/v1/codes"},
            ],
            "repeat_items": 2,
            "retry_after": 2,
        },
    ).json()
    assert state["repeat_items"] == 2 and len(state["pending"]) == 2
    assert session.get(f"{base}/cases").headers["Retry-After"] == "2"
    assert session.get(f"{base}/codes/regions").status_code == 503
    assert registry.faults.repeat_items == 2
    session.post(f"{admin}/faults", json={"reset": True, "expire_cursors": True})
    assert registry.faults.repeat_items == 0 and registry.faults.epoch >= 1
    assert session.post(f"{admin}/faults", json={"fail_next": {"kind": "nope"}}).status_code == 400
    assert session.post(f"{admin}/faults", json={"colour": "red"}).status_code == 400
    assert session.post(f"{admin}/faults", data=b"[1]").status_code == 400
    assert requests.post(f"{admin}/faults", json={"reset": True}).status_code == 401


# -- advancing the registry --------------------------------------------------------


def test_advance_appends_revisions_new_cases_and_tombstones() -> None:
    registry = DemoRegistry(cases=3000, seed=3)
    with serving(registry) as server:
        session = requests.Session()
        session.headers.update(AUTH)
        before, cursor = pull(server.base_url, session)
        old_length, old_now = registry.feed_length, registry.now
        answer = session.post(server.base_url.replace("/api/v1", "/_demo/advance?changes=400"))
        assert answer.json()["feed_length"] == old_length + 400 == registry.feed_length
        after, _ = pull(server.base_url, session, since=cursor)
    assert [i["seq"] for i in after] == list(range(old_length + 1, old_length + 401))
    assert registry.now > old_now
    known = current(before)
    revised = [i for i in after if not i.get("deleted") and i["case_id"] in known]
    new = [i for i in after if not i.get("deleted") and i["case_id"] not in known]
    deleted = [i for i in after if i.get("deleted")]
    assert len(revised) > 10 and len(new) > 100 and deleted
    # each revision shows the case moved on: a new event, or the petitioner's evaluation
    assert all(i["updated_at"] > known[i["case_id"]]["updated_at"] for i in revised)
    assert sum(len(i["events"]) > len(known[i["case_id"]]["events"]) for i in revised) > 10
    assert all(old_now.isoformat() < i["received_at"] <= registry.now.isoformat() for i in new)
    assert all(not known[i["case_id"]].get("deleted") for i in deleted if i["case_id"] in known)
    now = registry.now.isoformat()
    assert all(i["updated_at"] <= now for i in after)
    truth = current(before + after)
    for case_id, item in list(truth.items())[::25]:
        assert registry.case_state(case_id) == (None if item.get("deleted") else item)
    assert all(is_valid(i["tracking_code"]) for i in new)


def test_prefetched_pages_are_the_same_pages() -> None:
    registry = DemoRegistry(cases=3000, seed=5)
    with serving(registry, prefetch=False) as plain, serving(registry, prefetch=True) as ahead:
        for encoding in ("gzip", "identity"):
            headers = {**AUTH, "Accept-Encoding": encoding}
            bodies = []
            for server in (plain, ahead):
                since, pages = None, []
                for _ in range(4):  # the second and later pages come from the worker
                    answer = requests.get(
                        f"{server.base_url}/cases",
                        params={"limit": 700, "since": since},
                        headers=headers,
                    )
                    pages.append(answer.content)
                    since = answer.json()["next"]
                bodies.append(pages)
            assert bodies[0] == bodies[1]
        assert ahead.prefetcher is not None and not ahead.prefetcher._broken
