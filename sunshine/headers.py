"""The security headers every page is served with, and the page's own policy, in one place.

The development server (:mod:`operations.serve`, so every browser test runs under
them) sends them; the build writes ``_headers`` for static hosts that read that
file (Netlify, Cloudflare Pages); ``deploy/nginx/sunshine-headers.conf`` is the
same set for nginx (``python -m sunshine.headers nginx`` writes it; a test keeps
it in step). HSTS only in production: it would pin a development host to HTTPS.

The Content-Security-Policy allows this origin only and no inline script or
style: the site has none. ``connect-src 'self'`` covers the lookup's bucket
files and the search index; nothing else is fetched.

Every page also carries the policy in a ``<meta http-equiv>`` (:func:`meta_policy`,
printed by ``base.html`` right after the charset), for hosts that send no
headers at all. It is the header's policy without the directives a ``<meta>``
cannot carry (:data:`META_IGNORED`); the clickjacking protection
(``frame-ancestors``) therefore needs the header. Where a host sends the header
too, the browser enforces both policies: a load must pass each.

Scripts: ``script-src`` names the theme's script folder, ``<site>/theme/js/``,
when the site's URL is absolute (a production build, ``SITEURL`` from
``SUNSHINE_SITE_URL``), and is ``'self'`` otherwise. A source with a path is the
one way CSP (level 2 and later, in every current browser) narrows scripts to a
folder, and it must name the host: ``'self'`` takes no path. Narrowing matters
for hosts that send no ``X-Content-Type-Options: nosniff``: there, with
``'self'``, any file of the site a script element is pointed at may run as
script, the open-data files and the search index (which quote registry names)
among them; with the folder, only the theme's own files can. Hashes of the
script files (``'sha256-…'`` with ``integrity`` attributes) were the other way
to name them without a host, but matching a hash against an external script is
a late CSP level 3 addition that browsers took up unevenly, and a browser
without it would run none of the site's scripts; and every change to a script
would change the policy, the shipped nginx snippet's included. A development
build (``SITEURL`` empty, served from any host) uses ``'self'``.

The policy thus depends on the site's URL: the pages' ``<meta>`` and the
build's ``_headers`` are made by :func:`policy` with the same URL (the meta
without :data:`META_IGNORED`). The nginx snippet is a file in the repository,
shipped for any host, so it is made without a URL (``'self'``); the pages of a
production build narrow it with their meta. ``python -m sunshine.headers nginx
https://example.org`` writes the snippet with a site's folder in the header too.
"""

from __future__ import annotations

import re
import sys

__all__ = [
    "CSP",
    "HEADERS",
    "HSTS",
    "META_IGNORED",
    "THEME_SCRIPTS",
    "headers",
    "meta_policy",
    "netlify_file",
    "nginx_snippet",
    "policy",
]

THEME_SCRIPTS = "/theme/js/"
"""The folder the theme's scripts are served from, under the site's URL."""

META_IGNORED = frozenset({"frame-ancestors", "report-uri", "sandbox"})
"""Directives a policy in ``<meta>`` must not contain: browsers ignore them there
(and Chromium logs an error for each), and the HTML standard forbids them."""

# An absolute http(s) URL whose characters cannot end a source expression, a
# directive or a policy (whitespace, ";", ",") or be read as a keyword ("'").
_SITE_URL = re.compile(r"https?://[^\s;,'\"]+")


def script_source(site_url: str | None = None) -> str:
    """``script-src``'s source: the theme's script folder on an absolute site URL, else 'self'."""
    if not site_url or not site_url.startswith(("https://", "http://")):
        return "'self'"
    if not _SITE_URL.fullmatch(site_url):
        raise ValueError(f"site URL {site_url!r} cannot be written into a Content-Security-Policy")
    return site_url.rstrip("/") + THEME_SCRIPTS


def _directives(site_url: str | None) -> dict[str, str]:
    return {
        "default-src": "'none'",
        "script-src": script_source(site_url),
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def policy(site_url: str | None = None) -> str:
    """The Content-Security-Policy header for a site served from ``site_url``."""
    return "; ".join(f"{name} {value}" for name, value in _directives(site_url).items())


def meta_policy(site_url: str | None = None) -> str:
    """The same policy for a ``<meta http-equiv>``: without :data:`META_IGNORED`."""
    return "; ".join(
        f"{name} {value}"
        for name, value in _directives(site_url).items()
        if name not in META_IGNORED
    )


CSP = policy()
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def headers(production: bool, site_url: str | None = None) -> dict[str, str]:
    """Every header; the policy for ``site_url`` (see the module's docstring)."""
    own = {**HEADERS, "Content-Security-Policy": policy(site_url)}
    return {**own, **(dict([HSTS]) if production else {})}


def netlify_file(production: bool = True, site_url: str | None = None) -> str:
    """``_headers``: every path gets every header."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers(production, site_url).items()]
    return "\n".join(lines) + "\n"


def nginx_snippet(production: bool = True, site_url: str | None = None) -> str:
    """``add_header`` lines for an nginx ``server`` or ``location`` block."""
    head = "# Security headers of the Sunshine site (generated by sunshine/headers.py).\n"
    if script_source(site_url) == "'self'":
        head += (
            "# script-src is 'self' here, for any host; the pages of a production build narrow\n"
            "# it to <site URL>/theme/js/ in their <meta> policy. For the header to say so too:\n"
            "# python -m sunshine.headers nginx https://your.site > sunshine-headers.conf\n"
        )
    lines = [
        f'add_header {name} "{value}" always;'
        for name, value in headers(production, site_url).items()
    ]
    return head + "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped snippet
    kind, *url = sys.argv[1:] or ["netlify"]
    site = url[0] if url else None
    sys.stdout.write(
        nginx_snippet(site_url=site) if kind == "nginx" else netlify_file(site_url=site)
    )
