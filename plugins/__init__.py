"""Pelican plugins: the store and ``content/`` in, pages and files out.

This file declares the site's extension points. Each plugin is one small
module whose only entry point is ``register()``; its "collect" step is a pure
function tested without I/O and its "write" step is what ``register()`` hooks
into Pelican. ``pelicanconf.PLUGINS`` lists them in the order they run:

``pelican.plugins.i18n_subsites``
    Builds the English subsite under ``/en/`` and links translations.
``site_context``
    Adds what every template needs: the language list, the other-language URL
    of the page being written (language switch and ``hreflang``), the project
    settings and the data's freshness.
``tracker``
    Seals every case's public record into the lookup bucket files under
    ``/track/b/`` (once, for all languages) and gives the /track/ page its
    public lookup parameters and words.
``regulations``
    The regulation list, one structured page per text with anchors for every
    part, and ``/regulations/<reg_id>.json``.
``statistics``
    Indicators computed from the store under disclosure control: the
    ``/statistics/`` pages with charts, the methodology page, the open-data
    files and catalogue under ``/data/``, and the live figures of staff Markdown.

Staff Markdown is extended by :mod:`sunshine.citations` (``[[2022:34]]``
citations, ``[[fig:NAME]]`` live figures), configured in ``MARKDOWN``.

Domain rules that several plugins share live in :mod:`sunshine`, never here.
"""
