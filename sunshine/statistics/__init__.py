"""The published statistics' rules, mirrored by :mod:`plugins.indicators`.

``indicator_rules`` (a case's facts as the indicators count them),
``indicators`` (the indicator definitions and their computation),
``disclosure`` (disclosure control before anything is published),
``open_data`` (the open-data files and their catalogue) and ``charts`` (the
pages' SVG charts). A subpackage, not a top-level module: it never shadows the
standard library's ``statistics``.
"""
