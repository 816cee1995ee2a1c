"""The demo registry: the case registry's whole export contract, served on loopback.

Synthetic, deterministic data (``DemoRegistry``), generated as a stream so that a
million cases cost no memory; a real HTTP server for it (``make_server``); and
fault injection (``Faults``, at ``registry.faults``) for the fetcher's tests.
``invoke registry`` serves it; ``make demo`` fetches from it.

A separate program standing where the real registry would: it imports nothing
from the client (:mod:`fetch`), so that the two meet only at the HTTP contract,
as the real registry and the client do. It shares only the query-code alphabet
(:mod:`sunshine.cases.query_code`), which the contract fixes.
"""

from __future__ import annotations

from .data import DemoRegistry
from .faults import Faults
from .server import make_server

__all__ = ["DemoRegistry", "Faults", "make_server"]
