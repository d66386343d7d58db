"""``gfmdreport validate``: every problem of every file, as a linter prints them."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click

from gfmdreport.cli.common import CONFIG_HELP
from gfmdreport.cli.common import find_settings
from gfmdreport.cli.common import get_plugins
from gfmdreport.cli.common import json_text
from gfmdreport.cli.common import load_settings
from gfmdreport.cli.common import plural
from gfmdreport.cli.common import read_stdin
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import printable
from gfmdreport.hooks.manager import Plugins

if TYPE_CHECKING:
    from gfmdreport.discover import Source





def collect_inputs(paths: Sequence[str], plugins: Plugins,
                   notices: list[Diagnostic] | None = None,
                   found: dict[str, Source] | None = None) -> list[str]:
    """The files to check: each file named, and every file under each folder named that
    ``batch`` would take from it (:func:`gfmdreport.discover.discover`: a reader takes it by
    name, hidden files and folders left out, symbolic links followed only inside the
    folder), in path order. What the search met goes to ``notices`` (a folder that cannot
    be read is an error); the files found in folders to ``found``, by path, to be read
    from beneath their folder."""
    from gfmdreport.discover import discover
    from gfmdreport.discover import reader_names

    accepts = reader_names(plugins.registry)
    notices = notices if notices is not None else []
    inputs: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> bool:
        key = path if path == "-" else str(Path(path).resolve())
        if key in seen:
            return False
        seen.add(key)
        inputs.append(path)
        return True

    for path in paths:
        if path == "-" or not os.path.isdir(path):
            add(path)
            continue
        met: list[Diagnostic] = []
        sources = discover([path], accepts, notices=met)
        notices.extend(met)
        if not sources and not any(d.severity is Severity.ERROR for d in met):
            known = plugins.registry.folder_suffixes()
            raise UsageError(f"{path}: no notes to check in this folder (looked for "
                             f"{', '.join(known)})")
        for source in sources:
            shown = str(Path(source.path))
            if add(shown) and found is not None:
                found[shown] = source
    return inputs


PARALLEL_FROM = 20
"""Files checked at once by default only past this many: a worker process costs more
to start than a few files cost to check."""


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


Task = tuple[str, "Source | None", "str | None", Any]
"""One file to check: its path, where a folder search found it, ``--from``, settings."""


def _check_one(task: Task, plugins: Plugins) -> list[Diagnostic]:
    from gfmdreport import pipeline

    path, source, from_, settings = task
    if source is not None:
        return _check_found(source, path, from_, plugins, settings)
    return list(pipeline.check(path, from_, plugins=plugins, config=settings).diagnostics)


def _check_task(task: Task, plugins: Plugins) -> list[Diagnostic]:
    """:func:`_check_one`, in a worker process (it looks the function up when it runs,
    so that it is the one the worker has)."""
    return _check_one(task, plugins)


def _check_in_workers(tasks: list[Task], jobs: int, block: tuple[str, ...]
                      ) -> list[Diagnostic]:
    """Every task's diagnostics, checked ``jobs`` at a time in the worker processes
    batch uses (each loads the plugins once and holds one file at a time): a worker that
    dies fails only the file it held, and a fresh one takes over the rest."""
    import functools
    from collections import deque

    from gfmdreport.batch.pool import Pool
    from gfmdreport.batch.pool import context
    from gfmdreport.hooks.manager import make_plugin_manager

    pool: Pool[Task] = Pool(jobs, functools.partial(make_plugin_manager, block=block),
                            _check_task, context(None))
    found: list[Diagnostic] = []
    try:
        for task, answer, died in pool.run(deque(tasks), lambda task: task):
            if died is None:
                found.extend(answer)
                continue
            path = task[0]
            found.append(error("worker-died", f"the worker process checking this file "
                               f"stopped before it finished ({died})", Location(path),
                               f"check it alone: gfmdreport validate {path}"))
    finally:
        pool.shutdown(graceful=False)
    return found


def _check_found(source: Source, path: str, from_: str | None, plugins: Plugins,
                 settings: Any) -> list[Diagnostic]:
    """What ``pipeline.check`` does for a named file, for a file found in a folder: it
    is read from beneath that folder, so that a file swapped for a link leading out
    after the search is refused, never read."""
    from gfmdreport import pipeline
    from gfmdreport.discover import read_source

    try:
        config = settings if settings is not None else find_settings(path)
        data, _ = read_source(source)
        summary = pipeline.loads(data, from_, path=path, plugins=plugins)
        return list(pipeline.validate(summary, plugins=plugins, config=config))
    except InputError as exc:
        return pipeline.input_problems(exc, plugins=plugins, config=config)
    except GfmdError as exc:
        rule = {UsageError: "usage", PluginError: "plugin-error"}.get(type(exc), "error")
        return [error(rule, str(exc).removeprefix(f"{path}: "), Location(path))]


def _github(diagnostic: Diagnostic) -> str:
    def prop(value: object) -> str:
        return printable(str(value).replace("%", "%25").replace("\r", "%0D")
                         .replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C"))

    def data(value: str) -> str:
        return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

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
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check N files at a time, in worker processes (default: one per CPU "
                   f"when there are more than {PARALLEL_FROM} files).")
@click.pass_context
def validate_command(ctx: click.Context, paths: Sequence[str], from_: str | None,
                     output_format: str, strict: bool, config_file: str | None,
                     jobs: int | None) -> None:
    """Check notes (files, or folders of them) and report every problem with its place.

    Exit status: 0 when no errors were found, 1 otherwise, 2 for a usage error.
    """
    plugins = get_plugins(ctx)
    if from_:
        plugins.registry.reader(from_)  # an unknown format is a usage error, up front
    settings = load_settings(config_file)
    diagnostics: list[Diagnostic] = []
    found: dict[str, Source] = {}
    inputs = collect_inputs(paths, plugins, diagnostics, found)
    files = [path for path in inputs if path != "-"]
    if "-" in inputs:
        diagnostics.extend(_check_stdin(from_, plugins, settings))
    if jobs is None:
        jobs = _cpus() if len(files) > PARALLEL_FROM else 1
    tasks = [(path, found.get(path), from_, settings) for path in files]
    if jobs > 1 and len(files) > 1:
        block = tuple(ctx.find_root().params.get("block") or ())
        diagnostics.extend(_check_in_workers(tasks, jobs, block))
    else:
        for task in tasks:
            diagnostics.extend(_check_one(task, plugins))
    diagnostics = sorted(dict.fromkeys(diagnostics), key=lambda d: d.sort_key)
    if strict:
        diagnostics = [replace(d, severity=Severity.ERROR)
                       if d.severity is Severity.WARNING else d for d in diagnostics]
    counts = {s: sum(d.severity is s for d in diagnostics) for s in Severity}
    if output_format == "json":
        click.echo(json_text(_json_report(inputs, diagnostics, counts)))
    else:
        for diagnostic in diagnostics:
            click.echo(_github(diagnostic) if output_format == "github" else str(diagnostic))
        line = (f"Checked {plural(len(inputs), 'file')}: "
                f"{plural(counts[Severity.ERROR], 'error')}, "
                f"{plural(counts[Severity.WARNING], 'warning')}")
        if counts[Severity.INFO]:
            line += f", {plural(counts[Severity.INFO], 'note')}"
        click.echo(line + ".")
    sys.exit(1 if counts[Severity.ERROR] else 0)


def _check_stdin(from_: str | None, plugins: Plugins, settings: Any) -> list[Diagnostic]:
    from gfmdreport import pipeline

    if not from_:
        raise UsageError("reading standard input needs --from FORMAT")
    data = read_stdin()
    config = settings if settings is not None else find_settings(".")
    try:
        summary = pipeline.loads(data, from_, path="<stdin>", plugins=plugins)
    except InputError as exc:
        return pipeline.input_problems(exc, plugins=plugins, config=config)
    return pipeline.validate(summary, plugins=plugins, config=config)


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
