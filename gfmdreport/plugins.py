"""Plugin discovery: every plugin, the built-in ones included, comes from the
``gfmdreport`` entry-point group and registers through the same hooks.

A plugin that fails to import, or raises while registering, is recorded with the reason
and left out; it never takes the tool down. Plugins are blocked by name with
``--block NAME`` or the ``GFMDREPORT_BLOCK`` environment variable (comma-separated),
which is how a built-in format is replaced by a third-party one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import partial
from importlib import metadata
from typing import Any

import pluggy

from . import hookspecs
from .diagnostics import RegistryError, describe_exception
from .registry import PluginInfo, Registry

GROUP = "gfmdreport"
BLOCK_ENV = "GFMDREPORT_BLOCK"
REGISTER_HOOKS = {"register_readers": "reader", "register_writers": "writer",
                  "register_rules": "rule"}


def blocked_from_env() -> set[str]:
    return {n.strip() for n in os.environ.get(BLOCK_ENV, "").split(",") if n.strip()}


class Plugins:
    """The plugin manager with its registry: what the loaded plugins provide."""

    def __init__(self, pm: pluggy.PluginManager, registry: Registry):
        self.pm = pm
        self.registry = registry

    @property
    def hook(self) -> Any:
        return self.pm.hook


def make_plugin_manager(
    block: Iterable[str] = (),
    *,
    entry_points: bool = True,
    extra: Iterable[tuple[str, Any]] = (),
) -> Plugins:
    """Load every plugin and fill the registry.

    ``block`` names plugins to leave out (added to ``GFMDREPORT_BLOCK``); ``extra``
    registers ``(name, plugin)`` pairs directly (for tests); ``entry_points=False``
    skips discovery altogether.
    """
    blocked = set(block) | blocked_from_env()
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    registry = Registry()

    def add(name: str, plugin: Any, info: PluginInfo) -> None:
        registry.plugins[name] = info
        try:
            pm.register(plugin, name=name)
        except Exception as exc:  # bad hook signature, unknown hook, …
            info.error = describe_exception(exc)
            return
        info.hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())

    if entry_points:
        for ep in _entry_points():
            if ep.name in blocked or ep.name in registry.plugins:
                continue
            dist = getattr(ep, "dist", None)
            info = PluginInfo(
                name=ep.name,
                module=ep.value,
                dist=dist.metadata["Name"] if dist is not None else None,
                version=dist.version if dist is not None else None,
            )
            try:
                plugin = ep.load()
            except Exception as exc:
                info.error = f"failed to import: {describe_exception(exc)}"
                registry.plugins[ep.name] = info
                continue
            add(ep.name, plugin, info)
    for name, plugin in extra:
        if name not in blocked:
            module = getattr(plugin, "__name__", type(plugin).__name__)
            add(name, plugin, PluginInfo(name=name, module=module))

    plugins = Plugins(pm, registry)
    for hook_name, kind in REGISTER_HOOKS.items():
        for impl in reversed(getattr(pm.hook, hook_name).get_hookimpls()):
            info = registry.plugins[impl.plugin_name]
            register: Callable[[Any], None] = partial(registry.add, kind, info=info)
            try:
                impl.function(**({"register": register} if "register" in impl.argnames
                                 else {}))
            except RegistryError:
                raise
            except Exception as exc:
                info.error = f"failed in {hook_name}: {describe_exception(exc)}"
                _forget(registry, info)
                pm.unregister(name=info.name)
    return plugins


def _forget(registry: Registry, info: PluginInfo) -> None:
    """Withdraw whatever a failing plugin registered before it failed."""
    for table, names in ((registry.readers, info.readers), (registry.writers, info.writers),
                         (registry.rules, info.rules)):
        for name in names:
            table.pop(name, None)
        names.clear()


def _entry_points() -> list[metadata.EntryPoint]:
    eps = metadata.entry_points()
    selected = eps.select(group=GROUP) if hasattr(eps, "select") else eps.get(GROUP, [])
    return sorted(selected, key=lambda ep: ep.name)

