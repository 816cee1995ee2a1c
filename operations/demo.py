"""What ``make demo`` needs beyond the fetcher: a demo registry to fetch from, and codes to try."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import SecretStr

from operations.serve import check_port, port_problem
from store import Store
from store.cases import codes_and_data_by_id
from sunshine.config import Settings

if TYPE_CHECKING:
    from demo_registry.server import RegistryServer

DEMO_SEED = 1

# Which last event marks a case as an example worth trying, with a label for it.
_EXAMPLES = [
    ("replied", "已答复 / replied"),
    ("accepted", "办理中 / being handled"),
    ("review_requested", "复查中 / under review"),
]


def start_demo_registry(
    settings: Settings, cases: int, now: datetime | None = None
) -> RegistryServer:
    """Serve the demo registry in a background thread at the host and port of REGISTRY_URL.

    Its clock is ``now``, by default the current time: the demo then looks like a
    live site (recent cases, data as of today), where a fixed clock would make its
    data older every day and every page call it out of date. Tests that need
    fixed data construct a DemoRegistry themselves, with its fixed default clock.
    """
    from demo_registry import DemoRegistry, make_server

    url = urlsplit(str(settings.registry_url))
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(
            f"REGISTRY_URL is {settings.registry_url}: "
            "the demo serves its registry on loopback only"
        )
    registry = DemoRegistry(
        cases=cases,
        seed=DEMO_SEED,
        token=settings.registry_token.get_secret_value(),
        now=now or datetime.now(UTC),
    )
    port = url.port or 80
    try:
        # Checked first: a large registry starts a worker process before it binds.
        check_port(url.hostname, port)
        server = make_server(registry, url.hostname, port)
    except OSError as error:
        instead = (
            "make demo REGISTRY_PORT={port} "
            "(invoke demo: REGISTRY_URL=http://127.0.0.1:{port}/api/v1)"
        )
        whose = " (the demo registry's, from REGISTRY_URL)"
        raise SystemExit(port_problem(error, url.hostname, port, instead, whose)) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def registry_line(url: str, token: str | SecretStr) -> str:
    """Where the demo registry listens, with its token when that is the public demo token.

    The demo token is REGISTRY_TOKEN's default and guards synthetic data only, so
    it is printed, to let anyone try the registry by hand; a token someone set
    is never printed.
    """
    url = url.rstrip("/")
    value = token.get_secret_value() if isinstance(token, SecretStr) else token
    public = Settings.model_fields["registry_token"].default
    if not isinstance(public, SecretStr) or value != public.get_secret_value():
        return f"Demo registry: {url} (token: the one in REGISTRY_TOKEN)"
    return (
        f"Demo registry: {url} (token {value}, public), for example: "
        f"curl -H 'Authorization: Bearer {value}' '{url}/cases?limit=1'"
    )


def demo_codes(settings: Settings) -> list[tuple[str, str]]:
    """Three query codes of demo cases in different states, with a label for each."""
    store = Store.open(settings.var_path)
    try:
        found: dict[str, str] = {}
        for code, data in codes_and_data_by_id(store):
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
