"""Regulation pages: the list, one structured page per text, and its JSON for researchers.

Collect is :func:`sunshine.regulations.collection.load` (the store's texts, parsed);
write is :class:`~plugins.regulations.generator.RegulationsGenerator`, which
Pelican runs once per language (pages) and which writes the JSON once.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import RegulationsGenerator


def register() -> None:
    """Add the regulations generator to every (sub)site's build."""
    signals.get_generators.connect(_generators)


def _generators(pelican: Any) -> type[RegulationsGenerator]:
    return RegulationsGenerator
