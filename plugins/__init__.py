"""Pelican plugins: the store and ``content/`` in, pages and files out.

The contracts between the plugins (the live-figures registry, the order they
must run in, the work only the main site does) are declared as code in
:mod:`plugins.extension_points`. Each plugin is one small
module whose only entry point is ``register()``; its "collect" step is a pure
function tested without I/O and its "write" step is what ``register()`` hooks
into Pelican. ``pelicanconf.PLUGINS`` lists them, by full dotted path, in the
order they run:

``pelican.plugins.i18n_subsites``
    Builds the English subsite under ``/en/`` and links translations.
``plugins.authoring``
    Checks staff Markdown before anything is read (front matter, categories,
    translation pairs, images: :mod:`sunshine.content.content_checks`) and stops the
    build on a problem, naming file and line; keeps drafts and pieces dated
    later than now out of the site (a preview, Pelican setting
    ``SUNSHINE_PREVIEW``, shows them marked); writes the unlinked staff page
    ``/staff/``; shrinks images wider than the text column. Cleans every piece's
    HTML to an allowlist (:mod:`sunshine.content.sanitise`, with nh3) as it is read,
    so pages, feeds and the search index see only that, and publishes only
    real images from ``content/images/``.
``plugins.site_context``
    Adds what every template needs: the language list, the other-language URL
    of the page being written (language switch and ``hreflang``), the project
    settings, the data's freshness and the page's Content-Security-Policy
    ``<meta>`` (:mod:`sunshine.headers`); writes ``_headers``.
``plugins.indicators``
    Indicators computed from the store under disclosure control (started in
    another process at initialisation, so it runs while the tracker works;
    counters kept between builds in ``indicators.sqlite3``): the
    ``/statistics/`` pages with the headline trend, one page per indicator
    with charts, one per breakdown, the methodology page, the open-data files
    and catalogue under ``/data/``, and the live figures of staff Markdown.
``plugins.tracker``
    Seals every case's public record into the lookup bucket files under
    ``/track/b/`` (once, for all languages; a bucket whose contents changed is
    sealed afresh, :mod:`sunshine.tracker.sealing`) and gives the /track/ page its
    public lookup parameters and words. The bucket files are written by
    another process while the pages are made.
``plugins.regulations``
    The regulation list, one structured page per text with anchors for every
    part, and ``/regulations/<reg_id>.json``.
``plugins.search``
    Indexes guides, explainers, every regulation article and the indicator
    definitions of both languages with Whoosh (:mod:`search_index`) under the
    state folder, and exports it to ``/search/index/`` for the browser.

Staff Markdown is extended by :mod:`sunshine.regulations.citations` (``[[2022:34]]``
citations, ``[[fig:NAME]]`` live figures), configured in ``MARKDOWN``.

Domain rules that several plugins share live in :mod:`sunshine`, never here.
"""
