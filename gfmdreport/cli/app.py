"""The command line assembled: the built-in commands, then the plugins' commands; the
group that turns every gfmdreport error into a one-line message and its exit code."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from gfmdreport import __version__
from gfmdreport.cli.batch import make_batch
from gfmdreport.cli.common import echo_err, fail, warn_failed_plugins
from gfmdreport.cli.listing import (
    formats_command,
    plugins_command,
    rules_command,
    schema_command,
)
from gfmdreport.cli.render import make_render
from gfmdreport.cli.validate import validate_command
from gfmdreport.diagnostics import (
    GfmdError,
    RegistryError,
    describe_exception,
)
from gfmdreport.hooks.manager import Plugins, make_plugin_manager


class GfmdGroup(click.Group):
    """A click group that turns gfmdreport errors, and failures to write to standard
    output (a full disk), into one-line messages."""

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

    cli.add_command(make_render(plugins))
    cli.add_command(plugins_command)
    cli.add_command(formats_command)
    cli.add_command(schema_command)
    cli.add_command(validate_command)
    cli.add_command(rules_command)
    cli.add_command(make_batch(plugins))
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
