"""Registry → fetch → store → build, end to end, as `make demo` runs it.

The site built from a fetched store shows the data's freshness and carries no
query code, registry case id or unscrubbed personal data anywhere.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from fetch.cli import dump_store, run_fetch
from operations.demo import demo_codes
from store import Store
from sunshine.config import load_settings
from tests.conftest import build_into
from tests.test_fetch import Registry, registry  # noqa: F401


def test_fetch_then_build(
    registry: Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REGISTRY_URL", registry.url)
    monkeypatch.setenv("SUNSHINE_VAR", str(tmp_path / "var"))
    settings = load_settings()
    out = io.StringIO()
    assert run_fetch(settings, progress=False, out=out) == 0
    assert "fetched" in out.getvalue() and "redactions:" in out.getvalue()
    summary = out.getvalue()
    assert not re.search(r"XF\d{4}-", summary), "a case id in the run summary"

    dump = io.StringIO()
    dump_store(settings, dump)
    lines = dump.getvalue().splitlines()
    assert len(lines) == len(registry.truth())

    codes = demo_codes(settings)
    assert len(codes) == 3 and len({code for _label, code in codes}) == 3

    site = build_into(tmp_path, SUNSHINE_VAR=str(tmp_path / "var"))
    store = Store.open(tmp_path / "var")
    secrets = [
        value
        for row in store.db.execute("SELECT case_id, tracking_code FROM cases")
        for value in row
    ]
    store.close()
    raw_notes = {
        event["note"]
        for position in range(registry.data.feed_length)
        for event in registry.data.item(position).get("events", [])
        if event.get("note") and re.search(r"\d{11}", event["note"])
    }
    assert raw_notes, "the demo data should carry notes with phone or ID numbers"
    for file in site.output.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            compact = text.replace("-", "")
            for secret in secrets:
                assert secret not in text and secret.replace("-", "") not in compact, file
            for note in raw_notes:
                assert note not in text, file
    # The registry's own time for its data (the demo registry's clock), not the fetch's.
    as_of = registry.data.generated_at()[:16].replace("T", " ")
    home = (site.output / "index.html").read_text(encoding="utf-8")
    assert f"数据截至 {as_of}（北京时间）" in home
    english = (site.output / "en/index.html").read_text(encoding="utf-8")
    assert f"Data as of {as_of} (Asia/Shanghai)" in english
