"""The case tracker's rules, mirrored by :mod:`plugins.tracker`.

``sealing`` is the lookup protocol (key derivation, buckets, sealed records,
the guessing margin); ``lookup`` opens the published bucket file with a query
code, as the browser does (``invoke lookup``).
"""
