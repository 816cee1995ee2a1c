"""The tree matches docs/architecture.md, and every import follows its layers.

The layers are declared here, lowest first, as the map's tables give them; the
test checks that the map says the same, that the map names every package (and
no folder that is not one), and that no module imports from a higher layer or
from another folder of its own layer (parsed with ``ast``, so lazy imports
inside functions count too).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parent.parent
MAP = ROOT / "docs" / "architecture.md"

LAYERS: list[set[str]] = [
    {"store"},
    {"sunshine"},
    {"fetch", "demo_registry", "search_index"},
    {"plugins"},
    {"operations"},
    {"bench"},
    {"tasks"},
]
"""Top-level packages (and ``tasks.py``), lowest first."""

DOMAIN_LAYERS: list[set[str]] = [
    {"foundation"},
    {"cases"},
    {"tracker", "statistics", "regulations"},
    {"content"},
]
"""Inside ``sunshine/``: the flat foundation modules, then the subpackages."""


def _layer(name: str, layers: list[set[str]]) -> int:
    return next(i for i, layer in enumerate(layers) if name in layer)


def _packages() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/__init__.py")}


def _subpackages() -> set[str]:
    return {p.parent.name for p in (ROOT / "sunshine").glob("*/__init__.py")}


def _table(heading: str) -> dict[str, int]:
    """``folder → layer`` from the map's table under ``heading``."""
    section = MAP.read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| `([^`]+)` \|", section, flags=re.MULTILINE)
    return {folder: int(layer) for layer, folder in rows}


def test_the_map_names_every_package_and_only_packages() -> None:
    top = _table("## Top-level folders")
    assert set(top) == {f"{name}/" for name in _packages()} | {"tasks.py"}
    domain = _table("## Domain rules")
    assert set(domain) == {f"sunshine/{name}/" for name in _subpackages()}


def test_the_map_gives_the_layers_this_test_checks() -> None:
    top = _table("## Top-level folders")
    for folder, layer in top.items():
        assert layer == _layer(folder.removesuffix("/").removesuffix(".py"), LAYERS), folder
    for folder, layer in _table("## Domain rules").items():
        assert layer == _layer(folder.split("/")[1], DOMAIN_LAYERS), folder
    declared = set().union(*LAYERS)
    assert declared == _packages() | {"tasks"}
    assert set().union(*DOMAIN_LAYERS) == _subpackages() | {"foundation"}


def _modules() -> Iterator[tuple[str, Path]]:
    yield "tasks", ROOT / "tasks.py"
    for package in sorted(_packages()):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Absolute names of the project modules (or names in them) that ``path`` imports."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                # ``from sunshine import sealing`` names a module; ``from x import f`` a name.
                yield f"{target}.{alias.name}", node.lineno


def _unit(name: str) -> tuple[str, str | None]:
    """(top-level unit, sunshine's part: a subpackage or the foundation)."""
    parts = name.split(".")
    if parts[0] != "sunshine":
        return parts[0], None
    if len(parts) > 1 and (ROOT / "sunshine" / parts[1] / "__init__.py").is_file():
        return "sunshine", parts[1]
    return "sunshine", "foundation"


def _edges() -> Iterator[tuple[str, int, str, str]]:
    """(module, line, importing unit, imported unit) for every import between project units."""
    known = set().union(*LAYERS)
    for module, path in _modules():
        source = _unit(module)
        for name, line in _imports(module, path):
            if name.split(".")[0] not in known - {"tasks"}:
                continue
            yield module, line, ":".join(filter(None, source)), ":".join(filter(None, _unit(name)))


def test_imports_only_go_down_the_layers() -> None:
    wrong = []
    for module, line, source, target in _edges():
        source_top, _, source_part = source.partition(":")
        target_top, _, target_part = target.partition(":")
        across = source_top != target_top
        if across and _layer(source_top, LAYERS) <= _layer(target_top, LAYERS):
            wrong.append(f"{module}:{line} imports {target_top} ({source_top} may not)")
        inside = source_top == target_top == "sunshine" and source_part != target_part
        if inside and _layer(source_part, DOMAIN_LAYERS) <= _layer(target_part, DOMAIN_LAYERS):
            wrong.append(f"{module}:{line} imports sunshine.{target_part}")
    assert wrong == []


def test_no_cycle_between_top_level_packages() -> None:
    graph: dict[str, set[str]] = {}
    for _, _, source, target in _edges():
        a, b = source.partition(":")[0], target.partition(":")[0]
        if a != b:
            graph.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()) - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    assert [a for a in graph if reaches(a, a, set())] == []


def test_the_demo_registry_imports_nothing_from_the_client() -> None:
    edges = [(m, t) for m, _, s, t in _edges() if s == "demo_registry"]
    assert edges and not [m for m, t in edges if t == "fetch"]
