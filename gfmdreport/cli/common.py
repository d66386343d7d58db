"""What the commands share: printing diagnostics and errors, the plugins of the running
command line, validation settings, standard input, and the writer options ``render`` and
``batch`` offer."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any
from typing import NoReturn

import click

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import printable
from gfmdreport.hooks.manager import Plugins


def echo_err(message: str) -> None:
    """One line on standard error, with file names and user text made printable (a name
    holding escape sequences or a line break shows them as ``\\x1b``, ``\\n``)."""
    click.echo(printable(message), err=True)


def json_text(value: Any) -> str:
    """``value`` as indented JSON; names that are not UTF-8 (lone surrogates) are written
    as ``\\udcxx`` escapes, so that the text can be printed."""
    import json

    text = json.dumps(value, indent=2, ensure_ascii=False)
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = json.dumps(value, indent=2, ensure_ascii=True)
    return text


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        echo_err(str(diagnostic))


def deliver(data: bytes, output: str | None) -> None:
    """The output: to standard output (no ``output``, or ``-``), else written atomically
    to the file (never half-written)."""
    if output in (None, "-"):
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        from gfmdreport import files

        files.write_atomic(output, data)


def fail(exc: GfmdError) -> NoReturn:
    """Print an error the way the CLI always does, and exit with its code."""
    if isinstance(exc, InputError):
        print_diagnostics(exc.diagnostics)
    else:
        echo_err(f"gfmdreport: error: {exc}")
    sys.exit(exc.exit_code)


def get_plugins(ctx: click.Context) -> Plugins:
    return ctx.find_root().obj


def warn_failed_plugins(plugins: Plugins) -> None:
    for info in plugins.registry.failures():
        echo_err(f"gfmdreport: warning: {info.origin} {info.error}")


def writer_params(plugins: Plugins) -> list[click.Option]:
    """A ``--NAME`` option of ``render`` for each writer option, named after the writers
    that take it."""
    params = []
    for name, (opt, writers) in sorted(plugins.registry.writer_options().items()):
        help_text = f"{opt.help} [{', '.join(sorted(writers))}]"
        decls = [f"--{name}", opt.key]
        if opt.kind == "flag":
            params.append(click.Option(decls, is_flag=True, default=None, help=help_text))
        elif opt.kind == "choice":
            params.append(click.Option(decls, type=click.Choice(opt.choices), default=None,
                                       help=help_text))
        else:
            params.append(click.Option(decls, default=None, help=help_text,
                                       metavar="FILE" if opt.kind == "path" else "TEXT"))
    return params


CONFIG_HELP = ("Validation settings to use (a gfmdreport.toml, or a pyproject.toml with "
               "[tool.gfmdreport]) instead of the nearest one found upward from the input.")


def load_settings(config_file: str | None) -> Any:
    """The settings of ``--config FILE``, or ``None`` to find them for each input."""
    if not config_file:
        return None
    from gfmdreport.config import load_config

    found = load_config(config_file)
    if found is None:
        raise UsageError(f"{config_file} has no [tool.gfmdreport] table")
    return found


def find_settings(folder: str) -> Any:
    from gfmdreport.config import find_config

    return find_config(folder)


def read_stdin() -> bytes:
    """Standard input, never more than the input size limit (it may never end)."""
    from gfmdreport import limits
    from gfmdreport.diagnostics import Location

    limit = limits.INPUT_BYTES.value()
    data = sys.stdin.buffer.read(limit + 1)
    limits.INPUT_BYTES.check(len(data), "standard input is at least", Location("<stdin>"))
    return data


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
