"""What ``make demo`` needs beyond the fetcher: a demo registry to fetch from, and codes to try."""

from __future__ import annotations

import json
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from fetch.store import Store
from sunshine.config import Settings

DEMO_SEED = 1

# Which last event marks a case as an example worth trying, with a label for it.
_EXAMPLES = [
    ("replied", "已答复 / replied"),
    ("accepted", "办理中 / being handled"),
    ("review_requested", "复查中 / under review"),
]


def start_demo_registry(settings: Settings, cases: int) -> ThreadingHTTPServer:
    """Serve the demo registry in a background thread at the host and port of REGISTRY_URL."""
    from fetch.demo_registry import DemoRegistry, make_server

    url = urlsplit(str(settings.registry_url))
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(
            f"REGISTRY_URL is {settings.registry_url}: "
            "the demo serves its registry on loopback only"
        )
    registry = DemoRegistry(
        cases=cases, seed=DEMO_SEED, token=settings.registry_token.get_secret_value()
    )
    try:
        server = make_server(registry, url.hostname, url.port or 80)
    except OSError as error:
        raise SystemExit(
            f"cannot start the demo registry on {url.hostname}:{url.port}: {error.strerror}. "
            "Is another demo still running? Stop it, or set REGISTRY_URL to another port."
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def demo_codes(settings: Settings) -> list[tuple[str, str]]:
    """Three query codes of demo cases in different states, with a label for each."""
    store = Store.open(settings.var_path)
    try:
        found: dict[str, str] = {}
        for code, data in store.db.execute(
            "SELECT tracking_code, data FROM cases ORDER BY case_id"
        ):
            events = sorted(json.loads(data)["events"], key=lambda e: e["at"])
            last = events[-1]["type"] if events else None
            for wanted, label in _EXAMPLES:
                if last == wanted and label not in found:
                    found[label] = code
            if len(found) == len(_EXAMPLES):
                break
        return [(label, code) for label, code in found.items()]
    finally:
        store.close()
