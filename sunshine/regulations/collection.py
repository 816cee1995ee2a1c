"""The regulations the site publishes: loaded from the store, parsed once per build.

Used by the regulations plugin (pages and JSON), the citation extension (staff
Markdown) and anything else that needs an article's text. A text that cannot be
parsed is kept as a failure with its message, so its own pages are left out
and everything else still builds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from store.reference import read_regulations
from sunshine.regulations.regulation_text import Document, RegulationParseError, parse

ALIASES = {
    "2022": "xinfang-gongzuo-tiaoli-2022",
    "2005": "xinfang-tiaoli-2005",
    "beijing": "beijing-xinfang-tiaoli",
    "shanghai": "shanghai-xinfang-tiaoli-2018",
    "shandong": "shandong-xinfang-tiaoli-2015",
    "henan": "henan-xinfang-tiaoli-2012",
    "zhejiang": "zhejiang-xinfang-tiaoli-2016",
    "fuyi": "xingzheng-fuyi-fa-2023",
    "susong": "xingzheng-susong-fa-2017",
    "tiaojie": "renmin-tiaojie-fa-2010",
}
"""Short names staff may type in citations (``[[2022:34]]``); a full reg_id works too."""

ENGLISH_TITLES = {
    "xinfang-gongzuo-tiaoli-2022": "Regulations on Petition Work",
    "xinfang-tiaoli-2005": "Regulations on Letters and Visits",
    "beijing-xinfang-tiaoli": "Beijing Municipality Regulations on Letters and Visits",
    "shanghai-xinfang-tiaoli-2018": "Shanghai Municipality Regulations on Letters and Visits",
    "shandong-xinfang-tiaoli-2015": "Shandong Province Regulations on Letters and Visits",
    "henan-xinfang-tiaoli-2012": "Henan Province Regulations on Letters and Visits",
    "zhejiang-xinfang-tiaoli-2016": "Zhejiang Province Regulations on Letters and Visits",
    "xingzheng-fuyi-fa-2023": "Administrative Reconsideration Law",
    "xingzheng-susong-fa-2017": "Administrative Litigation Law",
    "renmin-tiaojie-fa-2010": "People's Mediation Law",
}
"""Descriptive English names (no official English titles or translations exist)."""


@dataclass(frozen=True)
class Regulation:
    """One regulation: its metadata, and its parsed text or why it could not be parsed."""

    meta: dict[str, Any]
    document: Document | None
    error: str | None = None

    @property
    def reg_id(self) -> str:
        return str(self.meta["reg_id"])

    def title(self, lang: str) -> str:
        if lang == "en":
            return ENGLISH_TITLES.get(self.reg_id, str(self.meta["title"]))
        return str(self.meta["title"])


@dataclass(frozen=True)
class RegulationSet:
    """Every regulation in the store, in listing order (national first, then by date)."""

    regulations: list[Regulation] = field(default_factory=list)

    def get(self, name: str) -> Regulation | None:
        reg_id = ALIASES.get(name, name)
        return next((r for r in self.regulations if r.reg_id == reg_id), None)

    def superseded_by(self, reg_id: str) -> list[Regulation]:
        return [r for r in self.regulations if reg_id in (r.meta.get("supersedes") or [])]


def _order(meta: dict[str, Any]) -> tuple[int, str, str]:
    return (
        0 if meta.get("level") == "national" else 1,
        str(meta.get("region", "")),
        str(meta.get("issued_on", "")),
    )


@cache
def load(var_dir: Path) -> RegulationSet:
    """Read and parse every regulation in the store (read-only; none when there is no store)."""
    regulations = []
    for meta_json, text in read_regulations(var_dir):
        meta = json.loads(meta_json)
        try:
            regulations.append(Regulation(meta, parse(text, meta["reg_id"])))
        except RegulationParseError as error:
            regulations.append(Regulation(meta, None, str(error)))
    regulations.sort(key=lambda r: _order(r.meta))
    return RegulationSet(regulations)
