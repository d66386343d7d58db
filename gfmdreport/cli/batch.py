"""``gfmdreport batch``: folders of notes to several formats, with a progress view."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from gfmdreport import files
from gfmdreport.cli.common import echo_err
from gfmdreport.cli.common import print_diagnostics
from gfmdreport.cli.common import writer_params
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import printable
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.manager import make_plugin_manager


def _interrupt_once(signum: int, frame: Any) -> None:
    """Ctrl-C during a batch run: stop it (the engine removes what is unfinished and
    saves the manifest); another Ctrl-C meanwhile changes nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _on_interrupt(handler: Any) -> Any:
    """Set what Ctrl-C does (from the main thread; elsewhere nothing changes); the
    handler it replaces."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.default_int_handler if handler is None
                         else handler)


class BatchView:
    """How ``batch`` shows its progress on standard error: a one-line bar when it is a
    terminal, one line per file otherwise; ``quiet`` shows failures only."""

    def __init__(self, quiet: bool, verbose: bool, tty: bool):
        self.quiet = quiet
        self.verbose = verbose
        self.bar = tty and not quiet
        self.total = 0
        self.to_build = 0
        self.built = 0
        self.done = 0
        self.failed = 0
        self.current = ""
        self.started = 0.0
        self.drawn = 0.0
        self.shown = False

    def __call__(self, event: Any) -> None:
        import time

        if event.kind == "start":
            self.total, self.to_build = event.total, event.to_build
            self.started = time.monotonic()
        elif event.kind == "notice":
            self.say([str(event.notice)], urgent=event.notice.severity is Severity.ERROR)
        elif event.kind == "file":
            self.done, self.failed = event.done, event.failed
            result = event.result
            self.current = result.input
            # up-to-date files and those refused before converting come first
            self.built = max(0, self.done - (self.total - self.to_build))
            self.say(self.describe(result), urgent=result.status == "failed")
        if self.bar:
            now = time.monotonic()
            if now - self.drawn >= 0.1 or self.done == self.total:
                self.draw()
                self.drawn = now

    def describe(self, result: Any) -> list[str]:
        lines = []
        made = [o for o in result.outputs if o.status == "written"]
        if result.status == "failed":
            lines.append(f"failed     {result.input}")
        elif result.status == "converted" and (self.verbose or not self.bar):
            what = (", ".join(o.path for o in made) if self.verbose
                    else ", ".join(o.format for o in made))
            lines.append(f"converted  {result.input} -> {what}")
        elif result.status == "up-to-date" and self.verbose:
            lines.append(f"up to date {result.input}")
        if result.status == "failed" or not self.quiet:
            lines.extend(str(d) for d in result.diagnostics)
        return lines

    def say(self, lines: list[str], urgent: bool) -> None:
        if not lines or (self.quiet and not urgent):
            return
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True, color=True)
            self.shown = False
        for line in lines:
            echo_err(line)

    def draw(self) -> None:
        import shutil
        import time

        width = shutil.get_terminal_size((80, 24)).columns
        fraction = self.done / self.total if self.total else 1.0
        filled = int(20 * fraction)
        line = f"{self.done}/{self.total} [{'#' * filled}{'.' * (20 - filled)}] " \
               f"{int(100 * fraction):3d}%"
        if self.failed:
            line += f"  {self.failed} failed"
        elapsed = time.monotonic() - self.started
        left = self.to_build - self.built
        if self.built and left > 0:
            seconds = int(left * elapsed / self.built)
            line += f"  ETA {seconds // 60}:{seconds % 60:02d}"
        if self.current and len(line) + 4 < width:
            room = width - len(line) - 3
            current = printable(self.current)
            name = current if len(current) <= room else "…" + current[-room + 1:]
            line += "  " + name
        click.echo("\r\x1b[K" + line[:width - 1], nl=False, err=True, color=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True, color=True)
            self.shown = False

    def summary(self, report: Any) -> None:
        if self.quiet:
            return
        parts = [f"{report.converted} converted", f"{report.up_to_date} up to date",
                 f"{report.failed} failed"]
        if report.with_warnings:
            parts.append(f"{report.with_warnings} with warnings")
        text = (f"{len(report.files)} file(s): {', '.join(parts)}; "
                f"{report.outputs_written} output(s) written in {report.seconds:.1f} s")
        if report.cancelled:
            text += f"; {report.cancelled} not converted (stopped at the first failure)"
        if report.errors:
            text += f"; {len(report.errors)} error(s) besides the files (above)"
        echo_err(text)


def make_batch(plugins: Plugins) -> click.Command:
    @click.pass_context
    def batch(ctx: click.Context, sources: tuple[str, ...], output: str, to: tuple[str, ...],
              jobs: int | None, globs: tuple[str, ...], force: bool, fail_fast: bool,
              no_validate: bool, report: str | None, junit: str | None, quiet: bool,
              verbose: bool, **options: Any) -> None:
        """Convert every notes file under SRC (files and folders) to each format in OUTDIR.

        Folders are searched recursively for files a reader accepts (hidden ones
        skipped), and their structure is mirrored under OUTDIR. Only inputs changed since
        the last run, or whose options or plugins changed, are converted again. A file
        that fails is reported and the others go on; the exit status is 1 if any failed.
        """
        import functools

        from gfmdreport import batch as engine

        formats = [f.strip() for part in to for f in part.split(",") if f.strip()]
        block = tuple(ctx.find_root().params.get("block") or ())
        view = BatchView(quiet, verbose, tty=sys.stderr.isatty())
        previous = _on_interrupt(_interrupt_once)
        try:
            result = engine.convert(
                sources, output, formats, jobs=jobs, globs=globs, force=force,
                fail_fast=fail_fast, validate=not no_validate, options=options,
                plugins=plugins, make_plugins=functools.partial(make_plugin_manager,
                                                                block=block),
                progress=view)
        except KeyboardInterrupt:
            _on_interrupt(signal.SIG_IGN)
            view.close()
            echo_err("gfmdreport: interrupted; every output is either complete or left as "
                     "it was; run again to finish")
            sys.exit(130)
        finally:
            view.close()
        _on_interrupt(previous)
        written = True
        for path, make in ((report, result.to_json), (junit, result.to_junit)):
            if path:  # each written even if the other, or the run, failed
                try:
                    files.write_atomic(path, make())
                except GfmdError as exc:
                    print_diagnostics(exc.diagnostics if isinstance(exc, InputError) else
                                      [error("io", str(exc), Location(path))])
                    written = False
        view.summary(result)
        sys.exit(result.exit_code if written else 1)

    params: list[click.Parameter] = [
        click.Argument(["sources"], nargs=-1, required=True, metavar="SRC..."),
        click.Option(["-o", "--output"], metavar="OUTDIR", required=True,
                     help="Folder for the outputs (created if missing)."),
        click.Option(["-t", "--to"], metavar="FORMATS", multiple=True, required=True,
                     help="Output formats, comma-separated or repeated (e.g. docx,html,md)."),
        click.Option(["-j", "--jobs"], type=click.IntRange(min=1), default=None, metavar="N",
                     help="Worker processes (default: the number of CPUs)."),
        click.Option(["--glob", "globs"], metavar="PATTERN", multiple=True,
                     help="Only files matching PATTERN (repeatable); with a / it is matched "
                          "against the path inside SRC, else against the file name."),
        click.Option(["--force"], is_flag=True, help="Convert everything, even up-to-date "
                                                     "outputs."),
        click.Option(["--fail-fast"], is_flag=True, help="Stop at the first failed file."),
        click.Option(["--no-validate"], is_flag=True,
                     help="Render even when validation finds errors."),
        click.Option(["--report"], metavar="FILE",
                     help="Write a JSON report: per file, status, outputs, diagnostics, time."),
        click.Option(["--junit"], metavar="FILE", help="Write a JUnit XML report for CI."),
        click.Option(["-q", "--quiet"], is_flag=True, help="Show failures only."),
        click.Option(["-v", "--verbose"], is_flag=True,
                     help="Show every file, up-to-date ones and output paths included."),
        *writer_params(plugins),
    ]
    return click.Command("batch", callback=batch, params=params, help=batch.__doc__,
                         short_help="Convert folders of notes to several formats at once.")
