"""The browser's copy of the index: Whoosh's own per-term scores, sharded by term.

For every term Whoosh knows, the export lists the documents that contain it
with the score the term earns there (title and body added, as the OR query
adds them), computed by Whoosh's own scorer: BM25F times the document's
standing (:func:`search_index.index.standing`), so the browser needs no factors
of its own. The browser analyses a
query as :mod:`search_index.analysis` does, fetches the shards of its terms,
adds up the scores per document and sorts by score, then by document number:
the order Whoosh gives.

Files (under ``/search/index/`` of the site)::

    meta.json        shard count, and each document's kind and language
    t/<shard>.json   {term: [doc, score, doc, score, ...]}: the terms of one shard
    d/<doc>.json     {"u": url, "t": title, "k": kind, "l": lang, "x": text}, and for
                     an article of a text not in force "s": "repealed" or
                     "superseded" and "r": the superseding text's [zh, en] titles

A term's shard is FNV-1a (32 bit) of its UTF-8 bytes modulo the shard count,
so a query downloads only the shards its terms fall in. Scores keep four
decimals: two documents whose sums differ by less than that may swap places
(the agreement tests count them as ties).
"""

from __future__ import annotations

import json
import math
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sunshine.i18n import LANGUAGES

from .index import FIELDS, KINDS, WEIGHTING, open_index

__all__ = ["LANGS", "Exported", "export", "fnv1a", "shard_of"]

LANGS: tuple[str, ...] = tuple(LANGUAGES)
SHARD_BYTES = 1_500
"""About this many bytes of postings per shard (before compression)."""
FORMAT = 2


@dataclass(frozen=True)
class Exported:
    docs: int
    terms: int
    shards: int
    bytes: int


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (the browser computes the same)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str, shards: int) -> int:
    return fnv1a(term) % shards


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def export(index_folder: Path, out: Path) -> Exported:
    """Write the browser's index into ``out`` (replacing what was there)."""
    ix = open_index(index_folder)
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    with ix.searcher(weighting=WEIGHTING) as searcher:
        reader = searcher.reader()
        for field in FIELDS:
            for raw in reader.lexicon(field):
                term = raw.decode("utf-8")
                matcher = searcher.postings(field, term, weighting=WEIGHTING)
                scores = postings[term]
                while matcher.is_active():
                    doc = matcher.id()
                    scores[doc] = scores.get(doc, 0.0) + matcher.score()
                    matcher.next()
        stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
    if out.exists():
        shutil.rmtree(out)
    (out / "t").mkdir(parents=True)
    (out / "d").mkdir()
    entries = {
        term: [x for doc in sorted(docs) for x in (doc, round(docs[doc], 4))]
        for term, docs in postings.items()
    }
    size = sum(len(_json({t: e})) for t, e in entries.items())
    shards = max(1, min(4096, math.ceil(size / SHARD_BYTES)))
    grouped: dict[int, dict[str, list[float]]] = defaultdict(dict)
    for term, entry in entries.items():
        grouped[shard_of(term, shards)][term] = entry
    written = 0
    for shard in range(shards):
        text = _json(grouped.get(shard, {}))
        (out / "t" / f"{shard}.json").write_text(text, encoding="utf-8")
        written += len(text.encode())
    for doc, fields in enumerate(stored):
        record: dict[str, object] = {
            "u": fields["url"],
            "t": fields["shown"],
            "k": fields["kind"],
            "l": fields["lang"],
            "x": fields["text"],
        }
        if fields.get("status"):
            record["s"] = fields["status"]
            if fields.get("successor"):
                record["r"] = fields["successor"]
        text = _json(record)
        (out / "d" / f"{doc}.json").write_text(text, encoding="utf-8")
        written += len(text.encode())
    meta = {
        "format": FORMAT,
        "shards": shards,
        "kinds": list(KINDS),
        "langs": list(LANGS),
        # One character per document: its kind's and its language's index.
        "k": "".join(str(KINDS.index(f["kind"])) for f in stored),
        "l": "".join(str(LANGS.index(f["lang"])) for f in stored),
    }
    (out / "meta.json").write_text(_json(meta), encoding="utf-8")
    return Exported(len(stored), len(entries), shards, written)
