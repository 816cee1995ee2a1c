"""Publishing the built site (``invoke publish TARGET``), sending only what changed.

Targets, by the form of ``TARGET``:

- ``s3://bucket/prefix``: S3-compatible object storage (boto3; the endpoint
  from ``AWS_ENDPOINT_URL``, credentials from the usual ``AWS_*`` variables).
  A file is uploaded when the stored object's MD5 (its ETag: objects are put in
  one part) differs or it is missing; objects under the prefix with no file
  are deleted. Content types are set from the file names.
- ``git:REPOSITORY[#BRANCH]``: a GitHub Pages branch (``gh-pages`` unless
  given). ghp-import commits the folder as the branch's whole tree, as one
  commit without parents, and force-pushes: the branch never keeps an earlier
  build. git sends only objects the remote lacks, so unchanged files cost nothing.
- anything else: an rsync destination (``/srv/www/``, ``host:/srv/www/``),
  Pelican's convention; ``--checksum`` so that content, not times, decides,
  ``--delete`` so that removed pages go.

Each returns the list of changes (``+ path`` new, ``~ path`` changed,
``- path`` removed); ``dry_run`` lists them without sending anything.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sunshine.errors import SunshineError

__all__ = ["PublishError", "publish"]


class PublishError(SunshineError):
    """Publishing failed; the message names the target and the reason."""


def _files(site: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path.relative_to(site).as_posix(), path


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def _s3(site: Path, target: str, dry_run: bool) -> list[str]:
    import boto3

    bucket, _, prefix = target.removeprefix("s3://").partition("/")
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    client = boto3.client("s3")
    remote: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            remote[item["Key"][len(prefix) :]] = item["ETag"].strip('"')
    changes = []
    for name, path in _files(site):
        etag = remote.pop(name, None)
        if etag == _md5(path):
            continue
        changes.append(f"{'~' if etag else '+'} {name}")
        if not dry_run:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            with path.open("rb") as body:
                client.put_object(Bucket=bucket, Key=prefix + name, Body=body, ContentType=kind)
    for name in sorted(remote):
        changes.append(f"- {name}")
        if not dry_run:
            client.delete_object(Bucket=bucket, Key=prefix + name)
    return changes


def _git(site: Path, target: str, dry_run: bool) -> list[str]:
    repository, _, branch = target.removeprefix("git:").partition("#")
    branch = branch or "gh-pages"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run = _runner(target)
        run(["git", "init", "-q", str(work)])
        # The published tree is fetched under a ref of its own, only to compare: the
        # new commit must not take it as its parent (see below).
        published = f"refs/published/{branch}"
        fetched = subprocess.run(
            ["git", "-C", str(work), "fetch", "-q", repository, f"{branch}:{published}"],
            capture_output=True,
            text=True,
        )
        before: dict[str, str] = {}
        if fetched.returncode == 0:
            listing = run(["git", "-C", str(work), "ls-tree", "-r", published])
            for line in listing.splitlines():
                meta, name = line.split("\t", 1)
                if name != ".nojekyll":  # ghp-import's own marker, not a page
                    before[name] = meta.split()[2]
        after = {
            name: run(["git", "-C", str(work), "hash-object", str(path)]).strip()
            for name, path in _files(site)
        }
        changes = [f"{'~' if n in before else '+'} {n}" for n in after if before.get(n) != after[n]]
        changes += [f"- {n}" for n in sorted(before) if n not in after]
        if changes and not dry_run:
            import ghp_import

            run(["git", "-C", str(work), "config", "user.name", "Sunshine publisher"])
            run(["git", "-C", str(work), "config", "user.email", "publisher@localhost"])
            run(["git", "-C", str(work), "remote", "add", "origin", repository])
            # ghp-import runs git in the current folder: point it at the work tree.
            env_cwd = Path.cwd()
            try:
                os.chdir(work)
                # One parentless commit, force-pushed: the branch keeps no earlier
                # build, so its history cannot be diffed to follow a case (a host may
                # still hold unreachable objects until it collects them).
                ghp_import.ghp_import(
                    str(site.resolve()), mesg="Publish the site", branch=branch, push=True,
                    remote="origin", nojekyll=True, force=True, no_history=True,
                )  # fmt: skip
            except ghp_import.GhpError as error:
                raise PublishError(f"{target}: {error.message}") from error
            finally:
                os.chdir(env_cwd)
        return changes


def _runner(target: str):  # type: ignore[no-untyped-def]
    def run(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise PublishError(f"{target}: {' '.join(command[:3])} failed: {done.stderr.strip()}")
        return done.stdout

    return run


def _rsync(site: Path, target: str, dry_run: bool) -> list[str]:
    if shutil.which("rsync") is None:
        raise PublishError(f"{target}: rsync is not installed")
    command = ["rsync", "-r", "--checksum", "--delete", "--itemize-changes"]
    command += ["--dry-run"] if dry_run else []
    out = _runner(target)([*command, f"{site}/", target])
    changes = []
    for line in out.splitlines():
        flags, _, name = line.partition(" ")
        if line.startswith("*deleting"):
            changes.append(f"- {line.split(None, 1)[1]}")
        # A file transferred: `<f` sent to a remote host, `>f` received (a local
        # copy is itemised as received).
        elif flags.startswith(("<f", ">f")) and name:
            changes.append(f"{'+' if '+++' in flags else '~'} {name}")
    return changes


def publish(site: Path, target: str, *, dry_run: bool = False) -> list[str]:
    """Send ``site`` to ``target``; the changes (sent, or that would be with ``dry_run``)."""
    site = site.resolve()
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} has no index.html: build the site first")
    if target.startswith("s3://"):
        return _s3(site, target, dry_run)
    if target.startswith("git:"):
        return _git(site, target, dry_run)
    return _rsync(site, target, dry_run)
