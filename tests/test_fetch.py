"""The fetcher against the real demo registry on loopback, with its faults switched on.

Every test compares the store with what the registry's feed says is true: for
each case the item with the highest seq among the valid ones, deleted if that
item is a tombstone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from demo_registry import DemoRegistry, make_server
from demo_registry.texts import REG_IDS
from fetch.client import RegistryClient, RetryPolicy
from fetch.errors import AuthenticationFailed, RegistryUnavailable
from fetch.sync import FetchReport, fetch_all
from store import Store
from tests.conftest import base_url, running

FAST = RetryPolicy(attempts=6, total_seconds=30, initial_backoff=0.01, max_backoff=0.05)


class Registry:
    def __init__(self, registry: DemoRegistry, url: str) -> None:
        self.data = registry
        self.faults = registry.faults
        self.url = url

    def truth(self) -> dict[str, dict[str, Any]]:
        """case_id → the current valid version, as the feed defines it."""
        best: dict[str, dict[str, Any]] = {}
        for position in range(self.data.feed_length):
            if self.faults.invalid_kind(position):
                continue
            item = self.data.item(position)
            if item["case_id"] not in best or item["seq"] > best[item["case_id"]]["seq"]:
                best[item["case_id"]] = item
        return {cid: item for cid, item in best.items() if not item.get("deleted")}


@pytest.fixture
def registry() -> Iterator[Registry]:
    data = DemoRegistry(cases=400, seed=11)
    with running(make_server(data, "127.0.0.1", 0)) as server:
        yield Registry(data, base_url(server) + "/api/v1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "var")
    yield opened
    opened.close()


def client(registry: Registry, token: str = "demo-token", **kwargs: Any) -> RegistryClient:
    return RegistryClient(registry.url, token, requests.Session(), retry=FAST, **kwargs)


def run(registry: Registry, store: Store, page_limit: int = 50, **kwargs: Any) -> FetchReport:
    return fetch_all(client(registry, **kwargs), store, page_limit=page_limit)


def stored(store: Store) -> dict[str, int]:
    return dict(store.db.execute("SELECT case_id, seq FROM cases"))


def assert_store_is_truth(registry: Registry, store: Store) -> None:
    truth = registry.truth()
    assert stored(store) == {cid: item["seq"] for cid, item in truth.items()}
    codes = dict(store.db.execute("SELECT case_id, tracking_code FROM cases"))
    assert codes == {cid: item["tracking_code"] for cid, item in truth.items()}


def test_full_fetch_copies_the_registry(registry: Registry, store: Store) -> None:
    report = run(registry, store)
    assert_store_is_truth(registry, store)
    assert report.fetched == registry.data.feed_length
    assert report.new >= 390 and report.deleted > 0 and report.quarantined == 0
    assert report.regulations_updated == len(REG_IDS) == 10 and report.code_lists == 4
    assert store.state("last_success")


def test_second_run_fetches_only_the_new_part(registry: Registry, store: Store) -> None:
    run(registry, store)
    before = registry.data.feed_length
    registry.data.advance(30)
    report = run(registry, store)
    assert report.fetched == registry.data.feed_length - before == 30
    assert report.regulations_unchanged == len(REG_IDS) and report.regulations_updated == 0
    assert_store_is_truth(registry, store)


@pytest.mark.parametrize("kind", ["503", "429"])
def test_retry_after_is_honoured(registry: Registry, store: Store, kind: str) -> None:
    registry.faults.fail_next(kind, count=2, retry_after=1)
    started = time.monotonic()
    run(registry, store, page_limit=1000)
    assert time.monotonic() - started >= 2.0  # two waits of Retry-After: 1
    assert_store_is_truth(registry, store)


@pytest.mark.parametrize("kind", ["500", "truncate", "reset"])
def test_transient_failures_are_retried(registry: Registry, store: Store, kind: str) -> None:
    registry.faults.fail_next(kind, count=3)
    run(registry, store)
    assert registry.faults.snapshot()["pending"] == []  # every failure was served
    assert_store_is_truth(registry, store)


def test_slow_answer_times_out_and_is_retried(registry: Registry, store: Store) -> None:
    registry.faults.fail_next("slow", count=1, delay=1.5)
    run(registry, store, read_timeout=0.5)
    assert registry.faults.snapshot()["pending"] == []
    assert_store_is_truth(registry, store)


def test_registry_that_stays_down_gives_a_clear_error(registry: Registry, store: Store) -> None:
    registry.faults.fail_next("503", count=100, retry_after=0)
    with pytest.raises(RegistryUnavailable) as failure:
        run(registry, store)
    message = str(failure.value)
    assert f"{registry.url}/cases" in message and "HTTP 503" in message
    assert "demo-token" not in message


def test_wrong_token_is_refused_at_once(registry: Registry, store: Store) -> None:
    with pytest.raises(AuthenticationFailed, match="REGISTRY_TOKEN"):
        run(registry, store, token="wrong")


def test_expired_cursor_runs_a_full_sync_and_removes_what_it_lacks(
    registry: Registry, store: Store
) -> None:
    run(registry, store)
    # A case the registry no longer has, with no tombstone ever sent for it.
    with store.transaction():
        store.db.execute(
            "INSERT INTO cases VALUES ('XF2020-000000-999999', 1, '0000-0000-0000-0000',"
            " '2020-01-01T00:00:00+08:00', '2020-01-01T00:00:00+08:00', '{}')"
        )
    registry.faults.expire_cursors()
    registry.data.advance(10)
    report = run(registry, store)
    assert report.full_sync and report.removed_by_full_sync == 1
    assert_store_is_truth(registry, store)
    assert store.state("mode") == "incremental"


def test_repeated_and_stale_items_change_nothing(registry: Registry, store: Store) -> None:
    registry.faults.repeat_items = 7
    registry.faults.stale_items = 5
    report = run(registry, store)
    assert report.stale > 0
    assert_store_is_truth(registry, store)


def test_invalid_items_are_quarantined_and_the_rest_goes_on(
    registry: Registry, store: Store
) -> None:
    registry.faults.invalid_every = 13
    report = run(registry, store)
    served_invalid = registry.faults.invalid_positions()
    kinds = {entry["kind"] for entry in served_invalid.values()}
    assert len(kinds) >= 7, kinds
    assert report.quarantined == len(served_invalid)
    assert_store_is_truth(registry, store)
    quarantined = store.quarantined()
    assert len(quarantined) == len(served_invalid)
    for entry in quarantined:
        assert entry["reason"]
        if isinstance(entry["raw"], dict):
            assert "tracking_code" not in entry["raw"]
    reasons = " | ".join(entry["reason"] for entry in quarantined)
    for field in ("tracking_code", "channel", "received_at", "region", "events"):
        assert field in reasons


def test_a_case_whose_only_version_is_invalid_is_not_published(
    registry: Registry, store: Store
) -> None:
    registry.faults.invalid_every = 13
    run(registry, store)
    cases = stored(store)
    truth = registry.truth()
    only_invalid = {
        entry["case_id"]
        for entry in registry.faults.invalid_positions().values()
        if entry["case_id"] not in truth
    }
    assert only_invalid and not only_invalid & set(cases)


def test_notes_are_scrubbed_or_dropped(registry: Registry, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a")
    report = fetch_all(client(registry), store, page_limit=200)
    assert sum(report.redactions.values()) > 0
    notes = [
        event["note"] for case in store.iter_cases() for event in case["events"] if "note" in event
    ]
    assert notes and any("〔已隐去〕" in note for note in notes)
    store.close()
    quiet = Store.open(tmp_path / "b")
    fetch_all(client(registry), quiet, notes_enabled=False, page_limit=200)
    assert not any("note" in e for case in quiet.iter_cases() for e in case["events"])
    quiet.close()


def test_regulations_and_code_lists_are_stored(registry: Registry, store: Store) -> None:
    run(registry, store)
    texts = dict(store.db.execute("SELECT reg_id, text FROM regulations"))
    assert "第三十四条" in texts["xinfang-gongzuo-tiaoli-2022"]
    names = {name for (name,) in store.db.execute("SELECT name FROM code_lists")}
    assert names == {"categories", "channels", "regions", "agencies"}
    regions = json.loads(
        store.db.execute("SELECT items FROM code_lists WHERE name='regions'").fetchone()[0]
    )
    assert any(item["code"] == "330212" for item in regions)
