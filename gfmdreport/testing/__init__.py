"""The conformance kit for gfmdreport plugins.

Installed with gfmdreport and loaded by pytest on its own (entry point ``pytest11``), it
gives plugin authors:

- fixtures: ``gfmd_plugins`` (a fresh plugin manager with only the plugins you choose),
  ``gfmd_examples`` / ``gfmd_example`` (the example summaries), ``gfmd_cli`` (run the
  command line in-process);
- :func:`check_writer`, :func:`check_reader` and :func:`check_rule`, which assert that a
  format or rule behaves as every gfmdreport plugin must;
- the example summaries themselves (:func:`example_summaries`): every block type, every
  language, empty optional fields, long and unusual Unicode text;
- summaries made for a test (:func:`make_summary`, :func:`summary_from_notes`): a rule's
  positive case from notes that break it, its negative case from a complete summary.

A writer plugin's whole test can be::

    from gfmdreport.testing import check_writer

    def test_conformance(gfmd_plugins):
        check_writer("txt", plugins=gfmd_plugins(only=["my-plugin"]))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.manager import _entry_points
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.testing.build import make_summary
from gfmdreport.testing.build import person
from gfmdreport.testing.build import summary_from_notes
from gfmdreport.testing.checks import KitWarning
from gfmdreport.testing.checks import builtin_plugins
from gfmdreport.testing.checks import check_reader
from gfmdreport.testing.checks import check_rule
from gfmdreport.testing.checks import check_writer
from gfmdreport.testing.examples import NAMES
from gfmdreport.testing.examples import example_summaries
from gfmdreport.testing.examples import example_summary
from gfmdreport.testing.media import MediaParser
from gfmdreport.testing.media import NotAccepted
from gfmdreport.testing.media import ParserMissing
from gfmdreport.testing.media import parser_for
from gfmdreport.testing.media import register_parser


def make_plugins(*plugins: Any, only: Iterable[str] | None = None,
                 block: Iterable[str] = ()) -> Plugins:
    """A fresh plugin manager.

    Installed plugins are loaded (all of them, or only those named in ``only``, by entry
    point name: the built-ins are ``yaml``, ``json`` and ``markdown``…), minus ``block``;
    then each of ``plugins``: a module or object with hook implementations, or a
    ``(name, plugin)`` pair.
    """
    blocked = set(block)
    if only is not None:
        keep = set(only)
        blocked |= {ep.name for ep in _entry_points() if ep.name not in keep}
    extra = []
    for plugin in plugins:
        if isinstance(plugin, tuple):
            extra.append(plugin)
        else:
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            extra.append((name, plugin))
    return make_plugin_manager(block=blocked, extra=extra)


__all__ = [
    "NAMES",
    "KitWarning",
    "MediaParser",
    "NotAccepted",
    "ParserMissing",
    "builtin_plugins",
    "check_reader",
    "check_rule",
    "check_writer",
    "example_summaries",
    "example_summary",
    "make_plugins",
    "make_summary",
    "parser_for",
    "person",
    "register_parser",
    "summary_from_notes",
]
