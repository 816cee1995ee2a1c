"""Project tasks (``invoke --list``), after Pelican's own quickstart tasks.

Every task has a docstring; ``docs/tasks.md`` documents each one, and a test
fails when a task is missing from it.
"""

from __future__ import annotations

import shutil
import sys

from invoke import Context, task

from sunshine.build import DEVELOPMENT, PRODUCTION, build_site
from sunshine.config import ROOT, load_settings
from sunshine.i18n import LANGUAGES, TRANSLATIONS
from sunshine.serve import DEMO_HOST, DEMO_PORT, make_server


@task(help={"production": "use publishconf.py (absolute URLs, feeds) instead of pelicanconf.py"})
def build(c: Context, production: bool = False) -> None:
    """Build the site into the output folder (SUNSHINE_OUTPUT, default output/)."""
    report = build_site(PRODUCTION if production else DEVELOPMENT)
    print(report)
    print(f"Site written to {load_settings().output_path}")


@task(help={"host": f"address to listen on (default {DEMO_HOST})", "port": f"default {DEMO_PORT}"})
def serve(c: Context, host: str = DEMO_HOST, port: int = DEMO_PORT) -> None:
    """Serve the built site on http://127.0.0.1:8000 until interrupted."""
    root = load_settings().output_path
    if not (root / "index.html").is_file():
        sys.exit(f"Nothing to serve: {root} has no index.html. Run `invoke build` first.")
    server = make_server(root, host, port)
    print(
        f"Serving {root} on http://{host}:{port}/ (Chinese) and "
        f"http://{host}:{port}/en/ (English). Ctrl-C stops."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@task
def demo(c: Context) -> None:
    """Build the demo site and serve it on http://127.0.0.1:8000 (what `make demo` runs)."""
    build(c)
    serve(c)


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
    pot = ROOT / "var" / "messages.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    c.run(f"pybabel extract -F {ROOT / 'babel.cfg'} -o {pot} --no-location --sort-output {ROOT}")
    for lang in LANGUAGES.values():
        c.run(
            f"pybabel update -i {pot} -d {TRANSLATIONS} -l {lang.babel_locale} "
            "--no-location --no-fuzzy-matching --width 100"
        )
    print("Catalogues updated; translate the empty msgstr entries of the Chinese catalogue.")
