"""A broken link in a staff piece: named with file and line by every check, and never
a reason for case data to go unpublished (``invoke update`` holds the piece back)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_registry import DemoRegistry
from demo_registry import make_server as make_registry
from operations.build import CONTENT, BuildError, build_site
from operations.preview import rebuilder
from operations.site_checks import check_site
from operations.update import update
from sunshine.config import ROOT, load_settings
from sunshine.content.content_checks import check_content
from sunshine.regulations.collection import load
from tests.conftest import PRODUCTION_SECRET, base_url, running

BROKEN = {
    "/guides/nope/": "没有办事指南“nope”",
    "{filename}nope.zh.md": "找不到文件“nope.zh.md”",
    "/regulations/xinfang-gongzuo-tiaoli-2022/#art-999": "里没有“art-999”",
    "/nopage/": "本站没有这个网址的网页",
}
GOOD = (
    "[期限]({filename}time-limits.zh.md) [关于](/about/) [英文](/en/guides/time-limits/) "
    "[条文](/regulations/xinfang-gongzuo-tiaoli-2022/#art-35) [查询](/track/) "
    "[外站](https://example.org/x) `[代码](/guides/nope/)`"
)


def _with_links(content: Path, links: str) -> Path:
    shutil.copytree(CONTENT, content)
    piece = content / "guides" / "time-limits.zh.md"
    piece.write_text(piece.read_text("utf-8") + f"\n{links}\n", encoding="utf-8")
    return piece


def _line_of(piece: Path, text: str) -> int:
    return next(
        n for n, line in enumerate(piece.read_text("utf-8").splitlines(), 1) if text in line
    )


def test_check_content_names_each_broken_link_with_file_and_line(
    tmp_path: Path, fetched_var: Path
) -> None:
    links = "\n\n".join(f"[坏]({href})" for href in BROKEN)
    piece = _with_links(tmp_path / "content", f"{GOOD}\n\n{links}")
    problems = [
        str(p) for p in check_content(piece.parents[1], regulations=load(fetched_var)).problems
    ]
    assert len(problems) == len(BROKEN), problems
    for href, reason in BROKEN.items():
        line = _line_of(piece, f"[坏]({href})")
        where = f"content/guides/time-limits.zh.md:{line}: 链接“{href}”无效"
        assert any(p.startswith(where) and reason in p for p in problems), (href, problems)


def test_invoke_check_content_prints_the_broken_link_and_exits_1(
    tmp_path: Path, fetched_var: Path
) -> None:
    piece = _with_links(tmp_path / "content", "见 [坏链接](/guides/nope/)。")
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "check-content", "--content", str(piece.parents[1])],
        cwd=ROOT,
        env={**os.environ, "SUNSHINE_VAR": str(fetched_var)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    line = _line_of(piece, "nope")
    assert (
        f"content/guides/time-limits.zh.md:{line}: 链接“/guides/nope/”无效：没有办事指南“nope”"
        in done.stdout.splitlines()
    )


def test_the_build_and_the_preview_stop_on_a_broken_link_naming_file_and_line(
    tmp_path: Path, fetched_var: Path
) -> None:
    piece = _with_links(tmp_path / "content", "见 [坏链接](/guides/nope/)。")
    where = f"content/guides/time-limits.zh.md:{_line_of(piece, 'nope')}: 链接“/guides/nope/”无效"
    env = {"SUNSHINE_OUTPUT": str(tmp_path / "out"), "SUNSHINE_VAR": str(fetched_var)}
    with pytest.raises(BuildError) as failed:
        build_site(env=env, content=piece.parents[1])
    assert where in failed.value.summary

    said: list[str] = []
    settings = load_settings(var_dir=tmp_path / "var", output_dir=tmp_path / "out")
    shutil.copytree(fetched_var, tmp_path / "var")
    assert rebuilder(settings, piece.parents[1], said.append)() is False
    assert where in said[0]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[DemoRegistry, str]]:
    registry = DemoRegistry(cases=120, seed=13)
    with running(make_registry(registry, "127.0.0.1", 0)) as server:
        yield registry, base_url(server) + "/api/v1"


def test_an_update_with_a_broken_piece_still_publishes_new_case_data(
    tmp_path: Path, demo: tuple[DemoRegistry, str]
) -> None:
    registry, url = demo
    settings = load_settings(
        registry_url=url,
        registry_token="demo-token",
        var_dir=tmp_path / "var",
        output_dir=tmp_path / "site",
        site_url="https://sunshine.example.org",
        site_secret=PRODUCTION_SECRET,
    )
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    first = update(settings, content=content)
    assert first.held_back == ()
    before = json.loads((settings.output_path / "status.json").read_text("utf-8"))
    guide = settings.output_path / "guides" / "time-limits" / "index.html"
    good_guide = guide.read_text("utf-8")

    # A day later the registry has news, and staff have broken a published guide
    # and written a new piece with a broken link.
    registry.advance(hours=24, changes=40)
    edited = content / "guides" / "time-limits.zh.md"
    edited.write_text(
        edited.read_text("utf-8") + "\n新增的一段，见 [坏](/guides/nope/)。\n", encoding="utf-8"
    )
    # A link into a section written from code: only the built site shows it broken.
    english = content / "guides" / "time-limits.en.md"
    english.write_text(
        english.read_text("utf-8") + "\nSee [the figures](/en/statistics/nope/).\n", "utf-8"
    )
    (content / "guides" / "fresh.zh.md").write_text(
        "Title: 新指南\nSlug: fresh\nLang: zh\nSummary: 新的。\n\n"
        "见 [坏]({filename}missing.zh.md)。\n",
        encoding="utf-8",
    )
    done = update(settings, content=content)

    status = json.loads((settings.output_path / "status.json").read_text("utf-8"))
    assert status["build_id"] == done.build_id != before["build_id"]
    assert status["data_as_of"] > before["data_as_of"]  # the new case data is out
    held = {h["file"]: h["problems"] for h in status["held_back"]}
    fresh = "content/guides/fresh.zh.md"
    english_path = "content/guides/time-limits.en.md"
    assert set(held) == {"content/guides/time-limits.zh.md", english_path, fresh}
    assert any("/en/statistics/nope/" in p for p in held[english_path])
    assert "the figures" not in (
        settings.output_path / "en" / "guides" / "time-limits" / "index.html"
    ).read_text("utf-8")
    assert "链接“/guides/nope/”无效" in held["content/guides/time-limits.zh.md"][0]
    assert ["链接“{filename}missing.zh.md”无效" in p for p in held[fresh]] == [True]
    assert {h.file for h in done.held_back} == set(held)
    # The broken guide stays as last published; the new piece is not published at all.
    assert "新增的一段" not in guide.read_text("utf-8")
    assert "信访事项各步骤的期限" in guide.read_text("utf-8") and "新增的一段" not in good_guide
    assert not (settings.output_path / "guides" / "fresh").exists()
    assert check_site(settings.output_path.resolve(), origin=settings.site_url) == []
    # Staff's own folder is untouched: the fix is theirs to make.
    assert "新增的一段" in edited.read_text("utf-8")
