"""Sunshine: the project's own package.

It holds what several parts of the pipeline share. Flat in this folder, the
foundation: the typed settings (:mod:`sunshine.config`), the languages
(:mod:`sunshine.i18n`), worker processes (:mod:`sunshine.parallel`) and the
security headers (:mod:`sunshine.headers`). In subpackages that mirror the
plugins, the domain rules grouped by capability: :mod:`sunshine.cases` (stages,
calendar, timeline, query codes), :mod:`sunshine.tracker`,
:mod:`sunshine.statistics`, :mod:`sunshine.regulations` and
:mod:`sunshine.content`. Plugins and operations import from here; nothing here
imports a plugin or an operation; the domain reads the store only through
:mod:`store`'s functions.
"""

__version__ = "0.1.0"
