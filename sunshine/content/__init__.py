"""Staff content, mirrored by :mod:`plugins.authoring`.

``content_rules`` (front matter, categories, translation pairs),
``content_checks`` (the checks a build runs on staff Markdown, naming file and
line), ``sanitise`` (staff HTML cleaned to an allowlist) and ``authoring``
(the scaffolding of a new piece in both languages, ``invoke new``).
"""
