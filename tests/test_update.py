"""invoke update: a failed step never touches the published site; updates never overlap."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_registry import DemoRegistry
from demo_registry import make_server as make_registry
from operations.build import BuildError
from operations.update import EXIT_CHECK, EXIT_RUNNING, UpdateFailed, find_leaks, update
from sunshine.config import Settings, load_settings
from tests.conftest import PRODUCTION_SECRET, base_url, running


@pytest.fixture(scope="module")
def registry() -> Iterator[str]:
    with running(make_registry(DemoRegistry(cases=120, seed=9), "127.0.0.1", 0)) as server:
        yield base_url(server) + "/api/v1"


def _settings(tmp_path: Path, registry_url: str) -> Settings:
    return load_settings(
        registry_url=registry_url,
        registry_token="demo-token",
        var_dir=tmp_path / "var",
        output_dir=tmp_path / "site",
        site_url="https://sunshine.example.org",
        site_secret=PRODUCTION_SECRET,
    )


def _snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, registry: str) -> Settings:
    settings = _settings(tmp_path_factory.mktemp("update"), registry)
    update(settings)
    return settings


def test_an_update_publishes_a_checked_release_with_its_status(published: Settings) -> None:
    output = published.output_path
    assert output.is_symlink() and (output / "index.html").is_file()
    status = json.loads((output / "status.json").read_text("utf-8"))
    assert status["cases"] > 100 and status["data_as_of"] and status["build_id"]
    assert set(status) >= {"built_at", "last_fetch", "version", "quarantined"}
    assert status["regulations"] >= 7 and status["pages"] > 50
    assert status["last_fetch"] <= status["built_at"]  # the fetch's own time, before the build
    assert 'href="https://sunshine.example.org/' in (output / "index.html").read_text("utf-8")


def test_status_says_how_old_the_data_is(published: Settings) -> None:
    from datetime import UTC, datetime, timedelta

    status = json.loads((published.output_path / "status.json").read_text("utf-8"))
    assert status["stale_after"] == published.stale_after == 3
    # The registry's clock is fixed (2026-11-15 12:00), so the judgement is
    # the one its data deserves on the day the update ran.
    built = datetime.fromisoformat(status["built_at"].replace("Z", "+00:00"))
    data_time = datetime.fromisoformat(status["data_as_of"])
    assert data_time.utcoffset() == timedelta(hours=8)
    assert status["stale"] is (built - data_time > timedelta(days=3))
    assert published.data_is_stale(status["data_as_of"], data_time + timedelta(days=3)) is False
    later = data_time + timedelta(days=3, minutes=1)
    assert published.data_is_stale(status["data_as_of"], later) is True
    assert published.data_is_stale(None, datetime.now(UTC)) is True


def test_a_failed_fetch_leaves_the_site_as_it_was(published: Settings, tmp_path: Path) -> None:
    before, target = _snapshot(published.output_path), published.output_path.resolve()
    down = published.model_copy(update={"registry_url": "http://127.0.0.1:9/api/v1"})
    import fetch.client

    fast = fetch.client.RetryPolicy(attempts=1, total_seconds=1.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("fetch.cli.make_client", _client_with(fast))
        with pytest.raises(UpdateFailed) as failed:
            update(down)
    assert failed.value.step == "fetch" and failed.value.code != 0
    assert published.output_path.resolve() == target
    assert _snapshot(published.output_path) == before


def _client_with(policy):  # type: ignore[no-untyped-def]
    from fetch import cli

    real = cli.make_client

    def make(settings, retry=None):  # type: ignore[no-untyped-def]
        return real(settings, retry=policy)

    return make


def test_a_failed_build_leaves_the_site_as_it_was(
    published: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not staff content (a broken piece is held back, tests/test_broken_links.py):
    # a template or a setting that stops Pelican stops the update.
    before = _snapshot(published.output_path)

    def broken_template(*args: object, **kwargs: object) -> str:
        raise BuildError("the site build failed:\nTemplateSyntaxError: page.html:9", "")

    monkeypatch.setattr("operations.update.build_site", broken_template)
    with pytest.raises(UpdateFailed) as failed:
        update(published, fetch=False)
    assert failed.value.step == "build" and "page.html:9" in failed.value.reason
    assert _snapshot(published.output_path) == before
    releases = published.output_path.with_name(published.output_path.name + ".releases")
    assert len(list(releases.iterdir())) == 1  # the failed release was removed


def test_a_failed_check_leaves_the_site_as_it_was(
    published: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(published.output_path)
    monkeypatch.setattr("operations.update.REQUIRED", ("index.html", "no-such-page.html"))
    with pytest.raises(UpdateFailed) as failed:
        update(published, fetch=False)
    assert failed.value.step == "check" and failed.value.code == EXIT_CHECK
    assert "no-such-page.html: missing" in failed.value.reason
    assert _snapshot(published.output_path) == before


def test_the_leak_check_finds_codes_and_case_ids(published: Settings, tmp_path: Path) -> None:
    import sqlite3

    db = sqlite3.connect(published.var_path / "store.sqlite3")
    code, case_id = db.execute("SELECT tracking_code, case_id FROM cases LIMIT 1").fetchone()
    db.close()
    release = tmp_path / "release"
    (release / "a").mkdir(parents=True)
    (release / "a" / "index.html").write_text(f"<p>{code}</p>", encoding="utf-8")
    (release / "b.json").write_text(json.dumps({"id": case_id}), encoding="utf-8")
    (release / "c.html").write_text("<p>nothing here</p>", encoding="utf-8")
    # A valid ID number (check digit computed), as an unscrubbed note would carry.
    body = "11010519491231002"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    (release / "d.csv").write_text(f"note\n联系人身份证{body}{check}\n", encoding="utf-8")
    assert find_leaks(release, published.var_path) == [
        "a/index.html: a query code",
        "b.json: a registry case id",
        "d.csv: an ID or bank card number",
    ]
    assert find_leaks(published.output_path.resolve(), published.var_path) == []


def test_a_second_update_while_one_runs_is_refused_at_once(published: Settings) -> None:
    with (published.var_path / "update.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 1 since now")
        held.flush()
        with pytest.raises(UpdateFailed) as failed:
            update(published)
    assert failed.value.step == "lock" and failed.value.code == EXIT_RUNNING
    assert "already running" in str(failed.value)


def test_a_built_folder_at_the_output_is_kept_to_roll_back_to(tmp_path: Path) -> None:
    from operations.update import _swap

    output, releases = tmp_path / "site", tmp_path / "site.releases"
    output.mkdir()  # what `invoke build` leaves: a real folder, not yet a link
    (output / "index.html").write_text("built by hand", encoding="utf-8")
    first = releases / "20261122T030000Z"
    first.mkdir(parents=True)
    (first / "index.html").write_text("first update", encoding="utf-8")
    _swap(output, first)
    assert output.resolve() == first.resolve()
    kept = releases / "20261122T030000Z-previous"
    assert sorted(p.name for p in releases.iterdir()) == [first.name, kept.name]
    assert (kept / "index.html").read_text("utf-8") == "built by hand"

    second = releases / "20261122T040000Z"
    second.mkdir()
    (second / "index.html").write_text("second update", encoding="utf-8")
    _swap(output, second)
    # Only the new release and the one before it stay.
    assert output.resolve() == second.resolve()
    assert sorted(p.name for p in releases.iterdir()) == [first.name, second.name]
