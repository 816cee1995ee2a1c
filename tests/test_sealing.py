"""What a mirror of the published lookup files can learn: nothing that follows a case.

Two builds a day apart (the demo registry's clock moved on, cases added and
changed) share no entry; the site secret alone recognises nothing; every
entry has one size; production refuses a weak secret; the guessing margin is
kept, and the build says when the published count erodes it.
"""

from __future__ import annotations

import hashlib
import hmac
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from demo_registry import DemoRegistry
from demo_registry import make_server as make_registry
from fetch.client import RegistryClient
from fetch.sync import fetch_all
from operations.update import EXIT_SETTINGS, UpdateFailed, update
from store import Store
from sunshine.config import ROOT, ConfigError, load_settings
from sunshine.tracker import sealing
from sunshine.tracker.lookup import lookup
from sunshine.tracker.sealing import (
    CHUNK,
    ENTRY_BYTES,
    HEADER,
    MAGIC,
    TAG_BYTES,
    Sealable,
    bucket_file,
    derive,
    guessing_margin,
    margin_warning,
    open_record,
    plaintext,
    salt_for,
)
from tests.conftest import PRODUCTION_SECRET, base_url, build_into, running


def entries(data: bytes) -> list[bytes]:
    magic, _, count, chunk = HEADER.unpack_from(data)
    assert magic == MAGIC and chunk == CHUNK
    return [data[HEADER.size + i * ENTRY_BYTES :][:ENTRY_BYTES] for i in range(count)]


def bucket_files(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((output / "track/b").glob("*.bin"))}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """Builds of one registry a day apart, each into a fresh folder as `invoke update` does."""
    base = tmp_path_factory.mktemp("two-days")
    demo = DemoRegistry(cases=800, seed=11)
    with running(make_registry(demo, "127.0.0.1", 0)) as server:
        client = RegistryClient(base_url(server) + "/api/v1", "demo-token", requests.Session())
        store = Store.open(base / "var")
        fetch_all(client, store)
        store.close()
        build_into(base / "day1", var_from=base / "var")
        demo.advance(hours=24, changes=60)
        store = Store.open(base / "day1" / "var")
        fetch_all(client, store)
        codes = dict(store.db.execute("SELECT case_id, tracking_code FROM cases"))
        store.close()
    shutil.copytree(base / "day1" / "var", base / "day2" / "var")
    build_into(base / "day2")
    return base / "day1" / "output", base / "day2" / "output", codes


def test_two_builds_a_day_apart_share_no_entry(two_days: tuple[Path, Path, dict[str, str]]) -> None:
    first, second = bucket_files(two_days[0]), bucket_files(two_days[1])
    assert first.keys() == second.keys()  # the same bucket count: only contents moved on
    changed = [name for name in second if second[name] != first[name]]
    assert len(changed) >= len(second) // 2  # a day of changes touches most buckets here
    before = {entry for data in first.values() for entry in entries(data)}
    before_tags = {entry[:TAG_BYTES] for entry in before}
    for name in changed:
        for entry in entries(second[name]):
            assert entry not in before, f"{name}: an entry survived its bucket's rewrite"
            assert entry[:TAG_BYTES] not in before_tags, f"{name}: a tag survived"
    # Whatever did not change is byte for byte the same, so a sync sends nothing for it.
    assert all(second[name] == first[name] for name in second if name not in changed)


def test_every_case_opens_in_the_later_build(two_days: tuple[Path, Path, dict[str, str]]) -> None:
    _, second, codes = two_days
    for code in list(codes.values())[::25]:
        assert "status" in lookup(second, code), code


def test_every_entry_has_one_size(two_days: tuple[Path, Path, dict[str, str]]) -> None:
    for data in bucket_files(two_days[1]).values():
        _, _, count, chunk = HEADER.unpack_from(data)
        assert chunk == CHUNK
        # Nothing but whole entries and zero padding: no length field per record.
        assert data[HEADER.size + count * ENTRY_BYTES :].strip(b"\0") == b""


def test_the_site_secret_alone_recognises_no_record(
    two_days: tuple[Path, Path, dict[str, str]],
) -> None:
    """The first release's nonce was HMAC(site secret, tag | plaintext): knowing the
    secret and guessing a record's few fields recognised it. Replay that attack with
    the true plaintexts from the store, the best guess there can be."""
    secret = load_settings().site_secret.get_secret_value().encode()
    output = two_days[1]
    store = Store.open(output.parent / "var")
    plains = [plain for (plain,) in store.db.execute("SELECT plain FROM tracker_records LIMIT 60")]
    store.close()
    files = bucket_files(output)
    for data in list(files.values())[:4]:
        epoch = data[4:20]
        for entry in entries(data):
            tag, body = entry[:TAG_BYTES], entry[TAG_BYTES:]
            for plain in plains:
                for message in (tag + plain, epoch + plain, tag + plain[:CHUNK]):
                    mac = hmac.new(secret, message, hashlib.sha256).digest()
                    assert mac[:12] not in body and mac[:8] != tag


def test_sealing_takes_nothing_but_the_cases() -> None:
    """The same cases give the same bytes (deterministic), and only a code opens them."""
    salt = salt_for("any secret at all")
    record = {
        "v": 1,
        "events": [
            {"note": f"第{i}次：{hashlib.sha256(bytes([i])).hexdigest()}"} for i in range(9)
        ],
    }
    code = "K7Q2-9MXD-P4TR-ZH3Z"
    item = Sealable.of(derive(code, salt, 256).to_bytes(), plaintext(record))
    others = [
        Sealable.of(derive(f"{i:04d}-0000-0000-0000", salt, 256).to_bytes(), plaintext({"n": i}))
        for i in range(20)
    ]
    data = bucket_file([item, *others], 0, 1)
    assert data == bucket_file([*others, item], 0, 1)
    assert len(item.plain) > CHUNK  # this record takes several entries
    assert open_record(data, derive(code, salt, 256)) == record
    assert open_record(data, derive("0000-0000-0000-0001", salt, 256)) is None


def test_the_guessing_margin_holds_at_ten_million_cases_by_default() -> None:
    iterations = load_settings().kdf_iterations
    assert guessing_margin(10_000_000, iterations) >= 64
    assert margin_warning(10_000_000, iterations) is None


def test_a_count_that_erodes_the_margin_is_named_with_the_fix() -> None:
    warning = margin_warning(40_000_000, 4096)
    assert warning is not None and "SUNSHINE_KDF_ITERATIONS" in warning
    needed = int(warning.split("at least ")[1].split()[0])
    assert guessing_margin(40_000_000, needed) >= 64 > guessing_margin(40_000_000, needed - 1)


def test_the_build_prints_the_margin_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fetched_var: Path
) -> None:
    """Printed by the tracker's collect step (a logged warning would stop the build)."""
    from plugins.tracker import _initialized

    var = Path(str(fetched_var) + "-margin")
    shutil.copytree(fetched_var, var, dirs_exist_ok=True)
    settings = load_settings(var_dir=var, kdf_iterations=256)
    monkeypatch.setattr(sealing, "MARGIN_BITS", 80)  # as if this store held millions
    _initialized(type("Pelican", (), {"settings": {"SUNSHINE": settings, "DEFAULT_LANG": "zh"}}))
    assert "SUNSHINE_KDF_ITERATIONS" in capsys.readouterr().out
    monkeypatch.setattr(sealing, "MARGIN_BITS", 64)
    _initialized(type("Pelican", (), {"settings": {"SUNSHINE": settings, "DEFAULT_LANG": "zh"}}))
    assert "SUNSHINE_KDF_ITERATIONS" not in capsys.readouterr().out


@pytest.mark.parametrize("secret", ["demo-site-secret", "abcdefgh12", "passwordpasswordpassword"])
def test_production_refuses_the_default_or_a_weak_secret(secret: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SUNSHINE_SITE_SECRET"):
        load_settings(production=True, site_secret=secret)
    settings = load_settings(var_dir=tmp_path / "var", output_dir=tmp_path / "site")
    settings = settings.model_copy(update={"site_secret": type(settings.site_secret)(secret)})
    with pytest.raises(UpdateFailed) as failed:
        update(settings, fetch=False)
    assert failed.value.code == EXIT_SETTINGS and "SUNSHINE_SITE_SECRET" in str(failed.value)
    assert not (tmp_path / "site").exists() and not (tmp_path / "var").exists()


def test_production_takes_a_random_secret() -> None:
    assert load_settings(production=True, site_secret=PRODUCTION_SECRET).production


def test_a_production_build_refuses_the_default_secret(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SUNSHINE_VAR": str(tmp_path / "var"),
        "SUNSHINE_OUTPUT": str(tmp_path / "out"),
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "invoke"), "build", "--production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "SUNSHINE_SITE_SECRET" in done.stderr and "secrets.token_hex" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_fresh_folder_takes_only_still_right_buckets_from_the_published_site(
    two_days: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """`invoke update` builds into a fresh folder, naming the published one: a bucket
    whose epoch did not move is copied from it, the others are sealed afresh."""
    from plugins.tracker.write import write_files

    first, second, _ = two_days
    settings = load_settings(var_dir=second.parent / "var")
    done = write_files(settings, str(tmp_path / "same-day"), str(second))
    assert done["sealed"] == 0
    assert bucket_files(tmp_path / "same-day") == bucket_files(second)
    done = write_files(settings, str(tmp_path / "next-day"), str(first))
    moved = [
        name for name, data in bucket_files(second).items() if bucket_files(first)[name] != data
    ]
    assert done["sealed"] == len(moved) > 0
    assert bucket_files(tmp_path / "next-day") == bucket_files(second)
