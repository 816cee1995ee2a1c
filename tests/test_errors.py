"""Every exception class of the project derives from SunshineError and is in its map."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module
from pathlib import Path

from sunshine import errors
from sunshine.errors import SunshineError

ROOT = Path(__file__).parent.parent
# The demo registry is a separate program standing in for the real registry;
# its Problem is that program's HTTP answer, not an error of this project.
PACKAGES = ["store", "sunshine", "fetch", "search_index", "plugins", "operations", "bench"]


def _project_exceptions() -> list[type[BaseException]]:
    found = []
    for package in PACKAGES:
        top = import_module(package)
        modules = [top] + [
            import_module(info.name)
            for info in pkgutil.walk_packages(top.__path__, prefix=f"{package}.")
        ]
        for module in modules:
            for _, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, BaseException) and value.__module__ == module.__name__:
                    found.append(value)
    return found


def test_every_exception_class_derives_from_the_base_and_is_in_the_docstring() -> None:
    found = _project_exceptions()
    assert len(found) >= 15
    doc = errors.__doc__ or ""
    for cls in found:
        assert issubclass(cls, SunshineError), f"{cls.__module__}.{cls.__name__}"
        assert cls.__name__.lstrip("_") in doc, f"{cls.__name__} is not in sunshine/errors.py"


def test_refined_built_ins_are_still_caught_as_before() -> None:
    from operations.preview import NothingFetched
    from sunshine.content.authoring import PieceExists
    from sunshine.regulations.citations import CitationError
    from sunshine.regulations.regulation_text import RegulationParseError

    assert issubclass(CitationError, ValueError) and issubclass(RegulationParseError, ValueError)
    assert issubclass(PieceExists, FileExistsError)
    assert issubclass(NothingFetched, RuntimeError)
