"""The index of record: a Whoosh index of the site's documents, and searching it.

Schema: ``title`` and ``body`` (analysed with :mod:`search_index.analysis`),
``kind`` and ``lang`` (exact values, for filters), ``url`` and the title as
results show it (stored). Scores
are Whoosh's BM25F. A query is the OR of its terms over both text fields, so
a document's score is the sum of one precomputed number per query term: what
the browser's export (:mod:`search_index.export`) relies on to rank exactly
as this module does.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index, query
from whoosh.analysis import Analyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.scoring import BM25F

from .analysis import MixedTokenizer, query_terms

__all__ = ["FIELDS", "KINDS", "Doc", "Hit", "build", "open_index", "search"]

KINDS: tuple[str, ...] = ("article", "guide", "explainer", "indicator")
"""Regulation articles, guides, explainers, indicator definitions."""
FIELDS = ("title", "body")
WEIGHTING = BM25F()


@dataclass(frozen=True)
class Doc:
    """One search hit's worth of the site: a page, or one article of a regulation."""

    url: str
    title: str
    body: str
    kind: str
    lang: str
    shown_title: str = ""
    """The title as results show it, when the indexed one carries more words to be
    found by (an article's number in digits as well as in Chinese numerals)."""


@dataclass(frozen=True)
class Hit:
    url: str
    title: str
    kind: str
    lang: str
    score: float
    docnum: int


def _analyzer() -> Analyzer:
    return MixedTokenizer()


def schema() -> Schema:
    return Schema(
        title=TEXT(analyzer=_analyzer(), stored=True, phrase=True),
        body=TEXT(analyzer=_analyzer(), phrase=True),
        kind=ID(stored=True),
        lang=ID(stored=True),
        url=ID(stored=True, unique=True),
        shown=STORED,
        text=STORED,
    )


def build(docs: Iterable[Doc], folder: Path) -> int:
    """(Re)build the index in ``folder`` from ``docs``, in the given order; how many."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), schema())
    count = 0
    # One segment, written once: document numbers are then the order given,
    # which the export and the browser use to break ties as Whoosh does.
    with ix.writer() as writer:
        for doc in docs:
            if doc.kind not in KINDS:
                raise ValueError(f"{doc.url}: unknown kind {doc.kind!r}; one of {KINDS}")
            writer.add_document(
                title=doc.title,
                body=doc.body,
                kind=doc.kind,
                lang=doc.lang,
                url=doc.url,
                shown=doc.shown_title or doc.title,
                text=doc.body,
            )
            count += 1
    return count


def open_index(folder: Path) -> index.Index:
    if not index.exists_in(str(folder)):
        raise FileNotFoundError(f"no search index in {folder}: build the site first")
    return index.open_dir(str(folder))


def whoosh_query(text: str) -> query.Query:
    """The OR of the query's terms over the text fields (repeats counted once)."""
    terms = query_terms(text)
    return query.Or([query.Term(field, term) for term in terms for field in FIELDS])


def search(
    folder: Path,
    text: str,
    *,
    kinds: Sequence[str] = (),
    langs: Sequence[str] = (),
    limit: int = 10,
) -> list[Hit]:
    """The best ``limit`` documents for ``text``, best first (ties: index order)."""
    ix = open_index(folder)
    q = whoosh_query(text)
    filters = [
        query.Or([query.Term(name, value) for value in values])
        for name, values in (("kind", kinds), ("lang", langs))
        if values
    ]
    with ix.searcher(weighting=WEIGHTING) as searcher:
        results = searcher.search(q, limit=limit, filter=query.And(filters) if filters else None)
        return [
            Hit(r["url"], r["shown"], r["kind"], r["lang"], float(r.score), r.docnum)
            for r in results
        ]
