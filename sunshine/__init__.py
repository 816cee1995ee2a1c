"""Sunshine: the project's own package.

It holds what several parts of the pipeline share: the typed settings
(:mod:`sunshine.config`), the build entry point (:mod:`sunshine.build`) and,
as they arrive, the domain rules that more than one plugin needs (the stage
model, the deadline calendar, the indicator definitions). Plugins import from
here; nothing here imports a plugin.
"""

__version__ = "0.1.0"
