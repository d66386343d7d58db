"""The plan of a run: each input with the outputs it maps to, checked before anything is
converted.

``SRC/sub/notes.yaml`` becomes ``OUTDIR/sub/notes.<suffix>`` for each format. Two inputs
that would write the same output (also when the names differ only in letter case), an
output that would overwrite an input, and an output outside OUTDIR are failures of those
inputs, never an overwrite. Writer options are checked and completed here too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from gfmdreport import pipeline
from gfmdreport.batch.report import NOT_BUILT
from gfmdreport.batch.report import FileResult
from gfmdreport.batch.report import OutputResult
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error
from gfmdreport.discover import Source
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.registry import Writer


@dataclass(slots=True)
class Output:
    """One output an input maps to."""

    format: str
    rel: str
    """Posix path inside OUTDIR: the manifest key."""
    path: str
    """Display path (OUTDIR as given, joined with rel)."""
    target: str
    """Absolute path to write."""
    status: str = NOT_BUILT


@dataclass(slots=True)
class Input:
    """An input of the run with its outputs, and the diagnostics gathered for it."""

    index: int
    """Its place in the order the inputs were found."""
    source: Source
    outputs: list[Output]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stat: tuple[int, int, str] | None = None
    """(size, mtime_ns, sha256) of the input, once known."""

    def result(self, status: str, seconds: float = 0.0) -> FileResult:
        return FileResult(self.source.path, status,
                          [OutputResult(o.format, o.path, o.status) for o in self.outputs],
                          list(self.diagnostics), seconds)


def options_per_format(plugins: Plugins, formats: Sequence[str],
                       options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per format, the writer's options with defaults: each option goes to the formats
    that take it; one no requested format takes is a UsageError."""
    writers = [plugins.registry.writer(f) for f in formats]
    given = {k.replace("-", "_"): v for k, v in options.items()
             if v not in (None, False, ())}
    for key in given:
        if not any(key in {o.key for o in w.options} for w in writers):
            offered = sorted({f"--{o.name}" for w in writers for o in w.options})
            raise UsageError(f"--{key.replace('_', '-')} does not apply to the formats "
                             f"{', '.join(formats)} (their options: "
                             f"{', '.join(offered) or 'none'})")
    result = {}
    for writer in writers:
        mine = {k: v for k, v in given.items() if k in {o.key for o in writer.options}}
        for opt in writer.options:
            if opt.kind == "path" and mine.get(opt.key):
                value = os.fspath(mine[opt.key])
                if not os.path.isfile(value):
                    raise UsageError(f"--{opt.name} {value}: no such file")
                mine[opt.key] = os.path.abspath(value)
        result[writer.name] = pipeline.writer_options(writer, mine)
    return result


def _output_name(rel: str, writer: Writer) -> str:
    suffix = writer.suffix or f".{writer.name}"
    folder, _, name = rel.rpartition("/")
    stem, ext = os.path.splitext(name)
    name = (stem if ext else name) + suffix
    return f"{folder}/{name}" if folder else name


def _safe_rel(rel: str) -> bool:
    return all(p not in ("", ".", "..") for p in rel.split("/"))


def plan(sources: list[Source], outdir: str, outdir_display: str,
          writers: Sequence[Writer]) -> list[Input]:
    """Each source with its outputs in OUTDIR (``outdir`` absolute, ``outdir_display`` as
    given); an input whose outputs cannot be written safely carries the reason in its
    diagnostics."""
    inputs: list[Input] = []
    by_name: dict[str, list[tuple[Input, Output]]] = {}
    folders: dict[str, str] = {}

    def resolved(path: str) -> str:  # the real folder (one realpath per folder) + the name
        folder, name = os.path.split(path)
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder or ".")
        return os.path.join(real, name)

    input_paths = {resolved(s.path) for s in sources}
    input_paths.update(os.path.realpath(s.path) for s in sources if os.path.islink(s.path))
    for i, source in enumerate(sources):
        item = Input(i, source, [])
        inputs.append(item)
        for writer in writers:
            rel = _output_name(source.rel, writer)
            if not _safe_rel(rel):
                item.diagnostics.append(error(
                    "output-escape", f"the output name '{rel}' would leave the output "
                    "folder", Location(source.path)))
                continue
            native = rel.replace("/", os.sep)
            out = Output(writer.name, rel, os.path.join(outdir_display, native),
                          os.path.join(outdir, native))
            item.outputs.append(out)
            by_name.setdefault(out.rel.casefold(), []).append((item, out))
            if resolved(out.target) in input_paths:
                item.diagnostics.append(error(
                    "output-is-input", f"the {writer.name} output {out.path} would "
                    "overwrite an input", Location(source.path),
                    "choose an output folder apart from the inputs"))
    for claims in by_name.values():
        if len(claims) < 2:
            continue
        for item, out in claims:
            others = sorted({o.source.path for o, _ in claims if o is not item})
            item.diagnostics.append(error(
                "output-collision", f"{out.path} would also be written from "
                f"{', '.join(others)}; none of them is written", Location(item.source.path),
                "rename one of the inputs, or convert them to separate output folders"))
    return inputs
