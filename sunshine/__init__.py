"""Sunshine: the project's own package.

It holds what several parts of the pipeline share: the typed settings
(:mod:`sunshine.config`) and the domain rules that more than one plugin needs
(the stage model, the deadline calendar, the indicator definitions). Plugins
and operations import from here; nothing here imports a plugin or an operation.
"""

__version__ = "0.1.0"
