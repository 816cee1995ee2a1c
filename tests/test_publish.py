"""invoke publish: rsync, S3-compatible storage (moto's server) and a GitHub Pages branch,
each sending only files whose content changed."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from operations.publish import PublishError, publish


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "en").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (folder / "en" / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    (folder / "data.json").write_text('{"n": 1}', encoding="utf-8")
    return folder


def _change(site: Path) -> None:
    (site / "data.json").write_text('{"n": 2}', encoding="utf-8")
    (site / "en" / "index.html").unlink()
    (site / "new.html").write_text("<p>new</p>", encoding="utf-8")


EXPECTED = sorted(["- en/index.html", "+ new.html", "~ data.json"])


FAKE_SSH = """#!/bin/sh
# Called as ssh is, `fake-ssh HOST COMMAND...`: the command runs on this machine,
# so rsync speaks its remote protocol over the pipe as it would over ssh.
shift
exec sh -c "$*"
"""


@pytest.mark.parametrize("remote", [False, True], ids=["local", "remote"])
def test_rsync_sends_only_changes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, remote: bool
) -> None:
    target = tmp_path / "www"
    target.mkdir()
    destination = f"{target}/"
    if remote:
        # A `host:path` target goes through rsync's remote code path, where files
        # sent are itemised `<f` (`>f` is a local copy's); the remote shell is
        # rsync's own setting, RSYNC_RSH, as an operator would set it.
        fake_ssh = tmp_path / "fake-ssh"
        fake_ssh.write_text(FAKE_SSH, encoding="utf-8")
        fake_ssh.chmod(0o755)
        monkeypatch.setenv("RSYNC_RSH", str(fake_ssh))
        destination = f"localhost:{target}/"
    first = publish(site, destination)
    assert sorted(first) == ["+ data.json", "+ en/index.html", "+ index.html"]
    assert publish(site, destination) == []  # nothing changed, nothing sent
    _change(site)
    assert sorted(publish(site, destination, dry_run=True)) == EXPECTED
    assert (target / "en" / "index.html").is_file()  # a dry run sends nothing
    assert sorted(publish(site, destination)) == EXPECTED
    assert (target / "data.json").read_text() == '{"n": 2}' and not (
        target / "en/index.html"
    ).exists()


@pytest.fixture()
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    import boto3

    boto3.client("s3").create_bucket(Bucket="site")
    try:
        yield "s3://site/www"
    finally:
        server.stop()


def test_s3_sends_only_changes(site: Path, s3: str) -> None:
    import boto3

    assert sorted(publish(site, s3)) == ["+ data.json", "+ en/index.html", "+ index.html"]
    assert publish(site, s3) == []
    _change(site)
    assert sorted(publish(site, s3, dry_run=True)) == EXPECTED
    assert sorted(publish(site, s3)) == EXPECTED
    client = boto3.client("s3")
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="site")["Contents"])
    assert keys == ["www/data.json", "www/index.html", "www/new.html"]
    head = client.head_object(Bucket="site", Key="www/index.html")
    assert head["ContentType"] == "text/html"


def test_a_github_pages_branch_gets_only_changes(site: Path, tmp_path: Path) -> None:
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    target = f"git:{remote}#gh-pages"
    assert sorted(publish(site, target)) == ["+ data.json", "+ en/index.html", "+ index.html"]
    assert publish(site, target) == []
    _change(site)
    assert sorted(publish(site, target, dry_run=True)) == EXPECTED
    assert sorted(publish(site, target)) == EXPECTED
    files = subprocess.run(
        ["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert sorted(files) == [".nojekyll", "data.json", "index.html", "new.html"]
    # No earlier build stays in the branch's history for anyone to diff.
    commits = subprocess.run(
        ["git", "-C", str(remote), "rev-list", "gh-pages"], capture_output=True, text=True,
        check=True,
    ).stdout.split()  # fmt: skip
    assert len(commits) == 1


def test_an_unbuilt_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match=r"no index\.html: build the site first"):
        publish(tmp_path, str(tmp_path / "www"))


def test_rsync_is_required_for_an_rsync_target(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PublishError, match="rsync is not installed"):
        publish(site, str(tmp_path / "www"))
