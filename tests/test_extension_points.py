"""The configured plugins keep the contracts of plugins/extension_points.py."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import pelicanconf
from plugins import extension_points
from sunshine.regulations import citations


def test_the_plugin_order_keeps_every_declared_pair() -> None:
    plugins = list(pelicanconf.PLUGINS)
    for pair in extension_points.ORDER:
        assert pair.first in plugins and pair.then in plugins, pair
        assert plugins.index(pair.first) < plugins.index(pair.then), pair.why


def test_the_live_figures_have_their_provider_and_are_what_citations_read() -> None:
    assert extension_points.LIVE_FIGURES is citations.FIGURES
    assert extension_points.LIVE_FIGURES_PROVIDER in pelicanconf.PLUGINS
    provider = inspect.getsource(import_module(extension_points.LIVE_FIGURES_PROVIDER))
    assert "LIVE_FIGURES[" in provider
    assert "sunshine.regulations.citations" in pelicanconf.MARKDOWN["extension_configs"]


def _source(package: str) -> str:
    """The source of a plugin: its package's modules, or its one module."""
    module = import_module(package)
    texts = [inspect.getsource(module)]
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        texts.append(inspect.getsource(import_module(f"{package}.{info.name}")))
    return "\n".join(texts)


def test_every_plugin_doing_shared_work_asks_whether_it_is_the_main_site() -> None:
    for plugin in extension_points.SHARED_WORK:
        assert plugin in pelicanconf.PLUGINS, plugin
        assert "is_main_site(" in _source(plugin), plugin
