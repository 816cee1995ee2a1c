"""How text becomes search terms: one analyser for Chinese and English alike.

The browser repeats exactly these steps (``themes/sunshine/static/js/search.js``,
checked against this module in Chromium by the tests), so a query is split the
same way on both sides:

1. Unicode NFKC (full-width letters and digits become ASCII), lower case.
2. Runs of Chinese characters become overlapping character pairs (bigrams):
   ``复查申请`` → ``复查 查申 申请``; a run of one character is kept as it is.
   Words need no dictionary, so the browser needs none either, and a phrase
   of several words is found through its pairs in order. (jieba's Whoosh
   analyser was the alternative: it records character offsets as positions,
   which breaks phrase queries, and its segmentation could not be repeated in
   the browser without shipping its dictionary.)
3. Runs of ASCII letters and digits are words: stop words and one-character
   words are dropped, the rest stemmed with Whoosh's Porter stemmer, as
   Whoosh's own ``StemmingAnalyzer`` does.

Positions count the terms, so Whoosh's phrase queries work on both kinds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem

__all__ = ["MixedTokenizer", "analyse", "query_terms"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"([{CJK}]+)|([a-z0-9]+)")
MIN_WORD = 2


def analyse(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for each term of ``text`` (offsets in the normalised text)."""
    normal = unicodedata.normalize("NFKC", text).lower()
    for match in _RUNS.finditer(normal):
        run = match.group(1)
        if run is not None:
            start = match.start()
            if len(run) == 1:
                yield run, start, start + 1
            for i in range(len(run) - 1):
                yield run[i : i + 2], start + i, start + i + 2
            continue
        word = match.group(2)
        if len(word) < MIN_WORD or word in STOP_WORDS:
            continue
        yield stem(word), match.start(), match.end()


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in order of first appearance.

    Distinct: Whoosh drops repeated subqueries of an ``Or`` when it
    normalises it, so the browser must count a repeated term once as well.
    """
    return list(dict.fromkeys(term for term, _, _ in analyse(query)))


class MixedTokenizer(Tokenizer):  # type: ignore[misc]
    """:func:`analyse` as a Whoosh tokenizer (positions are term numbers)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MixedTokenizer)

    def __hash__(self) -> int:
        return hash(MixedTokenizer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (term, start, end) in enumerate(analyse(value), start=start_pos):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token
