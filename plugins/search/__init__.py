"""Search: the Whoosh index of the site, and its export for the browser.

Each language's Pelican run hands its guides and explainers to ``collect``
once its content is read; when the main site finishes (the English subsite
has finished by then), the documents of both languages, the regulation
articles and the indicator definitions are indexed under the state folder
(``search-index/``) and exported to ``/search/index/`` of the output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import logging
import time
from pathlib import Path
from typing import Any

from pelican import signals

import search_index.analysis
import search_index.export
import search_index.index
from plugins.extension_points import is_main_site
from search_index import Doc, build, export
from sunshine.i18n import LANGUAGES

from .collect import content_docs, indicator_docs, regulation_docs

log = logging.getLogger("sunshine.search")
INDEX_DIR = "search-index"
EXPORT_DIR = "search/index"  # beside the page /search/index.html, not over it
_collected: dict[str, list[Doc]] = {}


def register() -> None:
    """Collect each language's content when it is read; index and export at the end."""
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_write)


def _collect(generators: list[Any]) -> None:
    contents: list[Any] = []
    for generator in generators:
        contents.extend(getattr(generator, "articles", []))
        contents.extend(getattr(generator, "pages", []))
    if generators:
        lang = generators[0].settings["DEFAULT_LANG"]
        _collected[lang] = content_docs(contents, lang)


def _order(doc: Doc) -> tuple[int, str]:
    return (0 if doc.lang == "zh" else 1, doc.url)


def _digest(docs: list[Doc]) -> str:
    """What the index is made from (documents, and the code that analyses and
    exports them), so an unchanged site is not indexed again."""
    digest = hashlib.sha256()
    for module in (search_index.analysis, search_index.index, search_index.export):
        digest.update(inspect.getsource(module).encode())
    digest.update(json.dumps([dataclasses.astuple(d) for d in docs], ensure_ascii=False).encode())
    return digest.hexdigest()


def _write(pelican: Any) -> None:
    if not is_main_site(pelican.settings):
        return  # the English subsite: the main site writes both languages' index
    started = time.perf_counter()
    settings = pelican.settings["SUNSHINE"]
    docs = [d for lang in LANGUAGES for d in _collected.get(lang, [])]
    docs += regulation_docs(settings.var_path) + indicator_docs()
    # Sorted, so document numbers (the tie-break) do not depend on reading order.
    docs.sort(key=_order)
    folder = settings.var_path / INDEX_DIR
    out = Path(pelican.settings["OUTPUT_PATH"]) / EXPORT_DIR
    digest = _digest(docs)
    stamp = folder / "documents.sha256"
    if (
        stamp.is_file()
        and stamp.read_text() == digest
        and (out / "meta.json").is_file()
        and (out / "documents.sha256").is_file()
        and (out / "documents.sha256").read_text() == digest
    ):
        log.info("search: %d documents, unchanged since the last build", len(docs))
        return
    build(docs, folder)
    done = export(folder, out)
    stamp.write_text(digest)
    (out / "documents.sha256").write_text(digest)
    log.info(
        "search: %d documents, %d terms in %d shards, %d KB (%.1f s)",
        done.docs,
        done.terms,
        done.shards,
        done.bytes // 1024,
        time.perf_counter() - started,
    )
