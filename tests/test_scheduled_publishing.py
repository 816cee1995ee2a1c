"""From staff's push to the public site: the next update publishes what was pushed, a piece
dated later appears on the first update from its date, and a failed pull changes nothing."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from operations.build import CONTENT
from operations.update import EXIT_PULL, UpdateFailed, update
from sunshine.cases.calendar import SHANGHAI
from sunshine.config import load_settings
from tests.conftest import PRODUCTION_SECRET

MARGIN = timedelta(seconds=60)
"""How far ahead of the first update the scheduled piece is dated. The updates are
built as of given times (``update(now=...)``), so no test waits for the date."""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.org", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


def piece(slug: str, date: str, words: str) -> dict[str, str]:
    front = f"Slug: {slug}\nDate: {date}\n"
    return {
        f"explainers/{slug}.zh.md": f"Title: 解读{slug}\n{front}Lang: zh\nCategory: 工作动态\n"
        f"Summary: 摘要。\n\n{words}。\n",
        f"explainers/{slug}.en.md": f"Title: Explainer {slug}\n{front}Lang: en\n"
        f"Category: Office news\nSummary: Summary.\n\n{words}.\n",
    }


def test_pushed_pieces_publish_on_the_next_update_and_dated_ones_from_their_date(
    tmp_path: Path, fetched_var: Path
) -> None:
    origin, staff, server = tmp_path / "origin.git", tmp_path / "staff", tmp_path / "server"
    git(tmp_path, "init", "--bare", "--initial-branch=main", str(origin))
    git(tmp_path, "clone", str(origin), str(staff))
    shutil.copytree(CONTENT, staff / "content")
    git(staff, "add", "content")
    git(staff, "commit", "-m", "content")
    git(staff, "push", "origin", "HEAD:main")
    git(tmp_path, "clone", str(origin), str(server))
    shutil.copytree(fetched_var, tmp_path / "var")
    settings = load_settings(
        var_dir=tmp_path / "var",
        output_dir=tmp_path / "site",
        site_url="https://x.example.org",
        site_secret=PRODUCTION_SECRET,
    )

    # Whole seconds, as the piece's date is written: the second update is built as of
    # exactly its date, the first moment it is due.
    now = datetime.now(SHANGHAI).replace(microsecond=0)
    soon = now + MARGIN
    files = {
        **piece("yi-fa-bu", (now - timedelta(days=1)).strftime("%Y-%m-%d"), "Pushedwords"),
        **piece("ding-shi", soon.strftime("%Y-%m-%d %H:%M:%S"), "Scheduledwords"),
    }
    for name, text in files.items():
        (staff / "content" / name).write_text(text, "utf-8")
    git(staff, "add", "content")
    git(staff, "commit", "-m", "two explainers")
    git(staff, "push", "origin", "HEAD:main")

    update(settings, fetch=False, content=server / "content", pull=True, now=now)
    site = settings.output_path
    for lang in ("", "en/"):
        assert "Pushedwords" in (site / lang / "explainers/yi-fa-bu/index.html").read_text("utf-8")
        assert not (site / lang / "explainers/ding-shi").exists()
    assert "ding-shi" not in (site / "feeds/all.atom.xml").read_text("utf-8")

    update(settings, fetch=False, content=server / "content", pull=True, now=soon)
    for lang in ("", "en/"):
        page = site / lang / "explainers/ding-shi/index.html"
        assert "Scheduledwords" in page.read_text("utf-8")
    assert "/explainers/ding-shi/" in (site / "feeds/all.atom.xml").read_text("utf-8")

    # A pull that fails stops the update before anything is built.
    before = (site / "status.json").read_text("utf-8")
    git(server, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(UpdateFailed) as failed:
        update(settings, fetch=False, content=server / "content", pull=True)
    assert failed.value.step == "pull" and failed.value.code == EXIT_PULL
    assert "gone.git" in str(failed.value)
    assert (site / "status.json").read_text("utf-8") == before
