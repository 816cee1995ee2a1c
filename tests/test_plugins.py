"""How the plugins are loaded: by full dotted path, in any multiprocessing start method."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.conftest import BuiltSite, build_into

ROOT = Path(__file__).parent.parent


def test_plugins_are_named_by_dotted_path_and_shadow_no_standard_module() -> None:
    """A plugin loaded by bare name from a folder on sys.path replaces any standard module
    of the same name in the build process (``statistics`` once did), and cannot be found
    by a worker process that was not forked from the build."""
    import pelicanconf

    assert "PLUGIN_PATHS" not in vars(pelicanconf)
    ours = [name for name in pelicanconf.PLUGINS if not name.startswith("pelican.plugins.")]
    assert ours, "no project plugins configured"
    for name in ours:
        assert name.startswith("plugins.") and name.count(".") == 1, name
        assert importlib.util.find_spec(name) is not None, name
    for entry in (ROOT / "plugins").iterdir():
        if entry.name.startswith(("_", ".")):
            continue
        module = entry.name.removesuffix(".py")
        assert module not in sys.stdlib_module_names, f"plugins/{entry.name} shadows {module}"


def test_build_under_forkserver_matches_the_default_build(
    fetched_var: Path, site: BuiltSite, tmp_path: Path
) -> None:
    """Every worker pool started by forkserver (Linux's default from Python 3.14).

    Such a worker imports the functions it runs by module name instead of
    inheriting the parent's memory, so a plugin module known to the parent only
    under a bare name fails there. The test store has 300 cases, under the 2000
    from which key derivation, sealing and the indicators' per-case pass use
    worker pools (``sunshine.parallel.PARALLEL_FROM``); ``SUNSHINE_PARALLEL_FROM=1``
    sends them through the pools anyway (on a machine with more than one core).
    The statistics and the bucket files are always computed in a process of
    their own. The output must be the default build's, byte for byte.
    """
    built = build_into(
        tmp_path, fetched_var, SUNSHINE_START_METHOD="forkserver", SUNSHINE_PARALLEL_FROM="1"
    )

    def files(root: Path) -> dict[Path, bytes]:
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    mine, default = files(built.output), files(site.output)
    assert any(p.parts[:2] == ("track", "b") for p in mine), "no tracker files written"
    assert mine.keys() == default.keys()
    assert [str(p) for p in mine if mine[p] != default[p]] == []
