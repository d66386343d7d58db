"""``gfmdreport compile``: a proceedings manifest to the event's report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from gfmdreport.cli.common import deliver
from gfmdreport.cli.common import echo_err
from gfmdreport.cli.common import print_diagnostics
from gfmdreport.cli.common import writer_params
from gfmdreport.diagnostics import UsageError
from gfmdreport.hooks.manager import Plugins

NUMBERINGS = ("restart", "continuous", "prefixed")


def make_compile(plugins: Plugins) -> click.Command:
    @click.pass_context
    def compile_(ctx: click.Context, manifest: str, to: str | None, output: str | None,
                 jobs: int | None, numbering: str | None, no_validate: bool,
                 **options: Any) -> None:
        """Compile the sessions a proceedings MANIFEST lists into the event's report.

        Each session's summary is read once and validated as 'validate' does, then the
        sessions together (listed twice, another event's, out of date order, another
        language). The report has a cover, a table of contents, a chapter per session,
        an annex consolidating the closing tables and an index of chairs and
        rapporteurs (docs/proceedings.md).
        """
        from gfmdreport import pipeline
        from gfmdreport.proceedings.build import compile_proceedings
        from gfmdreport.proceedings.build import load_proceedings
        from gfmdreport.proceedings.build import proceedings_writers

        registry = plugins.registry
        able = proceedings_writers(plugins)
        if to is None:
            writer = registry.writer_for_name(Path(output).name) if output and \
                output != "-" else None
            if writer is None:
                raise UsageError("give the output format with -t/--to (formats that write "
                                 f"proceedings: {', '.join(able)})")
            to = writer.name
        writer = registry.writer(to)
        if writer.write_proceedings is None:
            raise UsageError(f"format '{to}' does not write proceedings (formats that do: "
                             f"{', '.join(able)})")
        to_stdout = output in (None, "-")
        if to_stdout and writer.binary and sys.stdout.isatty():
            raise UsageError(f"format '{to}' is binary: write it to a file with -o FILE")
        pipeline.writer_options(writer, options)  # unknown options fail before reading
        loaded = load_proceedings(manifest, jobs=jobs, plugins=plugins,
                                  validate=not no_validate, numbering=numbering)
        print_diagnostics(loaded.diagnostics)
        if loaded.proceedings is None:
            echo_err(f"{manifest}: not compiled: {loaded.unread} of the "
                     f"{len(loaded.manifest.entries)} sessions could not be read")
            sys.exit(1)
        errors = loaded.errors
        if errors and not no_validate:
            echo_err(f"{manifest}: not compiled: {len(errors)} error(s); fix them or use "
                     "--no-validate")
            sys.exit(1)
        if not to_stdout:
            output_path = Path(output).resolve()
            inputs = {Path(e.file).resolve() for e in loaded.manifest.entries}
            if output_path in inputs or output_path == Path(manifest).resolve():
                raise UsageError(f"{output} is an input: give another output file")
        rendered = compile_proceedings(loaded.proceedings, to, plugins=plugins, **options)
        print_diagnostics(rendered.diagnostics)
        deliver(rendered.data, output)

    params: list[click.Parameter] = [
        click.Argument(["manifest"]),
        click.Option(["-t", "--to"], metavar="FORMAT",
                     help="Output format (default: from the output file's suffix)."),
        click.Option(["-o", "--output"], metavar="FILE",
                     help="Output file; - or nothing for standard output (text formats)."),
        click.Option(["-j", "--jobs"], type=click.IntRange(min=1), default=None, metavar="N",
                     help="Worker processes reading the sessions (default: one per CPU "
                          "for 200 sessions or more, else one process)."),
        click.Option(["--numbering"], type=click.Choice(NUMBERINGS), default=None,
                     help="Paragraph numbering, instead of the manifest's: restart in each "
                          "session (default), continuous, or prefixed (2.5)."),
        click.Option(["--no-validate"], is_flag=True,
                     help="Compile even when validation finds errors."),
        *writer_params(plugins),
    ]
    return click.Command("compile", callback=compile_, params=params, help=compile_.__doc__,
                         short_help="Compile session summaries into the event's proceedings.")
