"""Regulations, mirrored by :mod:`plugins.regulations`.

``regulation_text`` parses one text into a document model; ``collection`` is
every regulation in the store, parsed and in order, with their short names;
``chinese_numerals`` reads and writes the numerals the texts number parts
with; ``citations`` is the Markdown extension for ``[[2022:34]]`` citations
and ``[[fig:NAME]]`` live figures in staff Markdown.
"""
