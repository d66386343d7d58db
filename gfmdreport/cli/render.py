"""``gfmdreport render``: one input to one output format."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from gfmdreport.cli.common import CONFIG_HELP
from gfmdreport.cli.common import deliver
from gfmdreport.cli.common import echo_err
from gfmdreport.cli.common import find_settings
from gfmdreport.cli.common import load_settings
from gfmdreport.cli.common import print_diagnostics
from gfmdreport.cli.common import read_stdin
from gfmdreport.cli.common import writer_params
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.hooks.manager import Plugins


def make_render(plugins: Plugins) -> click.Command:
    @click.pass_context
    def render(ctx: click.Context, input: str, from_: str | None, to: str | None,
               output: str | None, no_validate: bool, config_file: str | None,
               **options: Any) -> None:
        """Render INPUT (a file, or - for standard input) to another format."""
        from gfmdreport import pipeline

        registry = plugins.registry
        if to is None:
            writer = registry.writer_for_name(Path(output).name) if output and \
                output != "-" else None
            if writer is None:
                suffix = Path(output).suffix.lower() if output and output != "-" else ""
                known = next((name for name, k in registry.missing_known().items()
                              if suffix and k.suffix == suffix), None)
                if known is not None:
                    raise UsageError(registry.advice(known))
                raise UsageError("give the output format with -t/--to (available: "
                                 f"{', '.join(sorted(registry.writers))})")
            to = writer.name
        writer = registry.writer(to)
        to_stdout = output in (None, "-")
        if to_stdout and writer.binary and sys.stdout.isatty():
            raise UsageError(f"format '{to}' is binary: write it to a file with -o FILE")
        pipeline.writer_options(writer, options)  # unknown options fail before reading
        if not to_stdout and input != "-" and _same_file(input, output):
            raise UsageError(f"{output} is the input: give another output file (the notes "
                             "are never overwritten)")
        settings = load_settings(config_file)
        if input == "-":
            if not from_:
                raise UsageError("reading standard input needs --from FORMAT")
            data = read_stdin()
            summary = pipeline.loads(data, from_, path="<stdin>", plugins=plugins)
            if settings is None:
                settings = find_settings(".")
        else:
            summary = pipeline.load(input, from_, plugins=plugins)
        if no_validate:
            print_diagnostics(summary.diagnostics)  # what the reader noticed, still
        else:
            diagnostics = pipeline.validate(summary, plugins=plugins, config=settings)
            print_diagnostics(diagnostics)
            errors = [d for d in diagnostics if d.severity is Severity.ERROR]
            if errors:
                echo_err(f"{input}: not rendered: {len(errors)} error(s); fix them or use "
                         f"--no-validate")
                sys.exit(1)
        rendered = pipeline.render_report(summary, to, plugins=plugins, **options)
        print_diagnostics(rendered.diagnostics)
        deliver(rendered.data, output)

    params: list[click.Parameter] = [
        click.Argument(["input"]),
        click.Option(["-f", "--from", "from_"], metavar="FORMAT",
                     help="Input format (default: from the file's suffix)."),
        click.Option(["-t", "--to"], metavar="FORMAT",
                     help="Output format (default: from the output file's suffix)."),
        click.Option(["-o", "--output"], metavar="FILE",
                     help="Output file; - or nothing for standard output (text formats)."),
        click.Option(["--no-validate"], is_flag=True,
                     help="Render even when validation finds errors."),
        click.Option(["--config", "config_file"], metavar="FILE", help=CONFIG_HELP),
        *writer_params(plugins),
    ]
    return click.Command("render", callback=render, params=params,
                         help=render.__doc__, short_help="Render a summary to another format.")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
