"""Registry → store: the fetcher.

``client`` talks HTTP to the registry (https, retries, deadlines, size caps,
token), ``models`` validate what it sends, ``scrub`` removes personal data from
staff notes, and ``sync`` runs one fetch into the store (:mod:`store`, the
SQLite database the site is built from): the change feed page by page, each
page applied in one transaction together with its cursor. The local stand-in for the registry is
its own package, :mod:`demo_registry`, which this one never imports.
"""
