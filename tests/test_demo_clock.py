"""`make demo` serves its registry as of the current time, so the demo never looks stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from demo_registry import DemoRegistry
from demo_registry.data import DEFAULT_NOW
from operations.demo import start_demo_registry
from sunshine.config import load_settings
from tests.conftest import base_url


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_registry_runs_as_of_now(tmp_path: Path) -> None:
    port = _free_port()
    settings = load_settings(
        registry_url=f"http://127.0.0.1:{port}/api/v1", var_dir=tmp_path / "var"
    )
    before = datetime.now(UTC)
    server = start_demo_registry(settings, cases=40)
    try:
        registry = server.registry
        assert before - timedelta(seconds=1) <= registry.now <= datetime.now(UTC)
        # What a fetch records as the data's time is that clock too.
        answer = requests.get(
            base_url(server) + "/api/v1/cases?limit=1",
            headers={"Authorization": "Bearer demo-token"},
            timeout=10,
        )
        generated = datetime.fromisoformat(answer.json()["generated_at"])
        assert abs(generated - before) < timedelta(minutes=5)
    finally:
        server.shutdown()
        server.server_close()


def test_a_registry_built_by_hand_keeps_its_fixed_clock() -> None:
    # Tests rely on it: the same data, as of the same day, whenever they run.
    assert DemoRegistry(cases=5).now == DEFAULT_NOW
    assert datetime(2026, 11, 15, 4, 0, tzinfo=UTC) == DEFAULT_NOW
