"""Plugin discovery: every plugin, the built-in ones included, comes from the
``gfmdreport`` entry-point group and registers through the same hooks.

A plugin that fails to import, or raises while registering, is recorded with the reason
and left out; it never takes the tool down. Plugins are blocked by name with
``--block NAME`` or the ``GFMDREPORT_BLOCK`` environment variable (comma-separated),
which is how a built-in format is replaced by a third-party one.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import AbstractContextManager
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import pluggy

from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import RegistryError
from gfmdreport.diagnostics import describe_exception
from gfmdreport.hooks import specs as hookspecs
from gfmdreport.hooks.registry import BLOCK_ENV
from gfmdreport.hooks.registry import PluginInfo
from gfmdreport.hooks.registry import Registry

GROUP = "gfmdreport"
REGISTER_HOOKS = {"register_readers": "reader", "register_writers": "writer",
                  "register_rules": "rule", "register_languages": "language"}


def blocked_from_env() -> set[str]:
    return {n.strip() for n in os.environ.get(BLOCK_ENV, "").split(",") if n.strip()}


class Plugins:
    """The plugin manager with its registry: what the loaded plugins provide."""

    def __init__(self, pm: pluggy.PluginManager, registry: Registry):
        self.pm = pm
        self.registry = registry
        self._callers: dict[tuple[str, str], Any] = {}

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def each(self, hook_name: str) -> Iterator[tuple[str, Any]]:
        """Each plugin implementing ``hook_name``, in the order pluggy calls them
        (``tryfirst`` first, ``trylast`` last, later registrations before earlier ones),
        with a hook caller limited to that plugin (``pm.subset_hook_caller``).

        Calling through it is calling through pluggy: an implementation may take a
        subset of the arguments, and a ``wrapper=True`` implementation wraps its own
        plugin's; what the core gains is knowing which plugin each result, or each
        failure, comes from."""
        hook = getattr(self.pm.hook, hook_name)
        order: list[str] = []
        for impl in reversed(hook.get_hookimpls()):
            if impl.plugin_name not in order:
                order.append(impl.plugin_name)
        for name in order:
            yield name, self._caller(hook_name, name)

    def _caller(self, hook_name: str, plugin_name: str) -> Any:
        key = (hook_name, plugin_name)
        caller = self._callers.get(key)
        if caller is None:
            mine = self.pm.get_plugin(plugin_name)
            others = [p for p in self.pm.get_plugins() if p is not mine]
            caller = self._callers[key] = self.pm.subset_hook_caller(hook_name, others)
        return caller

    @contextmanager
    def failing_as(self, name: str, hook_name: str) -> Iterator[None]:
        """Around one plugin's implementation of ``hook_name``: its failure is a
        PluginError naming the plugin, its distribution and the hook (a GfmdError it
        raises, a problem it reports, passes as it is)."""
        try:
            yield
        except GfmdError:
            raise
        except Exception as exc:
            raise PluginError(name, self.registry.dist_label(name), hook_name,
                              describe_exception(exc)) from exc

    def active(self) -> AbstractContextManager[None]:
        """While readers, rules and writers run: the languages these plugins added."""
        from gfmdreport.labels import languages

        return languages(self.registry.label_tables())


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
            if ep.name in blocked:
                registry.blocked[ep.name] = ep.dist
                continue
            if ep.name in registry.plugins:
                continue
            info = PluginInfo(name=ep.name, module=ep.value, dist=ep.dist, version=ep.version)
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
        for name, call in list(plugins.each(hook_name)):
            info = registry.plugins[name]
            if info.error:  # failed in an earlier register hook: left out
                continue
            register: Callable[[Any], None] = partial(registry.add, kind, info=info)
            try:
                call(register=register)
            except RegistryError:
                raise
            except Exception as exc:
                info.error = f"failed in {hook_name}: {describe_exception(exc)}"
                _forget(registry, info)
                pm.unregister(name=info.name)
                plugins._callers.clear()
    return plugins


def _forget(registry: Registry, info: PluginInfo) -> None:
    """Withdraw whatever a failing plugin registered before it failed."""
    for table, names in ((registry.readers, info.readers), (registry.writers, info.writers),
                         (registry.rules, info.rules), (registry.languages, info.languages)):
        for name in names:
            table.pop(name, None)
        names.clear()


@dataclass(frozen=True)
class EntryPoint:
    """One ``gfmdreport`` entry point of an installed distribution."""

    name: str
    value: str
    dist: str | None
    version: str | None

    def load(self) -> Any:
        module_name, _, attr = self.value.partition(":")
        obj: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
        return obj


def _entry_points() -> list[EntryPoint]:
    """The ``gfmdreport`` entry points of every distribution on ``sys.path``.

    This reads ``*.dist-info/entry_points.txt`` directly: importlib.metadata would parse
    every distribution's metadata (and import the email package) on each start of the
    command line, several times the cost of the rest of a small conversion. The first
    distribution of a name on ``sys.path`` wins, as with importlib.metadata.
    """
    found: dict[str, EntryPoint] = {}
    dists: set[str] = set()
    for entry in sys.path:
        try:
            listing = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in listing:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            folder = os.path.join(entry or ".", name)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"[{GROUP}]" not in text:
                continue
            dist, version = _dist_name(folder, name)
            if _normalise(dist) in dists:
                continue
            dists.add(_normalise(dist))
            for ep_name, value in _section(text, GROUP):
                found.setdefault(ep_name, EntryPoint(ep_name, value, dist, version))
    return sorted(found.values(), key=lambda ep: ep.name)


def _section(text: str, group: str) -> list[tuple[str, str]]:
    entries, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line == f"[{group}]"
        elif inside and "=" in line:
            key, value = line.split("=", 1)
            entries.append((key.strip(), value.split("[", 1)[0].strip()))
    return entries


def _dist_name(folder: str, dirname: str) -> tuple[str, str | None]:
    name = version = None
    for meta in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, meta), encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        break
                    if line.startswith("Name:"):
                        name = line[5:].strip()
                    elif line.startswith("Version:"):
                        version = line[8:].strip()
            break
        except OSError:
            continue
    if name is None:
        stem = dirname.rsplit(".", 1)[0]
        name, _, rest = stem.partition("-")
        version = version or (rest or None)
    return name, version


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
