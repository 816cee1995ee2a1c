"""Every invoke task has a docstring and a section in docs/tasks.md."""

from __future__ import annotations

from pathlib import Path

from invoke import Collection

import tasks

ROOT = Path(__file__).parent.parent


def test_every_task_is_documented() -> None:
    collection = Collection.from_module(tasks)
    docs = (ROOT / "docs" / "tasks.md").read_text(encoding="utf-8")
    assert collection.task_names, "no tasks found"
    for name in collection.task_names:
        body = collection[name].body
        assert body.__doc__ and body.__doc__.strip(), f"task {name} has no docstring"
        assert f"`invoke {name}" in docs, f"task {name} is not in docs/tasks.md"


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start


def test_every_benchmark_is_documented() -> None:
    """Each benchmark `invoke bench` accepts has its own row in docs/tasks.md."""
    docs = (ROOT / "docs" / "tasks.md").read_text(encoding="utf-8")
    accepted = tasks.bench.help["what"].split(": ", 1)[1].replace(" or ", ", ").split(", ")
    assert len(accepted) >= 4
    for what in accepted:
        assert f"`invoke bench {what}`" in docs, f"bench {what} is not in docs/tasks.md"
