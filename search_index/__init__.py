"""Search: the Whoosh index of record and the browser's export of it.

The rest of the project imports search from here and never Whoosh itself:

- :mod:`search_index.analysis`: how text becomes terms (Chinese bigrams,
  stemmed English), repeated exactly by the browser;
- :mod:`search_index.index`: the schema, building the index under
  ``SUNSHINE_VAR``, and searching it (``invoke search``);
- :mod:`search_index.export`: the static files the browser ranks with.
"""

from .analysis import query_terms
from .export import Exported, export
from .index import KINDS, Doc, Hit, build, search

__all__ = ["KINDS", "Doc", "Exported", "Hit", "build", "export", "query_terms", "search"]
