"""Reading the sessions of a manifest (once each, in worker processes with ``jobs``),
checking them and the whole, and writing the proceedings through a writer."""

from __future__ import annotations

import copyreg
import os
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error
from gfmdreport.event import AnnexSection
from gfmdreport.event import Chapter
from gfmdreport.event import Proceedings
from gfmdreport.hooks.manager import Plugins
from gfmdreport.pipeline import Checked
from gfmdreport.pipeline import Rendered
from gfmdreport.pipeline import default_plugins
from gfmdreport.proceedings.manifest import Entry
from gfmdreport.proceedings.manifest import Manifest
from gfmdreport.proceedings.manifest import read_manifest

PARALLEL_FROM = 200
"""With ``jobs`` left to choose (``None``), sessions are read in worker processes from
this many on: bench/compile.py measured 50 sessions read faster in one process (0.67 s)
than in two forked workers (0.76 s) on a 2-core machine."""

# Summaries cross process boundaries: their read-only mappings travel as dicts.
def _proxy(data: dict) -> MappingProxyType:
    return MappingProxyType(data)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))


@dataclass(frozen=True)
class Loaded:
    """A manifest read: the proceedings (``None`` when a session could not be read) and
    every diagnostic, each session's (located in its file) and the collection's."""

    proceedings: Proceedings | None
    diagnostics: tuple[Diagnostic, ...]
    manifest: Manifest
    unread: int = 0
    """How many sessions could not be read."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def load_proceedings(path: str | os.PathLike[str], *, jobs: int | None = 1,
                     plugins: Plugins | None = None, validate: bool = True,
                     numbering: str | None = None,
                     make_plugins: Any = None) -> Loaded:
    """Read the manifest at ``path`` and each session it lists, once.

    Each session is validated as ``gfmdreport validate`` does (its configuration found
    upward from its file), then the collection rules run over the whole. ``jobs``: worker
    processes reading sessions (``None``: one per CPU for :data:`PARALLEL_FROM` sessions
    or more); ``numbering`` overrides the manifest's. Raises
    :class:`~gfmdreport.InputError` for a manifest that is wrong in itself."""
    from gfmdreport.proceedings.rules import check_collection

    plugins = plugins or default_plugins()
    manifest = read_manifest(path)
    meta = dict(manifest.meta)
    if numbering is not None:
        from gfmdreport.event import NUMBERINGS

        if numbering not in NUMBERINGS:
            raise UsageError(f"--numbering must be one of {', '.join(NUMBERINGS)}")
        meta["numbering"] = numbering
    missing = [e for e in manifest.entries if not os.path.isfile(e.file)]
    if missing:
        raise InputError([error("missing-session", f"no summary at '{e.file}'", e.loc,
                                "correct the path (relative to the manifest's folder)")
                          for e in missing])
    checked = read_sessions(manifest.entries, jobs=jobs, plugins=plugins,
                            validate=validate, make_plugins=make_plugins)
    found: list[Diagnostic] = []
    chapters = []
    for entry, result in zip(manifest.entries, checked, strict=True):
        found.extend(result.diagnostics)
        if result.summary is not None:
            chapters.append(Chapter(result.summary, entry.part, entry.path, entry.loc))
    proceedings = None
    if len(chapters) == len(manifest.entries):
        proceedings = Proceedings(**meta, chapters=tuple(chapters), source=manifest.path,
                                  locations=MappingProxyType(manifest.locations))
        if validate:
            found.extend(check_collection(proceedings, manifest))
    return Loaded(proceedings, tuple(found), manifest,
                  len(manifest.entries) - len(chapters))


def read_sessions(entries: Sequence[Entry], *, jobs: int | None = 1,
                  plugins: Plugins | None = None, validate: bool = True,
                  make_plugins: Any = None) -> list[Checked]:
    """Each entry's file read (and validated), in order; in ``jobs`` worker processes
    when more than one is asked for."""
    plugins = plugins or default_plugins()
    files = [e.file for e in entries]
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        return [_check(f, plugins, validate) for f in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _worker_plugins
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and make_plugins is None:
        _worker_plugins = plugins  # a forked worker inherits them, loaded
        context = multiprocessing.get_context("fork")
        initializer, arguments = None, ()
    else:
        context = multiprocessing.get_context("spawn")
        initializer, arguments = _start_worker, (make_plugins,)
    chunk = max(1, len(files) // (jobs * 4))
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer,
                                 initargs=arguments) as pool:
            return list(pool.map(_worker_check, files, [validate] * len(files),
                                 chunksize=chunk))
    finally:
        _worker_plugins = None


_worker_plugins: Plugins | None = None


def _start_worker(make_plugins: Any) -> None:
    global _worker_plugins
    from gfmdreport.hooks.manager import make_plugin_manager

    _worker_plugins = (make_plugins or make_plugin_manager)()


def _worker_check(path: str, validate: bool) -> Checked:
    return _check(path, _worker_plugins or default_plugins(), validate)


def _check(path: str, plugins: Plugins, validate: bool) -> Checked:
    from gfmdreport import pipeline

    if validate:
        return pipeline.check(path, plugins=plugins)
    try:
        summary = pipeline.load(path, plugins=plugins)
    except InputError as exc:
        return Checked(path, None, tuple(exc.diagnostics))
    except GfmdError as exc:
        return Checked(path, None, (error("error", str(exc).removeprefix(f"{path}: "),
                                          Location(path)),))
    return Checked(path, summary, tuple(summary.diagnostics))


# ---- the annex plugins add, and writing ----------------------------------------------------

def annex_sections(proceedings: Proceedings, plugins: Plugins) -> tuple[AnnexSection, ...]:
    """What every ``extend_annex`` implementation adds, in pluggy's order."""
    out: list[AnnexSection] = []
    for name, call in plugins.each("extend_annex"):
        with plugins.failing_as(name, "extend_annex"):
            results = call(proceedings=proceedings)
        for result in results or ():
            if result is None:
                continue
            sections = result if isinstance(result, (list, tuple)) else [result]
            for section in sections:
                if not isinstance(section, AnnexSection):
                    raise PluginError(name, plugins.registry.dist_label(name),
                                      "extend_annex", f"returned {type(section).__name__}, "
                                      "not an AnnexSection")
                out.append(replace(section, plugin=name))
    return tuple(out)


def proceedings_writers(plugins: Plugins) -> list[str]:
    """The formats whose writers write proceedings."""
    return sorted(n for n, w in plugins.registry.writers.items() if w.write_proceedings)


def compile_proceedings(proceedings: Proceedings, to: str, *,
                        plugins: Plugins | None = None, **options: Any) -> Rendered:
    """The proceedings written in format ``to`` (with the plugins' annex sections), and
    what the writer reported."""
    from gfmdreport.pipeline import call_writer
    from gfmdreport.pipeline import writer_options

    plugins = plugins or default_plugins()
    writer = plugins.registry.writer(to)
    if writer.write_proceedings is None:
        raise UsageError(f"format '{to}' does not write proceedings (formats that do: "
                         f"{', '.join(proceedings_writers(plugins))})")
    opts = writer_options(writer, options)
    proceedings = replace(proceedings, annexes=proceedings.annexes + annex_sections(
        proceedings, plugins))
    return call_writer(writer, plugins, "compile", "the proceedings are",
                       lambda: writer.write_proceedings(proceedings, opts))


def options_for(writer_name: str, options: Mapping[str, Any], plugins: Plugins) -> dict:
    """The options among ``options`` that the writer takes."""
    writer = plugins.registry.writer(writer_name)
    keys = {o.key for o in writer.options}
    return {k: v for k, v in options.items() if k in keys}
