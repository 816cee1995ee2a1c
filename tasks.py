"""Project tasks (``invoke --list``), after Pelican's own quickstart tasks.

Every task has a docstring; ``docs/tasks.md`` documents each one, and a test
fails when a task is missing from it.
"""

from __future__ import annotations

import shutil
import sys
from http.server import ThreadingHTTPServer
from pathlib import Path

from invoke import Context, task

from operations.build import DEVELOPMENT, PRODUCTION, BuildError, build_site
from operations.serve import DEMO_HOST, DEMO_PORT, check_port, make_server, port_problem
from sunshine.config import ROOT, ConfigError, Settings, weak_secret
from sunshine.config import load_settings as _load_settings
from sunshine.i18n import LANGUAGES, TRANSLATIONS


def load_settings() -> Settings:
    """The settings, or exit with the message that names the bad one."""
    try:
        return _load_settings()
    except ConfigError as error:
        sys.exit(f"configuration error: {error}")


def _bind_site(host: str, port: int, instead: str) -> ThreadingHTTPServer:
    """The site's server bound to ``host:port``, or exit with one line (see port_problem)."""
    try:
        return make_server(load_settings().output_path, host, port)
    except OSError as error:
        sys.exit(port_problem(error, host, port, instead))


def _serve_site(server: ThreadingHTTPServer) -> None:
    host, port = server.server_address[:2]
    print(
        f"Serving {load_settings().output_path} on http://{host!s}:{port}/ (Chinese) and "
        f"http://{host!s}:{port}/en/ (English). Ctrl-C stops."
    )
    _serve_until_interrupted(server)


def _serve_until_interrupted(server: ThreadingHTTPServer) -> None:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@task(help={"production": "use publishconf.py (absolute URLs, feeds) instead of pelicanconf.py"})
def build(c: Context, production: bool = False) -> None:
    """Build the site into the output folder (SUNSHINE_OUTPUT, default output/)."""
    settings = load_settings()
    if production:
        problem = weak_secret(settings.site_secret.get_secret_value())
        if problem:
            sys.exit(f"configuration error: {problem}")
    try:
        report = build_site(
            PRODUCTION if production else DEVELOPMENT,
            env={"SUNSHINE_PRODUCTION": "true"} if production else None,
        )
    except BuildError as error:
        log = settings.var_path / "last-build.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(error.report, encoding="utf-8")
        sys.exit(f"{error.summary}\n(Pelican's full output: {log})")
    print(report)
    print(f"Site written to {load_settings().output_path}")


@task(help={"host": f"address to listen on (default {DEMO_HOST})", "port": f"default {DEMO_PORT}"})
def serve(c: Context, host: str = DEMO_HOST, port: int = DEMO_PORT) -> None:
    """Serve the built site on http://127.0.0.1:8000 until interrupted."""
    root = load_settings().output_path
    if not (root / "index.html").is_file():
        sys.exit(f"Nothing to serve: {root} has no index.html. Run `invoke build` first.")
    _serve_site(_bind_site(host, port, "invoke serve --port {port}"))


@task(help={"progress": "show a progress bar (default: on)"})
def fetch(c: Context, progress: bool = True) -> None:
    """Fetch changes from the registry (REGISTRY_URL) into the store; print a summary."""
    from fetch.cli import run_fetch

    code = run_fetch(load_settings(), progress=progress)
    if code:
        sys.exit(code)


@task(name="store-dump")
def store_dump(c: Context) -> None:
    """Print the store's current cases as JSON lines (private: holds query codes)."""
    from fetch.cli import dump_store

    dump_store(load_settings())


@task(
    help={
        "cases": "number of synthetic cases (default 2000)",
        "seed": "seed of the synthetic data (default 1)",
        "port": "port on 127.0.0.1 (default 8765, as the default REGISTRY_URL)",
    }
)
def registry(c: Context, cases: int = 2000, seed: int = 1, port: int = 8765) -> None:
    """Serve the demo registry (synthetic data, the whole contract) on loopback."""
    from datetime import UTC, datetime

    from demo_registry import DemoRegistry, make_server
    from operations.demo import registry_line

    # As of now, like `invoke demo`'s: data that looks live, not a fixed day ageing.
    registry = DemoRegistry(cases=cases, seed=seed, now=datetime.now(UTC))
    instead = "invoke registry --port {port} (and REGISTRY_URL=http://127.0.0.1:{port}/api/v1)"
    try:
        # Checked first: a large registry starts a worker process before it binds.
        check_port("127.0.0.1", port)
        server = make_server(registry, "127.0.0.1", port)
    except OSError as error:
        sys.exit(port_problem(error, "127.0.0.1", port, instead))
    print(registry_line(server.base_url, registry.token))
    print(f"{cases} synthetic cases (seed {seed}). Ctrl-C stops.")
    _serve_until_interrupted(server)


@task(
    positional=["what"],
    help={
        "what": "what to measure: fetch, build, search or scale",
        "cases": "number of synthetic cases (default 1000000; search: 2000)",
        "sizes": "scale: the numbers of cases, comma-separated (default 10000,100000,1000000)",
    },
)
def bench(
    c: Context, what: str, cases: int = 1_000_000, sizes: str = "10000,100000,1000000"
) -> None:
    """Run a benchmark: `invoke bench fetch --cases 1000000` (results: docs/benchmarks.md).

    `invoke bench scale --sizes 10000,100000,1000000` runs the build benchmark at
    each size and ends with one table of them all.
    """
    if what == "scale":
        from bench.build import bench_scale

        print("\n".join(bench_scale([int(n) for n in sizes.split(",")])))
    elif what == "fetch":
        from bench.fetch import bench_fetch

        print(bench_fetch(cases).line())
    elif what == "build":
        from bench.build import bench_build

        print("\n".join(bench_build(cases).lines()))
    elif what == "search":
        from bench.search import bench_search

        for side in bench_search(min(cases, 2000)):
            print(side.line())
    else:
        sys.exit(f"unknown benchmark {what!r}: one of fetch, build, search, scale")


@task(
    help={
        "folder": "where the PNGs go (default var/screenshots/)",
        "cases": "number of synthetic cases in the demo registry (default 300)",
        "full-page": "the whole page (default); --no-full-page: the first screen only",
        "only": "page types to take, comma-separated (default: all; see bench/screenshots.py)",
        "shrink": "rewrite the PNGs with a small palette, as docs/screenshots/ keeps them",
    }
)
def screenshots(
    c: Context,
    folder: str = "var/screenshots",
    cases: int = 300,
    full_page: bool = True,
    only: str = "",
    shrink: bool = False,
) -> None:
    """Build the demo site and write a PNG of every page type at 390 and 1280 px."""
    from bench.screenshots import shrink as shrink_pngs
    from bench.screenshots import write_screenshots

    written = write_screenshots(
        Path(folder), cases, full_page, [n for n in only.split(",") if n] or None
    )
    if shrink:
        shrink_pngs(written)
    print(f"{len(written)} screenshots written to {folder}/")


@task(
    help={
        "cases": "number of synthetic cases in the demo registry (default 2000)",
        "port": f"the site's port on {DEMO_HOST} (default {DEMO_PORT}); "
        "the registry's is REGISTRY_URL's",
    }
)
def demo(c: Context, cases: int = 2000, port: int = DEMO_PORT) -> None:
    """Start the demo registry, fetch from it, build, and serve on http://127.0.0.1:8000."""
    from operations.demo import demo_codes, registry_line, start_demo_registry

    settings = load_settings()
    # Both ports are taken before the fetch and the build, so a busy one is
    # reported at once, not after minutes of work.
    site = _bind_site(DEMO_HOST, port, "make demo PORT={port} (invoke demo --port {port})")
    try:
        registry_server = start_demo_registry(settings, cases)
        try:
            fetch(c, progress=True)
            build(c)
            print("\nQuery codes of demo cases to try on /track/:")
            for label, code in demo_codes(load_settings()):
                print(f"  {code}  {label}")
            print(registry_line(str(settings.registry_url), settings.registry_token))
            _serve_site(site)
        finally:
            registry_server.shutdown()
            registry_server.server_close()
    finally:
        site.server_close()


@task(positional=["code"], help={"code": "the query code, as the petitioner reads it out"})
def lookup(c: Context, code: str) -> None:
    """Look a case up in the published files, as the browser does; print JSON.

    Exit 0 found, 2 not a valid code, 3 no such case.
    """
    import json

    from sunshine.tracker.lookup import SiteNotReady
    from sunshine.tracker.lookup import lookup as look_up

    try:
        view = look_up(load_settings().output_path, code)
    except SiteNotReady as error:
        sys.exit(f"lookup failed: {error}")
    print(json.dumps(view, ensure_ascii=False, indent=2))
    if view.get("error") == "invalid":
        sys.exit(2)
    if view.get("error") == "not_found":
        sys.exit(3)


@task(
    positional=["query"],
    help={
        "query": "the words to look for, Chinese or English",
        "kind": "only this kind: article, guide, explainer or indicator",
        "lang": "only this language: zh or en",
        "limit": "how many hits (default 10)",
    },
)
def search(c: Context, query: str, kind: str = "", lang: str = "", limit: int = 10) -> None:
    """Search the built index with Whoosh; print JSON lines {url, title, kind, score}, best first
    (and "status" for an article of a text not in force).

    The browser ranks the same way; see search_index/.
    """
    import json

    from plugins.search import INDEX_DIR
    from search_index import search as run_search

    folder = load_settings().var_path / INDEX_DIR
    try:
        hits = run_search(
            folder, query, kinds=[kind] if kind else [], langs=[lang] if lang else [], limit=limit
        )
    except FileNotFoundError as error:
        sys.exit(f"search failed: {error}")
    for hit in hits:
        line = {"url": hit.url, "title": hit.title, "kind": hit.kind, "score": round(hit.score, 4)}
        if hit.status:  # a text not in force: 已废止，由《信访工作条例》取代
            line["status"] = hit.mark("zh")
        print(json.dumps(line, ensure_ascii=False))


@task(
    help={
        "skip_fetch": "publish the store as it is, without fetching first",
        "pull": "git pull --ff-only the content's repository first (what staff pushed)",
    }
)
def update(c: Context, skip_fetch: bool = False, pull: bool = False) -> None:
    """Fetch, build into a fresh folder, check it, swap it in atomically (docs/deploy.md).

    A failed step leaves the published site as it was and exits non-zero with the step
    and the reason; a second update while one runs exits 75 at once.
    """
    from operations.update import UpdateFailed
    from operations.update import update as run_update

    settings = load_settings()
    try:
        done = run_update(settings, fetch=not skip_fetch, progress=sys.stderr.isatty(), pull=pull)
    except UpdateFailed as error:
        print(error, file=sys.stderr)
        sys.exit(error.code)
    for piece in done.held_back:
        print(piece, file=sys.stderr)
    print(f"published build {done.build_id} at {settings.output_path} ({done.seconds:.0f} s)")


@task(
    help={
        "every": "time between runs: 90s, 15m, 1h, 1d",
        "times": "stop after this many runs (default: never)",
        "pull": "each run: git pull --ff-only the content's repository first",
    }
)
def schedule(c: Context, every: str = "1h", times: int = 0, pull: bool = False) -> None:
    """Run `invoke update` every so often, for ever; one JSON log line per run (docs/deploy.md).

    A failed run is logged and the loop goes on. Cron or a systemd timer are the
    alternatives; see docs/deploy.md.
    """
    from operations.schedule import UPDATE, parse_every, run_every

    try:
        seconds = parse_every(every)
    except ValueError as error:
        sys.exit(str(error))
    try:
        command = [*UPDATE, "--pull"] if pull else UPDATE
        failed = run_every(seconds, command, times=times or None)
    except KeyboardInterrupt:
        return
    sys.exit(1 if failed and times else 0)


@task(
    positional=["target"],
    help={
        "target": "s3://bucket/prefix, git:REPO[#BRANCH] (GitHub Pages) or an rsync destination",
        "dry_run": "list what would change, send nothing",
    },
)
def publish(c: Context, target: str, dry_run: bool = False) -> None:
    """Send the built site to a host, only files whose content changed (docs/deploy.md)."""
    from operations.publish import PublishError
    from operations.publish import publish as send

    try:
        changes = send(load_settings().output_path, target, dry_run=dry_run)
    except PublishError as error:
        sys.exit(f"publish failed: {error}")
    for change in changes:
        print(change)
    verb = "would change" if dry_run else "changed"
    print(f"{len(changes)} files {verb} at {target}", file=sys.stderr)


@task(
    positional=["kind", "title"],
    help={
        "kind": "explainer or guide",
        "title": "the Chinese title",
        "slug": "the URL name (default: the title in pinyin)",
        "category": "explainers: policy, data or notices (default policy)",
    },
)
def new(c: Context, kind: str, title: str, slug: str = "", category: str = "policy") -> None:
    """Create a new draft piece in both languages: `invoke new explainer "标题"`."""
    from datetime import datetime

    from operations.build import CONTENT
    from sunshine.cases.calendar import SHANGHAI
    from sunshine.content.authoring import PieceExists, new_piece

    today = datetime.now(SHANGHAI).date()  # the site's day, whatever the machine's zone
    try:
        made = new_piece(kind, title, CONTENT, today=today, slug=slug or None, category=category)
    except (PieceExists, ValueError) as error:
        sys.exit(f"new {kind} failed: {error}")
    for path in made:
        print(f"made {path.relative_to(CONTENT.parent)}")
    print("Both are drafts (Status: draft): delete that line in each when the piece is ready.")
    print("See it as you write: invoke preview. Check it: invoke check-content.")


@task(
    help={
        "host": f"address to listen on (default {DEMO_HOST})",
        "port": f"default {DEMO_PORT}",
        "content": "folder of staff Markdown (default content/)",
    }
)
def preview(c: Context, host: str = DEMO_HOST, port: int = DEMO_PORT, content: str = "") -> None:
    """Build with drafts and scheduled pieces shown, serve on http://127.0.0.1:8000, and
    rebuild and reload the page on every save (the preview is kept in var/preview/)."""
    import errno

    from operations.build import CONTENT
    from operations.preview import NothingFetched, serve_preview

    instead = "invoke preview --port {port}"
    try:
        check_port(host, port)  # now, not after the first build
    except OSError as error:
        sys.exit(port_problem(error, host, port, instead))
    try:
        serve_preview(load_settings(), host, port, Path(content) if content else CONTENT)
    except NothingFetched as error:
        sys.exit(f"preview failed: {error}")
    except OSError as error:
        if error.errno != errno.EADDRINUSE:  # the port was taken during the first build
            raise
        sys.exit(port_problem(error, host, port, instead))


@task(help={"content": "folder of staff Markdown (default content/)"})
def check_content(c: Context, content: str = "") -> None:
    """Check the staff Markdown in content/ without building: front matter, categories,
    translation pairs, images, citations and live figures. Exit 1 on a problem."""
    from operations.build import CONTENT
    from sunshine.content.content_checks import check_content as check
    from sunshine.regulations.collection import load
    from sunshine.statistics.indicators import INDICATORS

    settings = load_settings()
    folder = Path(content) if content else CONTENT
    report = check(folder, regulations=load(settings.var_path), figures=set(INDICATORS))
    for line in [*map(str, report.problems), *report.notices()]:
        print(line)
    print(f"{len(report.pieces)} pieces checked, {len(report.problems)} problems")
    if report.problems:
        sys.exit(1)


@task
def clean(c: Context) -> None:
    """Remove generated files: the output folder and Pelican's cache (the store is kept)."""
    settings = load_settings()
    for path in (settings.output_path, settings.var_path / "cache", settings.var_path / "locale"):
        if path.exists():
            shutil.rmtree(path)
            print(f"Removed {path}")


@task
def messages(c: Context) -> None:
    """Extract UI strings from the templates and update every language's catalogue."""
    babel = f"{sys.executable} -m babel.messages.frontend"
    pot = ROOT / "var" / "messages.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    c.run(f"{babel} extract -F {ROOT / 'babel.cfg'} -o {pot} --no-location --sort-output {ROOT}")
    for lang in LANGUAGES.values():
        c.run(
            f"{babel} update -i {pot} -d {TRANSLATIONS} -l {lang.babel_locale} "
            "--no-fuzzy-matching --ignore-obsolete --width 100"
        )
    print("Catalogues updated; translate the empty msgstr entries of the Chinese catalogue.")


@task
def golden(c: Context) -> None:
    """Refresh the golden outputs: pytest tests/test_golden.py --snapshot-update."""
    # From the repository, so the test path resolves wherever invoke was started.
    with c.cd(str(ROOT)):
        c.run(f"{sys.executable} -m pytest tests/test_golden.py --snapshot-update")
    print("Review the diff of tests/__snapshots__/ before committing it.")
