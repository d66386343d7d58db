"""The command line assembled: the built-in commands, then the plugins' commands; the
group that turns every gfmdreport error into a one-line message and its exit code."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any
from typing import NoReturn

import click

from gfmdreport import __version__
from gfmdreport.cli.common import echo_err
from gfmdreport.cli.common import fail
from gfmdreport.cli.common import warn_failed_plugins
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import RegistryError
from gfmdreport.diagnostics import describe_exception
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.manager import make_plugin_manager

BUILT_IN: dict[str, tuple[str, str]] = {
    "render": ("gfmdreport.cli.render", "make_render"),
    "validate": ("gfmdreport.cli.validate", "validate_command"),
    "batch": ("gfmdreport.cli.batch", "make_batch"),
    "compile": ("gfmdreport.cli.compile", "make_compile"),
    "rules": ("gfmdreport.cli.listing", "rules_command"),
    "plugins": ("gfmdreport.cli.listing", "plugins_command"),
    "formats": ("gfmdreport.cli.listing", "formats_command"),
    "schema": ("gfmdreport.cli.listing", "schema_command"),
    "serve": ("gfmdreport.cli.serve", "make_serve"),
}
"""The built-in commands, by name: the module that defines each and its command (or, for
``make_…``, the function that makes it for the loaded plugins). A command's module is
imported only when that command runs (or help lists it)."""


class GfmdGroup(click.Group):
    """A click group that loads the built-in commands on demand, and turns gfmdreport
    errors, Ctrl-C and failures to write to standard output (a full disk) into one-line
    messages."""

    plugins: Plugins | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = dict(BUILT_IN)

    def add_lazy_command(self, name: str, where: str) -> None:
        """Add the command ``where`` names (``"package.module:attribute"``) as ``name``,
        importing its module only when the command runs or help lists it. For the
        ``register_commands`` hook: a plugin's command then costs the other commands
        nothing at start-up."""
        module, _, attribute = where.partition(":")
        self.lazy[name] = (module, attribute)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self.lazy:
            module, attribute = self.lazy[name]
            found = getattr(importlib.import_module(module), attribute)
            command = found(self.plugins) if attribute.startswith("make_") else found
            self.add_command(command, name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            interrupted()
        except GfmdError as exc:
            fail(exc)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # a closed pipe (| head): click ends quietly
            if exc.filename is not None:
                echo_err(f"gfmdreport: error: {exc.filename}: {exc.strerror or exc}")
            else:  # standard output, the only stream written without a name
                _quiet_stdout()
                echo_err(f"gfmdreport: error: cannot write to standard output: "
                         f"{exc.strerror or exc}")
            sys.exit(1)


def interrupted() -> NoReturn:
    """Ctrl-C: say so in one line and exit with 130, as shells expect. A second Ctrl-C
    while the first is handled changes nothing (no traceback, no other status)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, ValueError):
        echo_err("gfmdreport: interrupted")
    sys.exit(130)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that flushing what is left in its
    buffer at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def build_cli(plugins: Plugins) -> click.Group:
    """The command line for these plugins: built-in commands, then plugins' commands."""

    @click.group(cls=GfmdGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "--version", prog_name="gfmdreport")
    @click.option("--block", "block", multiple=True, metavar="PLUGIN",
                  help="Leave out a plugin by name (repeatable; also GFMDREPORT_BLOCK).")
    @click.pass_context
    def cli(ctx: click.Context, block: Sequence[str]) -> None:
        """Turn a rapporteur's notes of a working session into the session summary."""
        ctx.obj = plugins
        warn_failed_plugins(plugins)

    cli.plugins = plugins
    for name, call in plugins.each("register_commands"):
        try:
            call(cli=cli)
        except Exception as exc:
            origin = plugins.registry.origin(name)
            echo_err(f"gfmdreport: warning: {origin} failed in register_commands: "
                     f"{describe_exception(exc)}")
    return cli


def blocked_in(args: Sequence[str]) -> list[str]:
    """The ``--block`` values given before the subcommand (read before click parses, since
    plugins must be loaded to know the subcommands)."""
    found = []
    it = iter(args)
    for arg in it:
        if arg == "--block":
            found.append(next(it, ""))
        elif arg.startswith("--block="):
            found.append(arg.split("=", 1)[1])
        elif not arg.startswith("-"):
            break
    return [name for name in found if name]


def main(args: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if args is None else args)
    try:
        try:
            plugins = make_plugin_manager(block=blocked_in(argv))
            cli = build_cli(plugins)
        except RegistryError as exc:
            echo_err(f"gfmdreport: error: {exc}")
            sys.exit(2)
        except GfmdError as exc:
            fail(exc)
        cli.main(argv, prog_name="gfmdreport")
    except KeyboardInterrupt:
        interrupted()
