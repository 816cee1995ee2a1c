"""The index of record: a Whoosh index of the site's documents, and searching it.

Schema: ``title`` and ``body`` (analysed with :mod:`search_index.analysis`),
``kind`` and ``lang`` (exact values, for filters), ``url`` and the title as
results show it (stored). Scores
are Whoosh's BM25F times the document's standing (:func:`standing`: an article
of a text in force nationally counts in full, of a local text a little less, of
a repealed or superseded text less still), so that at equal relevance the law
that governs comes first. A query is the OR of its terms over both text fields,
so a document's score is the sum of one precomputed number per query term:
what the browser's export (:mod:`search_index.export`) relies on to rank
exactly as this module does.
"""

from __future__ import annotations

import shutil
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index, query
from whoosh.analysis import Analyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching import Matcher
from whoosh.scoring import BM25F, BaseScorer, WeightingModel
from whoosh.searching import Searcher

from .analysis import MixedTokenizer, query_terms

__all__ = ["FIELDS", "KINDS", "STANDING", "Doc", "Hit", "build", "open_index", "search", "standing"]

KINDS: tuple[str, ...] = ("article", "guide", "explainer", "indicator")
"""Regulation articles, guides, explainers, indicator definitions."""
FIELDS = ("title", "body")
STANDING = {"national": 1.0, "local": 0.85, "not in force": 0.6}
"""Score factors by a regulation article's standing: enough for the national text in
force to pass a local text's article of about equal relevance (复查: the 2022
Article 35 against the provinces' review articles, within 6%), small enough that
a clearly better match still wins. Guides, explainers and indicators count in full."""


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
    level: str = ""
    """A regulation article's: its text's level (``national``, ``provincial``)."""
    status: str = ""
    """A regulation article's, when its text is not in force: ``repealed`` or
    ``superseded``; empty otherwise."""
    successor: tuple[str, ...] = ()
    """The title(s) of the text that superseded it, Chinese then English."""


def standing(doc: Doc) -> float:
    """The factor a document's scores are multiplied by (:data:`STANDING`)."""
    if doc.status:
        return STANDING["not in force"]
    if doc.level and doc.level != "national":
        return STANDING["local"]
    return STANDING["national"]


class _Scaled(BaseScorer):  # type: ignore[misc]
    """A scorer's scores times each document's standing (no block skipping: the
    factors would make the blocks' bounds wrong)."""

    def __init__(self, inner: BaseScorer, factors: list[float]) -> None:
        self.inner = inner
        self.factors = factors

    def score(self, matcher: Matcher) -> float:
        return float(self.inner.score(matcher)) * self.factors[matcher.id()]

    def max_quality(self) -> float:
        return float(self.inner.max_quality()) * max(self.factors, default=1.0)


class StandingBM25F(WeightingModel):  # type: ignore[misc]
    """BM25F times the stored ``standing`` of each document."""

    def __init__(self) -> None:
        self.bm25f = BM25F()

    def idf(self, searcher: Searcher, fieldname: str, text: bytes) -> float:
        return float(self.bm25f.idf(searcher, fieldname, text))

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: int = 1) -> BaseScorer:
        reader = searcher.reader()
        # Read once per reader: the export asks for a scorer per term.
        factors = _factors.get(reader)
        if factors is None:
            count = reader.doc_count_all()
            factors = [reader.stored_fields(n).get("standing", 1.0) for n in range(count)]
            _factors[reader] = factors
        return _Scaled(self.bm25f.scorer(searcher, fieldname, text, qf), factors)


_factors: weakref.WeakKeyDictionary[object, list[float]] = weakref.WeakKeyDictionary()
WEIGHTING = StandingBM25F()


@dataclass(frozen=True)
class Hit:
    url: str
    title: str
    kind: str
    lang: str
    score: float
    docnum: int
    status: str = ""
    successor: tuple[str, ...] = ()

    def mark(self, lang: str = "zh") -> str:
        """What results say of a text not in force: 已废止，由《信访工作条例》取代."""
        if not self.status:
            return ""
        named = self.successor[0 if lang == "zh" else -1] if self.successor else ""
        if lang == "zh":
            said = "已废止" if self.status == "repealed" else "已被取代"
            return f"{said}，由《{named}》取代" if named else said
        said = "Repealed" if self.status == "repealed" else "Superseded"
        return f"{said}; superseded by {named}" if named else said


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
        standing=STORED,
        status=STORED,
        successor=STORED,
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
                standing=standing(doc),
                status=doc.status,
                successor=list(doc.successor),
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
    limit: int | None = 10,
) -> list[Hit]:
    """The best ``limit`` documents for ``text`` (None: all), best first (ties: index order)."""
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
            Hit(
                r["url"],
                r["shown"],
                r["kind"],
                r["lang"],
                float(r.score),
                r.docnum,
                r.get("status") or "",
                tuple(r.get("successor") or ()),
            )
            for r in results
        ]
