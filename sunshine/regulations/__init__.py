"""Regulations, mirrored by :mod:`plugins.regulations`.

``legislative_parser`` classifies the lines of one text and ``structure_builder``
places them into the model of ``regulation_model`` (parts down to items, and
what was irregular); ``regulation_text`` re-exports these and adds the text's
cross-references and its JSON; ``collection`` is
every regulation in the store, parsed and in order, with their short names;
``chinese_numerals`` reads and writes the numerals the texts number parts
with; ``citations`` is the Markdown extension for ``[[2022:34]]`` citations
and ``[[fig:NAME]]`` live figures in staff Markdown.
"""
