"""Command-line runs of the fetcher (``invoke fetch``, ``invoke store-dump``).

Exit codes: 0 done; 2 the registry stayed unavailable (errors, 5xx, timeouts,
the deadline, after the retries; at once when nothing listens at a loopback
REGISTRY_URL, with how to start the demo registry); 3 the registry refused the token; 4 the
registry broke its contract (a malformed page or listing, a redirect to another
origin, an answer over the size caps); 1 a refused setting (REGISTRY_URL not
https) or anything else. Each failure is one line on stderr. Messages name the
URL and the status, never the token, a query code, a case id or anything the
registry sent.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

import requests
from tqdm import tqdm

from fetch.client import RegistryClient, RegistryNotRunning, RetryPolicy
from fetch.errors import (
    AuthenticationFailed,
    RegistryError,
    RegistryUnavailable,
    UnsafeRegistryURL,
)
from fetch.sync import FetchReport, fetch_all
from store import Store
from sunshine.config import Settings

EXIT_SETTING = 1
EXIT_UNAVAILABLE = 2
EXIT_AUTH = 3
EXIT_PROTOCOL = 4


def make_client(settings: Settings, retry: RetryPolicy | None = None) -> RegistryClient:
    return RegistryClient(
        str(settings.registry_url),
        settings.registry_token.get_secret_value(),
        requests.Session(),
        retry=retry,
    )


def run_fetch(settings: Settings, *, progress: bool = True, out: TextIO = sys.stdout) -> int:
    """One fetch run with a progress bar and a closing summary; returns the exit code."""
    store = Store.open(settings.var_path)
    bar = tqdm(unit=" items", desc="fetching cases", disable=not progress, file=sys.stderr)
    try:
        try:
            report: FetchReport = fetch_all(
                make_client(settings),
                store,
                notes_enabled=settings.notes_enabled,
                on_page=bar.update,
            )
        finally:
            # Closed first, so that a failure's line is the last one printed.
            bar.close()
            store.close()
    except UnsafeRegistryURL as error:
        print(f"fetch refused: {error}", file=sys.stderr)
        return EXIT_SETTING
    except AuthenticationFailed as error:
        print(f"fetch failed: {error}", file=sys.stderr)
        return EXIT_AUTH
    except RegistryNotRunning as error:
        print(
            f"fetch failed: {error}: start the demo registry with `make demo` or "
            "`invoke registry`, or set REGISTRY_URL to the registry's address",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE
    except RegistryUnavailable as error:
        print(f"fetch failed: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except RegistryError as error:
        print(f"fetch failed: {error}", file=sys.stderr)
        return EXIT_PROTOCOL
    print(report.summary(), file=out)
    return 0


def dump_store(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Every current case as one JSON line (the operator's private view)."""
    store = Store.open(settings.var_path)
    try:
        for case in store.iter_cases():
            out.write(json.dumps(case, ensure_ascii=False, sort_keys=True) + "\n")
    finally:
        store.close()
    return 0
