"""The ``gfmdreport`` command line: the only module that prints or exits.

Exit codes: 0 success; 1 the input is invalid (diagnostics printed as
``path:line:col: severity[rule]: message``) or a plugin failed; 2 usage error.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from gfmdreport import __version__, files
from gfmdreport.diagnostics import (
    Diagnostic,
    GfmdError,
    InputError,
    RegistryError,
    Severity,
    UsageError,
    describe_exception,
)
from gfmdreport.hooks.manager import Plugins, make_plugin_manager


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        echo_err(str(diagnostic))


def fail(exc: GfmdError) -> NoReturn:
    """Print an error the way the CLI always does, and exit with its code."""
    if isinstance(exc, InputError):
        print_diagnostics(exc.diagnostics)
    else:
        echo_err(f"gfmdreport: error: {exc}")
    sys.exit(exc.exit_code)


class GfmdGroup(click.Group):
    """A click group that turns gfmdreport errors, and failures to write to standard
    output (a full disk), into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
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


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that flushing what is left in its
    buffer at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def get_plugins(ctx: click.Context) -> Plugins:
    return ctx.find_root().obj


def warn_failed_plugins(plugins: Plugins) -> None:
    for info in plugins.registry.failures():
        echo_err(f"gfmdreport: warning: {info.origin} {info.error}")


# ---- render --------------------------------------------------------------------------------

def _writer_params(plugins: Plugins) -> list[click.Option]:
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


def make_render(plugins: Plugins) -> click.Command:
    @click.pass_context
    def render(ctx: click.Context, input: str, from_: str | None, to: str | None,
               output: str | None, no_validate: bool, config_file: str | None,
               **options: Any) -> None:
        """Render INPUT (a file, or - for standard input) to another format."""
        from gfmdreport import pipeline

        registry = plugins.registry
        if to is None:
            writer = registry.writer_for_suffix(Path(output).suffix) if output and \
                output != "-" else None
            if writer is None:
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
        text = None
        if input == "-":
            if not from_:
                raise UsageError("reading standard input needs --from FORMAT")
            data = read_stdin()
            summary = pipeline.loads(data, from_, path="<stdin>", plugins=plugins)
            text = stdin_text(data, registry.reader(from_).binary)
            if settings is None:
                settings = find_settings(".")
        else:
            summary = pipeline.load(input, from_, plugins=plugins)
        if no_validate:
            print_diagnostics(summary.diagnostics)  # what the reader noticed, still
        else:
            diagnostics = pipeline.validate(summary, plugins=plugins, config=settings,
                                            text=text)
            print_diagnostics(diagnostics)
            errors = [d for d in diagnostics if d.severity is Severity.ERROR]
            if errors:
                echo_err(f"{input}: not rendered: {len(errors)} error(s); fix them or use "
                         f"--no-validate")
                sys.exit(1)
        rendered = pipeline.render_report(summary, to, plugins=plugins, **options)
        print_diagnostics(rendered.diagnostics)
        if to_stdout:
            stream = sys.stdout.buffer
            stream.write(rendered.data)
            stream.flush()
        else:
            files.write_atomic(output, rendered.data)

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
        *_writer_params(plugins),
    ]
    return click.Command("render", callback=render, params=params,
                         help=render.__doc__, short_help="Render a summary to another format.")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# ---- validate ------------------------------------------------------------------------------

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


def stdin_text(data: bytes, binary: bool) -> str | None:
    """Standard input as text, to find its ``disable`` comments (none for binary input)."""
    if binary:
        return None
    from gfmdreport.files import decode

    try:
        return decode(data, "<stdin>")
    except InputError:
        return None


def collect_inputs(paths: Sequence[str], plugins: Plugins) -> list[str]:
    """The files to check: each file named, and every file under each folder named
    whose suffix a reader knows (hidden files and folders left out), in name order."""
    registry = plugins.registry
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == "-" else str(Path(path).resolve())
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            inside = []
            for child in p.rglob("*"):
                parts = child.relative_to(p).parts
                if any(part.startswith(".") for part in parts) or not child.is_file():
                    continue
                if registry.reader_for_suffix(child.suffix, in_folder=True) is not None:
                    inside.append(child)
            if not inside:
                known = registry.folder_suffixes()
                raise UsageError(f"{path}: no notes to check in this folder (looked for "
                                 f"{', '.join(known)})")
            for child in sorted(inside):
                add(str(child))
        else:
            add(path)
    return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _github(diagnostic: Diagnostic) -> str:
    def prop(value: object) -> str:
        return (str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                .replace(":", "%3A").replace(",", "%2C"))

    def data(value: str) -> str:
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(diagnostic.severity,
                                                                        "notice")
    loc = diagnostic.location
    props = [f"file={prop(loc.path or '<input>')}"]
    if loc.line is not None:
        props.append(f"line={loc.line}")
        props.append(f"col={loc.column or 1}")
    props.append(f"title={prop(diagnostic.rule)}")
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return f"::{level} {','.join(props)}::{data(message)}"


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-f", "--from", "from_", metavar="FORMAT",
              help="Input format of every file (default: from each file's suffix).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True,
              help="text: path:line:col lines; json: for machines; github: CI annotations.")
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--config", "config_file", metavar="FILE", help=CONFIG_HELP)
@click.pass_context
def validate_command(ctx: click.Context, paths: Sequence[str], from_: str | None,
                     output_format: str, strict: bool, config_file: str | None) -> None:
    """Check notes (files, or folders of them) and report every problem with its place.

    Exit status: 0 when no errors were found, 1 otherwise, 2 for a usage error.
    """
    from gfmdreport import pipeline

    plugins = get_plugins(ctx)
    if from_:
        plugins.registry.reader(from_)  # an unknown format is a usage error, up front
    settings = load_settings(config_file)
    inputs = collect_inputs(paths, plugins)
    diagnostics: list[Diagnostic] = []
    for path in inputs:
        if path == "-":
            diagnostics.extend(_check_stdin(from_, plugins, settings))
        else:
            diagnostics.extend(pipeline.check(path, from_, plugins=plugins,
                                              config=settings).diagnostics)
    diagnostics = sorted(dict.fromkeys(diagnostics), key=lambda d: d.sort_key)
    if strict:
        diagnostics = [replace(d, severity=Severity.ERROR)
                       if d.severity is Severity.WARNING else d for d in diagnostics]
    counts = {s: sum(d.severity is s for d in diagnostics) for s in Severity}
    if output_format == "json":
        click.echo(json.dumps(_json_report(inputs, diagnostics, counts), indent=2,
                              ensure_ascii=False))
    else:
        for diagnostic in diagnostics:
            click.echo(_github(diagnostic) if output_format == "github" else str(diagnostic))
        line = (f"Checked {_plural(len(inputs), 'file')}: "
                f"{_plural(counts[Severity.ERROR], 'error')}, "
                f"{_plural(counts[Severity.WARNING], 'warning')}")
        if counts[Severity.INFO]:
            line += f", {_plural(counts[Severity.INFO], 'note')}"
        click.echo(line + ".")
    sys.exit(1 if counts[Severity.ERROR] else 0)


def _check_stdin(from_: str | None, plugins: Plugins, settings: Any) -> list[Diagnostic]:
    from gfmdreport import pipeline

    if not from_:
        raise UsageError("reading standard input needs --from FORMAT")
    data = read_stdin()
    try:
        summary = pipeline.loads(data, from_, path="<stdin>", plugins=plugins)
    except InputError as exc:
        return exc.diagnostics
    return pipeline.validate(summary, plugins=plugins,
                             config=settings if settings is not None else find_settings("."),
                             text=stdin_text(data, plugins.registry.reader(from_).binary))


def _json_report(inputs: Sequence[str], diagnostics: Sequence[Diagnostic],
                 counts: dict[Severity, int]) -> dict[str, Any]:
    def tally(path: str) -> dict[str, Any]:
        mine = [d for d in diagnostics if d.location.path == path or
                (path == "-" and d.location.path == "<stdin>")]
        return {"path": path,
                "errors": sum(d.severity is Severity.ERROR for d in mine),
                "warnings": sum(d.severity is Severity.WARNING for d in mine)}

    return {
        "version": 1,
        "files": [tally(path) for path in inputs],
        "diagnostics": [d.to_dict() for d in diagnostics],
        "summary": {"files": len(inputs), "errors": counts[Severity.ERROR],
                    "warnings": counts[Severity.WARNING], "infos": counts[Severity.INFO]},
    }


@click.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.pass_context
def rules_command(ctx: click.Context, as_json: bool) -> None:
    """List every validation rule: id, name, default severity, plugin, description."""
    registry = get_plugins(ctx).registry
    rules = sorted(registry.rules.values(), key=lambda r: r.id)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "name": r.name, "severity": r.severity.value,
                                "plugin": r.plugin, "description": r.description}
                               for r in rules], indent=2, ensure_ascii=False))
        return
    id_width = max((len(r.id) for r in rules), default=0)
    name_width = max((len(r.name) for r in rules), default=0)
    plugin_width = max((len(r.plugin) for r in rules), default=0)
    for r in rules:
        click.echo(f"{r.id:<{id_width}}  {r.name:<{name_width}}  {r.severity.value:<7}  "
                   f"{r.plugin:<{plugin_width}}  {r.description}")


# ---- listing ---------------------------------------------------------------------------------

@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """List every plugin, its distribution, and what it provides."""
    registry = get_plugins(ctx).registry
    infos = sorted(registry.plugins.values(), key=lambda p: p.name)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in infos], indent=2))
        return
    for info in infos:
        dist = f"{info.dist} {info.version}" if info.dist else "(no distribution)"
        click.echo(f"{info.name}  [{dist}]  {info.module}")
        if info.error:
            click.echo(f"    FAILED: {info.error}")
        for kind in ("readers", "writers", "rules", "languages"):
            names = getattr(info, kind)
            if names:
                click.echo(f"    {kind}: {', '.join(names)}")
        extra = [h for h in info.hooks if h not in ("register_readers", "register_writers",
                                                    "register_rules", "register_languages")]
        if extra:
            click.echo(f"    hooks: {', '.join(extra)}")


@click.command("formats")
@click.pass_context
def formats_command(ctx: click.Context) -> None:
    """List input and output formats with their file suffixes."""
    registry = get_plugins(ctx).registry
    click.echo("Readers (--from):")
    for r in sorted(registry.readers.values(), key=lambda r: r.name):
        click.echo(f"  {r.name:<10} {' '.join(r.suffixes):<18} {r.description}  "
                   f"[{r.plugin}]")
    click.echo("Writers (--to):")
    for w in sorted(registry.writers.values(), key=lambda w: w.name):
        click.echo(f"  {w.name:<10} {w.suffix:<18} {w.description}  [{w.plugin}]")


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the interchange format (JSON and YAML)."""
    from gfmdreport.formats.interchange.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


# ---- assembly ------------------------------------------------------------------------------

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
        plugins = make_plugin_manager(block=blocked_in(argv))
        cli = build_cli(plugins)
    except RegistryError as exc:
        echo_err(f"gfmdreport: error: {exc}")
        sys.exit(2)
    except GfmdError as exc:
        fail(exc)
    cli.main(argv, prog_name="gfmdreport")


# ---- batch -----------------------------------------------------------------------------------

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
            self.say([str(event.notice)], urgent=False)
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
            name = self.current if len(self.current) <= room else "…" + self.current[-room + 1:]
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
        try:
            result = engine.convert(
                sources, output, formats, jobs=jobs, globs=globs, force=force,
                fail_fast=fail_fast, validate=not no_validate, options=options,
                plugins=plugins, make_plugins=functools.partial(make_plugin_manager,
                                                                block=block),
                progress=view)
        except KeyboardInterrupt:
            view.close()
            echo_err("gfmdreport: interrupted; every output is either complete or left as "
                     "it was; run again to finish")
            sys.exit(130)
        finally:
            view.close()
        if report:
            files.write_atomic(report, result.to_json())
        if junit:
            files.write_atomic(junit, result.to_junit())
        view.summary(result)
        sys.exit(result.exit_code)

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
        *_writer_params(plugins),
    ]
    return click.Command("batch", callback=batch, params=params, help=batch.__doc__,
                         short_help="Convert folders of notes to several formats at once.")
