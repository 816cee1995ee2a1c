"""The demo registry: the case registry's whole export contract, served on loopback.

Synthetic, deterministic data (``DemoRegistry``), generated as a stream so that a
million cases cost no memory; a real HTTP server for it (``make_server``); and
fault injection (``Faults``, at ``registry.faults``) for the fetcher's tests.
``invoke registry`` serves it; ``make demo`` fetches from it.
"""

from __future__ import annotations

from .data import DemoRegistry
from .faults import Faults
from .server import make_server

__all__ = ["DemoRegistry", "Faults", "make_server"]
