"""The ``gfmdreport`` command line: the only package that prints or exits.

Exit codes: 0 success; 1 the input is invalid (diagnostics printed as
``path:line:col: severity[rule]: message``) or a plugin failed; 2 usage error.

The commands live one group to a module (:mod:`.render`, :mod:`.validate`,
:mod:`.listing`, :mod:`.batch`; :mod:`.diff` and :mod:`.scaffold` are plugins that add
theirs through the ``register_commands`` hook) and are assembled in :mod:`.app`. This
module imports none of them, nor click, until the command line runs: the built-in plugins
:mod:`.diff` and :mod:`.scaffold` are loaded at every start.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    import click

    from gfmdreport.hooks.manager import Plugins


def main(args: Sequence[str] | None = None) -> None:
    """Run the command line (the ``gfmdreport`` script)."""
    from gfmdreport.cli.app import main as run

    run(args)


def build_cli(plugins: Plugins) -> click.Group:
    """The command line for these plugins (see :func:`gfmdreport.cli.app.build_cli`)."""
    from gfmdreport.cli.app import build_cli as build

    return build(plugins)


__all__: list[Any] = ["build_cli", "main"]
