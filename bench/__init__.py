"""Benchmarks (``invoke bench``): the fetcher, the build, search, and the build at scale.

``fetch`` fills a store from the demo registry over loopback and measures it;
``build`` measures key derivation, full and partial builds and the checks on a
store ``fetch`` fills; ``search`` compares the site's search with a yardstick;
``chromium`` is the served site in a headless browser both of the last two use.
Nothing outside ``bench`` and ``tasks.py`` imports from here.
"""
