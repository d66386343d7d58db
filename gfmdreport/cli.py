"""The ``gfmdreport`` command line: the only module that prints or exits.

Exit codes: 0 success; 1 the input is invalid (diagnostics printed as
``path:line:col: severity[rule]: message``) or a plugin failed; 2 usage error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .diagnostics import (
    Diagnostic,
    GfmdError,
    InputError,
    RegistryError,
    Severity,
    UsageError,
    describe_exception,
)
from .plugins import Plugins, make_plugin_manager


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
    """A click group that turns gfmdreport errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GfmdError as exc:
            fail(exc)


def get_plugins(ctx: click.Context) -> Plugins:
    return ctx.find_root().obj


def warn_failed_plugins(plugins: Plugins) -> None:
    for info in plugins.registry.failures():
        echo_err(f"gfmdreport: warning: {info.origin} {info.error}")


# ---- render --------------------------------------------------------------------------------

def _writer_params(plugins: Plugins) -> list[click.Option]:
    params = []
    for name, (opt, writers) in sorted(plugins.registry.writer_options().items()):
        help_text = f"{opt.help} [{', '.join(sorted(writers))}]"
        decl = f"--{name}"
        if opt.kind == "flag":
            params.append(click.Option([decl], opt.key, is_flag=True, default=None,
                                       help=help_text))
        elif opt.kind == "choice":
            params.append(click.Option([decl], opt.key, type=click.Choice(opt.choices),
                                       default=None, help=help_text))
        else:
            params.append(click.Option([decl], opt.key, default=None, metavar=(
                "FILE" if opt.kind == "path" else "TEXT"), help=help_text))
    return params


def make_render(plugins: Plugins) -> click.Command:
    @click.pass_context
    def render(ctx: click.Context, input: str, from_: str | None, to: str | None,
               output: str | None, no_validate: bool, **options: Any) -> None:
        """Render INPUT (a file, or - for standard input) to another format."""
        from . import pipeline

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
        if input == "-":
            if not from_:
                raise UsageError("reading standard input needs --from FORMAT")
            summary = pipeline.loads(sys.stdin.buffer.read(), from_,
                                     path="<stdin>", plugins=plugins)
        else:
            summary = pipeline.load(input, from_, plugins=plugins)
        if not no_validate:
            diagnostics = pipeline.validate(summary, plugins=plugins)
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
            pipeline.write_atomic(output, rendered.data)

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
        *_writer_params(plugins),
    ]
    return click.Command("render", callback=render, params=params,
                         help=render.__doc__, short_help="Render a summary to another format.")


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
        for kind in ("readers", "writers", "rules"):
            names = getattr(info, kind)
            if names:
                click.echo(f"    {kind}: {', '.join(names)}")
        extra = [h for h in info.hooks
                 if h not in ("register_readers", "register_writers", "register_rules")]
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
    from .schema import json_schema

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
    for impl in reversed(plugins.hook.register_commands.get_hookimpls()):
        try:
            impl.function(**({"cli": cli} if "cli" in impl.argnames else {}))
        except Exception as exc:
            origin = plugins.registry.origin(impl.plugin_name)
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
