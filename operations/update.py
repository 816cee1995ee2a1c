"""One unattended update: fetch, build into a fresh folder, check it, swap it in.

Steps, each of which stops the update with :class:`UpdateFailed` naming the
step and the reason, leaving the published site exactly as it was:

0. **settings**: a production site needs a random site secret of at least 128
   bits (:func:`sunshine.config.weak_secret`); the default or a short one is
   refused before anything else (:data:`EXIT_SETTINGS`).
1. **lock**: ``update.lock`` in the state folder, held with ``flock`` for the
   whole run; a second update exits at once (:data:`EXIT_RUNNING`). The lock
   dies with its process, so a killed run never blocks the next.
2. **pull** (with ``--pull`` only): ``git pull --ff-only`` in the repository
   that holds ``content/``, so what staff pushed is in this build
   (:data:`EXIT_PULL`).
3. **fetch** from the registry into the store (:func:`fetch.cli.run_fetch`).
4. **build** with the production settings into a fresh release folder beside
   the published one (``<output>.releases/<build id>/``). A staff piece with a
   problem ``invoke check-content`` reports (a broken link, a citation of an
   article that does not exist) does not stop the update: case data must not
   wait for a typo. The piece is held back: the build reads a copy of
   ``content/`` in which it is replaced by its last published version (kept in
   ``<state folder>/published-content/`` by each update that published) or,
   without one, left out. A piece whose page step 5 finds linking nowhere is
   held back the same way, and the site built once more. ``status.json`` and
   the output name each piece held back with its problems.
5. **check** the new folder: every internal link and fragment resolves, the
   required pages exist, and no query code, registry case id or note text
   from the store appears in any text file (the bucket files are sealed and
   not text).
6. **swap**: the published path ``<output>`` is a symbolic link to the
   current release; a new link is made beside it and renamed over it, which
   is atomic. A real folder found at ``<output>`` (from ``invoke build``) is
   moved into the releases first and counts as the one replaced. Releases
   other than the new one and the one it replaced are removed.

``status.json`` in each release says when the data and the build last
succeeded, the data time, counts, the build id and the code's version.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from fetch.scrub import scrub
from operations.build import CONTENT, PRODUCTION, BuildError, build_site
from operations.site_checks import Problem as SiteProblem
from operations.site_checks import check_site
from store import STORE_FILE, Store
from store.cases import codes_ids_and_data, quarantine_count
from store.reference import regulation_count
from sunshine.cases import query_code
from sunshine.config import ROOT, Settings, environment, weak_secret
from sunshine.errors import SunshineError

__all__ = [
    "EXIT_CHECK",
    "EXIT_PULL",
    "EXIT_RUNNING",
    "EXIT_SETTINGS",
    "LAST_GOOD",
    "REQUIRED",
    "HeldBack",
    "UpdateFailed",
    "find_leaks",
    "update",
]

EXIT_BUILD, EXIT_CHECK, EXIT_SWAP, EXIT_PULL, EXIT_RUNNING, EXIT_SETTINGS = 10, 11, 12, 13, 75, 78
"""Exit codes of ``invoke update`` besides the fetch's own (see docs/deploy.md)."""
REQUIRED = (
    "index.html",
    "en/index.html",
    "track/index.html",
    "track/names.json",
    "search/index.html",
    "search/index/meta.json",
    "statistics/index.html",
    "regulations/index.html",
    "data/index.html",
    "404.html",
)
"""Pages without which a release is not published."""
_TEXT_SUFFIXES = {".html", ".json", ".csv", ".xml", ".txt", ".js", ".svg"}
_CODE = re.compile(query_code.SHAPE)


class UpdateFailed(SunshineError):
    """An update step failed; ``step`` names it, ``code`` is the exit code."""

    def __init__(self, step: str, reason: str, code: int) -> None:
        super().__init__(f"update failed at {step}: {reason}")
        self.step, self.reason, self.code = step, reason, code


@dataclass(frozen=True)
class Updated:
    build_id: str
    release: Path
    seconds: float
    held_back: tuple[HeldBack, ...] = ()


@dataclass(frozen=True)
class HeldBack:
    """A staff piece this release does not publish as written, and why."""

    file: str
    problems: tuple[str, ...]
    replaced_by: str
    """``last published version`` or ``nothing``."""

    def __str__(self) -> str:
        return f"held back {self.file} (published: {self.replaced_by}): " + "; ".join(
            problem.removeprefix(f"{self.file}:") for problem in self.problems
        )


LAST_GOOD = "published-content"
"""The state folder's copy of the content the published release was built from."""
_MAX_ROUNDS = 5
"""Holding a piece back can break another (a link to it); each round settles more."""


def _content_problems(content: Path, var_dir: Path) -> dict[str, list[str]]:
    """``invoke check-content``'s problems, by file (as ``content/guides/x.zh.md``)."""
    from sunshine.content.content_checks import check_content
    from sunshine.regulations.collection import load
    from sunshine.statistics.indicators import INDICATORS

    load.cache_clear()  # the fetch of this run may have brought other regulations
    report = check_content(content, regulations=load(var_dir), figures=set(INDICATORS))
    found: dict[str, list[str]] = {}
    for problem in report.problems:
        found.setdefault(problem.path, []).append(str(problem))  # with its line
    return found


def _hold_back(
    content: Path, var_dir: Path, work: Path, found: dict[str, list[str]] | None = None
) -> tuple[Path, list[HeldBack]]:
    """The content to build from: ``content`` itself when it has no problem, else a
    copy under ``work`` with each broken piece replaced by its last published
    version or removed. ``found`` adds problems the site check saw in a piece's
    page. Raises :class:`UpdateFailed` when a problem is not in a piece (nothing
    to hold back) or does not settle."""
    problems = _content_problems(content, var_dir)
    for name, messages in (found or {}).items():
        problems.setdefault(name, []).extend(messages)
    if not problems:
        return content, []
    copy = work / content.name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(content, copy)
    last_good = var_dir / LAST_GOOD
    held: dict[str, HeldBack] = {}
    for _ in range(_MAX_ROUNDS):
        for name, messages in problems.items():
            relative = Path(name).relative_to(content.name)
            if relative.suffix != ".md" or not (copy / relative).is_file():
                raise UpdateFailed("build", messages[0], EXIT_BUILD)
            previous = last_good / relative
            # A last good version that is itself broken now (it links to a piece
            # held back, say) goes too: nothing broken is published.
            reuse = name not in held and previous.is_file()
            if reuse:
                shutil.copy2(previous, copy / relative)
            else:
                (copy / relative).unlink()
            first = held.get(name)
            held[name] = HeldBack(
                name,
                first.problems if first else tuple(messages),
                "last published version" if reuse else "nothing",
            )
        problems = _content_problems(copy, var_dir)
        if not problems:
            return copy, sorted(held.values(), key=lambda h: h.file)
    shown = "; ".join(m[0] for m in problems.values())
    raise UpdateFailed("build", f"content problems remain after holding back: {shown}", EXIT_BUILD)


def _pieces_with_broken_pages(broken: list[SiteProblem], content: Path) -> dict[str, list[str]]:
    """The pieces whose own page links nowhere, with the links: what the content check
    could not tell (a link into a section the build writes from code, such as
    ``/statistics/…``). A problem on any other page is not a piece's to hold back."""
    from sunshine.content.content_checks import check_content

    pieces = {
        (p.folder.name, p.lang, p.slug): p.path for p in check_content(content).pieces if p.slug
    }
    found: dict[str, list[str]] = {}
    for problem in broken:
        lang, rel = (
            ("en", problem.file[3:]) if problem.file.startswith("en/") else ("zh", problem.file)
        )
        parts = rel.removesuffix("index.html").strip("/").split("/")
        if not rel.endswith("index.html") or len(parts) > 2:
            continue
        folder = parts[0] if len(parts) == 2 else "pages"
        if path := pieces.get((folder, lang, parts[-1])):
            found.setdefault(path, []).append(
                f"{path}: broken link '{problem.url}' on its page: {problem.reason}"
            )
    return found


def _keep_last_good(built_from: Path, var_dir: Path) -> None:
    """Keep the content this release was built from, for the next update to fall back on."""
    target = var_dir / LAST_GOOD
    fresh = var_dir / f"{LAST_GOOD}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(built_from, fresh)
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)


@contextmanager
def _lock(var_dir: Path) -> Iterator[None]:
    var_dir.mkdir(parents=True, exist_ok=True)
    with (var_dir / "update.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            held = handle.read().strip() or "another process"
            raise UpdateFailed(
                "lock", f"an update is already running ({held})", EXIT_RUNNING
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}")
        handle.flush()
        yield


def find_leaks(release: Path, var_dir: Path) -> list[str]:
    """Text files of ``release`` holding a query code, a case id, a note from the store,
    or an ID or bank card number."""
    codes: set[str] = set()
    ids: set[str] = set()
    notes: set[str] = set()
    store = Store.open(var_dir)
    try:  # one pass over the cases; parsing each one's JSON is most of the time
        for code, case_id, data in codes_ids_and_data(store):
            codes.add(code)
            ids.add(case_id)
            for event in json.loads(data).get("events") or []:
                if len(note := str(event.get("note") or "")) >= 12:
                    notes.add(note.strip())
    finally:
        store.close()
    id_shapes = {re.sub(r"\d", "0", i) for i in ids}
    id_pattern = re.compile("|".join(re.escape(s).replace("0", r"\d") for s in id_shapes) or "(?!)")
    leaks = []
    for file in sorted(release.rglob("*")):
        if file.suffix not in _TEXT_SUFFIXES or not file.is_file():
            continue
        text = file.read_text("utf-8", errors="replace")
        name = file.relative_to(release).as_posix()
        if any(m in codes for m in _CODE.findall(text)):
            leaks.append(f"{name}: a query code")
        if any(m in ids for m in id_pattern.findall(text)):
            leaks.append(f"{name}: a registry case id")
        if notes and any(note in text for note in notes):
            leaks.append(f"{name}: a note's text")
        # An unscrubbed note would show as personal data the scrubber recognises
        # for sure (numbers with a valid check digit); its name and address
        # rules need context and would flag the guides' own wording.
        found = scrub(text).counts
        if found.get("id_number") or found.get("bank_card"):
            leaks.append(f"{name}: an ID or bank card number")
    return leaks


def _status(settings: Settings, build_id: str, fetched: str, release: Path) -> dict[str, object]:
    pages = sum(1 for _ in release.rglob("index.html"))
    store = Store.open(settings.var_path)
    try:
        cases = store.case_count()
        data_as_of = store.state("data_as_of")
        regulations = regulation_count(store)
        quarantined = quarantine_count(store)
    finally:
        store.close()
    version = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "build_id": build_id,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "last_fetch": fetched,
        "data_as_of": data_as_of,
        # The judgement the pages make in the browser, as of this update: a
        # monitor can alert on it without loading a page.
        "stale_after": settings.stale_after,
        "stale": settings.data_is_stale(data_as_of, datetime.now(UTC)),
        "cases": cases,
        "regulations": regulations,
        "quarantined": quarantined,
        "pages": pages,
        "version": version or "unknown",
    }


def _swap(output: Path, release: Path) -> None:
    releases = release.parent
    previous = output.resolve() if output.is_symlink() else None
    if output.exists() and not output.is_symlink():
        # A folder from `invoke build`: kept as the release before this one, the
        # one to roll back to, so nothing is lost.
        previous = releases / f"{release.name}-previous"
        output.rename(previous)
    link = output.with_name(f".{output.name}.{release.name}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(
        release.relative_to(output.parent) if release.is_relative_to(output.parent) else release
    )
    os.replace(link, output)  # atomic: readers see the old release or the new one
    keep = {release.name, previous.name if previous else ""}
    for old in releases.iterdir():
        if old.name not in keep and old.is_dir():
            shutil.rmtree(old)


def _pull(content: Path) -> None:
    done = subprocess.run(
        ["git", "-C", str(content), "pull", "--ff-only", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        # git's first "fatal:" or "error:" line says what; the lines after it are advice.
        said = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
        raise UpdateFailed("pull", said[0] if said else "git pull failed", EXIT_PULL)


def update(
    settings: Settings,
    *,
    fetch: bool = True,
    progress: bool = False,
    content: Path = CONTENT,
    pull: bool = False,
    now: datetime | None = None,
) -> Updated:
    """Run every step; raise :class:`UpdateFailed` at the first that fails.

    ``content`` is the staff's Markdown folder (the project's ``content/``);
    ``pull`` brings its repository up to date first. ``now`` builds as of that
    time instead of the clock's (the Pelican setting ``SUNSHINE_NOW``): what is
    dated later is left out, what is dated on or before it is published.
    """
    from fetch.cli import run_fetch

    started = time.perf_counter()
    # What is published is production, whatever the settings say: refuse a secret
    # that would put every petitioner's record behind a shared or guessable salt.
    problem = weak_secret(settings.site_secret.get_secret_value())
    if problem:
        raise UpdateFailed("settings", problem, EXIT_SETTINGS)
    output = settings.output_path
    with _lock(settings.var_path):
        if pull:
            _pull(content)
        fetched = "not in this run"
        if fetch:
            log = StringIO()
            code = run_fetch(settings, progress=progress, out=log)
            if code != 0:
                raise UpdateFailed("fetch", "the registry fetch failed (see above)", code)
            fetched = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if not (settings.var_path / STORE_FILE).is_file():
            raise UpdateFailed("fetch", "there is no store yet: run a fetch first", EXIT_BUILD)
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        releases = output.with_name(f"{output.name}.releases")
        release = releases / build_id
        releases.mkdir(parents=True, exist_ok=True)
        work = settings.var_path / "held-back"
        built_from, held = _hold_back(content, settings.var_path, work)
        try:
            env = {
                **environment(settings),
                "SUNSHINE_OUTPUT": str(release),
                "SUNSHINE_PRODUCTION": "true",
            }
            published = output.resolve() if output.is_dir() else None
            extra = {
                "SUNSHINE_PREVIOUS_OUTPUT": str(published) if published else None,
                "SUNSHINE_NOW": now.isoformat() if now else None,
            }
            build_site(PRODUCTION, env=env, content=built_from, extra=extra)
            broken = check_site(release, origin=settings.site_url)
            # A piece whose page links nowhere is held back too, and the site built
            # once more; what is still broken then fails the check below.
            if found := _pieces_with_broken_pages(broken, built_from):
                shutil.rmtree(release, ignore_errors=True)
                built_from, held = _hold_back(content, settings.var_path, work, found)
                build_site(PRODUCTION, env=env, content=built_from, extra=extra)
                broken = check_site(release, origin=settings.site_url)
        except BuildError as error:
            shutil.rmtree(release, ignore_errors=True)
            raise UpdateFailed("build", error.args[0], EXIT_BUILD) from error
        problems = [str(p) for p in broken]
        problems += [f"{name}: missing" for name in REQUIRED if not (release / name).is_file()]
        problems += find_leaks(release, settings.var_path)
        if problems:
            shutil.rmtree(release, ignore_errors=True)
            shown = "; ".join(problems[:5]) + (
                f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            )
            raise UpdateFailed("check", shown, EXIT_CHECK)
        status = _status(settings, build_id, fetched, release)
        status["held_back"] = [{"file": h.file, "problems": list(h.problems)} for h in held]
        (release / "status.json").write_text(json.dumps(status, indent=2) + "\n", encoding="utf-8")
        try:
            _swap(output, release)
        except OSError as error:
            raise UpdateFailed("swap", str(error), EXIT_SWAP) from error
        _keep_last_good(built_from, settings.var_path)
        if built_from != content:
            shutil.rmtree(work, ignore_errors=True)
    return Updated(build_id, release, time.perf_counter() - started, tuple(held))
