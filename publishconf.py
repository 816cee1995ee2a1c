"""Pelican settings for the production build: ``pelicanconf.py`` plus these.

Links and feeds are absolute, from the ``site_url`` setting
(``SUNSHINE_SITE_URL``); Atom feeds are written in both languages.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403
from pelicanconf import I18N_SUBSITES, SUNSHINE

SITEURL = SUNSHINE.site_url
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
# Each subsite's feeds live under its own root, and say so in their self links.
for _code, _overrides in I18N_SUBSITES.items():
    _overrides["FEED_DOMAIN"] = f"{SITEURL}/{_code}"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
SUNSHINE_PRODUCTION = True  # _headers carries HSTS (sunshine/headers.py)

# Citation links point at the production site too.
MARKDOWN = {
    **MARKDOWN,  # noqa: F405
    "extension_configs": {
        **MARKDOWN["extension_configs"],  # noqa: F405
        "sunshine.regulations.citations": {"siteurl": SITEURL},
    },
}
