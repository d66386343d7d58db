"""The batch run: find the inputs, plan their outputs, hold OUTDIR's lock, let the
workers convert what is not up to date, keep the manifest, and gather the report."""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import signal
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from gfmdreport.batch import worker
from gfmdreport.batch.manifest import MANIFEST_NAME
from gfmdreport.batch.manifest import Manifest
from gfmdreport.batch.manifest import Settings
from gfmdreport.batch.manifest import build_record
from gfmdreport.batch.outdir import OutDir
from gfmdreport.batch.outdir import locked
from gfmdreport.batch.plan import Input
from gfmdreport.batch.plan import options_per_format
from gfmdreport.batch.plan import plan
from gfmdreport.batch.pool import Pool
from gfmdreport.batch.pool import context
from gfmdreport.batch.pool import default_jobs
from gfmdreport.batch.pool import max_rss_kb
from gfmdreport.batch.report import CANCELLED
from gfmdreport.batch.report import CONVERTED
from gfmdreport.batch.report import FAILED
from gfmdreport.batch.report import NOT_BUILT
from gfmdreport.batch.report import UP_TO_DATE
from gfmdreport.batch.report import WRITTEN
from gfmdreport.batch.report import BatchReport
from gfmdreport.batch.report import Event
from gfmdreport.batch.report import FileResult
from gfmdreport.batch.report import Progress
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import warning
from gfmdreport.discover import discover
from gfmdreport.discover import reader_names
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.manager import make_plugin_manager

_SAVE_EVERY = 2.0  # seconds between manifest saves during a long run


def convert(
    sources: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    formats: Sequence[str],
    *,
    jobs: int | None = None,
    globs: Sequence[str] = (),
    force: bool = False,
    fail_fast: bool = False,
    validate: bool = True,
    options: Mapping[str, Any] | None = None,
    plugins: Plugins | None = None,
    make_plugins: Callable[[], Plugins] | None = None,
    progress: Progress | None = None,
    start_method: str | None = None,
) -> BatchReport:
    """Convert every input under ``sources`` to each of ``formats`` in ``outdir``.

    ``jobs`` worker processes (default: the CPUs available) each build their plugins
    with ``make_plugins`` once (default: every installed plugin); ``plugins`` is what this
    process uses to find inputs (default: ``make_plugins()``). ``options`` are writer
    options by name (``reference_doc=...``), each given to the formats that take it.
    ``globs`` narrow the files found in folders; ``force`` rebuilds up-to-date outputs;
    ``fail_fast`` stops at the first failed input; ``validate=False`` renders inputs that
    validation rules reject. ``progress`` receives an :class:`Event` as each input is done.

    Returns the :class:`BatchReport`. Raises :class:`~gfmdreport.UsageError` for a bad
    request (unknown format, missing source, unusable OUTDIR), :class:`BatchLocked` when
    another run holds OUTDIR; a failing input is in the report, never an exception. On
    ``KeyboardInterrupt`` the workers are stopped, no partial output is left, the outputs
    made so far are recorded, and the interrupt propagates.
    """
    started = time.perf_counter()
    if not formats:
        raise UsageError("give at least one output format")
    formats = tuple(dict.fromkeys(formats))
    if make_plugins is None:
        make_plugins = make_plugin_manager
    plugins = plugins or make_plugins()
    registry = plugins.registry
    writers = [registry.writer(f) for f in formats]
    by_suffix: dict[str, str] = {}
    for w in writers:
        suffix = (w.suffix or f".{w.name}").lower()
        if suffix in by_suffix:
            raise UsageError(f"formats '{by_suffix[suffix]}' and '{w.name}' both write "
                             f"'{suffix}' files; convert them to separate output folders")
        by_suffix[suffix] = w.name
    per_format = options_per_format(plugins, formats, options or {})
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")

    outdir_display = os.fspath(outdir)
    if os.path.exists(outdir_display) and not os.path.isdir(outdir_display):
        raise UsageError(f"{outdir_display}: exists and is not a folder")
    try:
        os.makedirs(outdir_display, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{outdir_display}: cannot create the output folder: "
                         f"{exc.strerror or exc}") from None
    out_abs = os.path.abspath(outdir_display)

    notices: list[Diagnostic] = []
    # A folder search takes the notes formats; a reader of a suffix common for other
    # files too (.txt, legacy text) is searched for only when --glob asks for it.
    suffixes = ({s for r in registry.readers.values() for s in r.suffixes} if globs
                else set(registry.folder_suffixes()))
    sources = expand_manifests(sources)
    with OutDir(outdir_display) as out:
        found = discover(sources, reader_names(registry, every_reader=bool(globs)),
                         globs=globs, skip=[out.real], notices=notices)
        if not found:
            notices.append(warning(
                "no-input", "no input found", Location(", ".join(map(os.fspath, sources))),
                hint=f"inputs are files ending in {', '.join(sorted(suffixes))}"
                     + (f" and matching {', '.join(globs)}" if globs else "")))
        with locked(out):
            records = {w.name: build_record(plugins, w, per_format[w.name], validate)
                       for w in writers}
            manifest = Manifest(out, records)
            manifest.load(notices)
            inputs = plan(found, out_abs, outdir_display, writers)
            return _run(inputs, manifest, out, per_format, notices, started,
                        formats=formats, jobs=jobs, force=force, fail_fast=fail_fast,
                        validate=validate, make_plugins=make_plugins, progress=progress,
                        context=context(start_method))


def expand_manifests(sources: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The sources with each proceedings manifest given among them (a YAML file with
    ``sessions`` and no ``body``) replaced by the sessions it lists, in its order."""
    from gfmdreport.proceedings.manifest import looks_like_manifest
    from gfmdreport.proceedings.manifest import read_manifest

    out: list[str] = []
    for source in sources:
        name = os.fspath(source)
        if name.lower().endswith((".yaml", ".yml")) and os.path.isfile(name):
            with open(name, "rb") as f:
                head = f.read(65536)
            if looks_like_manifest(head):
                out.extend(entry.file for entry in read_manifest(name).entries)
                continue
        out.append(name)
    return out


@contextlib.contextmanager
def _interrupts_wait(interrupted: Callable[[], bool]) -> Iterator[None]:
    """Ctrl-C waits until the block is done: a cleanup that has begun ends (the workers
    stopped, their temporary files removed, the manifest saved). A Ctrl-C that came
    meanwhile is raised at the end, unless ``interrupted()`` says one is already on its
    way (a second Ctrl-C then changes nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came and not interrupted() and callable(previous):
        raise KeyboardInterrupt


def _run(inputs: list[Input], manifest: Manifest, out: OutDir,
         per_format: Mapping[str, Mapping[str, Any]], notices: list[Diagnostic],
         started: float, *, formats: tuple[str, ...], jobs: int, force: bool,
         fail_fast: bool, validate: bool, make_plugins: Callable[[], Plugins],
         progress: Progress | None, context: Any) -> BatchReport:
    total = len(inputs)
    results: dict[int, FileResult] = {}
    failed = 0

    def emit(kind: str, result: FileResult | None = None, notice: Diagnostic | None = None,
             to_build: int = 0) -> None:
        if progress is not None:
            progress(Event(kind, total, len(results), failed, to_build, result, notice))

    def finish(item: Input, status: str, seconds: float = 0.0) -> None:
        nonlocal failed
        result = item.result(status, seconds)
        results[item.index] = result
        item.outputs, item.diagnostics = [], []  # the result holds them now
        failed += status == FAILED
        emit("file", result)

    for notice in notices:
        emit("notice", notice=notice)
    settings = Settings(validate)
    todo: list[Input] = []
    ready: list[Input] = []
    for item in inputs:
        if item.diagnostics:
            ready.append(item)
            continue
        stale = False
        digest = settings.digest(item.source)
        for o in item.outputs:
            if not force and manifest.up_to_date(item, o, manifest.key(o.format, digest)):
                o.status = UP_TO_DATE
            else:
                stale = True
        (todo if stale else ready).append(item)
    out.end_checks()
    # what a killed run left beside any output of this one (or the manifest)
    out.remove_temporaries((o for item in inputs for o in item.outputs), MANIFEST_NAME)
    emit("start", to_build=len(todo))
    for item in ready:
        finish(item, FAILED if item.diagnostics else UP_TO_DATE)
    stopped = fail_fast and failed > 0
    pool: Pool[Input] = Pool(min(jobs, len(todo)), make_plugins, worker.convert_one, context)
    written: list[tuple[str, int]] = []  # outputs (and their device) written since the
    # manifest was last saved
    unsaved: list[Diagnostic] = []

    def save(final: bool) -> None:
        """One step: the outputs written since the last are put on disk, then the
        manifest records them. A manifest that cannot be saved (a full disk) is a
        notice; the run goes on, and the manifest on disk claims nothing unwritten."""
        try:
            out.make_durable(written)
            manifest.save()
            written.clear()
            unsaved.clear()
        except (InputError, OSError) as exc:
            why = (exc.diagnostics[0] if isinstance(exc, InputError)
                   else error("io", f"cannot write: {exc.strerror or exc}"))
            notice = (error if final else warning)(
                "manifest-not-saved", f"the manifest was not saved ({why.message}); "
                + ("the outputs written are complete, and the next run converts again "
                   "those it does not record" if final else "trying again as the run goes"),
                Location(manifest.path), why.hint or "free some space on its disk, then "
                "run again")
            if final or not unsaved:
                unsaved.append(notice)
                notices.append(notice)
                emit("notice", notice=notice)

    last_save = time.monotonic()
    save_every = _SAVE_EVERY
    queue = collections.deque([] if stopped else todo)
    interrupted = True
    try:
        task = functools.partial(worker.task, per_format=per_format, validate=validate,
                                 outdir_real=out.real, outdir_id=out.identity)
        for item, answer, death in pool.run(queue, task):
            if death is not None:
                out.remove_temporaries(item.outputs)
                item.diagnostics.append(error(
                    "worker-died", "the worker process converting this file "
                    f"stopped before it finished ({death}); no "
                    "partial output is left", Location(item.source.path),
                    "run again: the file is converted afresh; if it stops "
                    "again, a writer crashes on it"))
                for o in item.outputs:
                    if o.status != UP_TO_DATE:
                        manifest.forget(o)
                finish(item, FAILED)
                failed_now = True
            else:
                assert item.index == answer["index"]
                status = _merge(item, answer, manifest, written)
                finish(item, status, answer["seconds"])
                failed_now = status == FAILED
            if failed_now and fail_fast:
                stopped = True
                queue.clear()
            if manifest.dirty and time.monotonic() - last_save > save_every:
                began = time.monotonic()
                save(final=False)
                last_save = time.monotonic()
                save_every = max(_SAVE_EVERY, 20 * (last_save - began))
        interrupted = False
    finally:
        with _interrupts_wait(lambda: interrupted):
            held = pool.shutdown(graceful=not interrupted)
            if held:
                out.remove_temporaries(o for item in held for o in item.outputs)
            if manifest.dirty:
                save(final=True)
    for item in inputs:
        if item.index not in results:
            results[item.index] = item.result(CANCELLED)
    rss = {"main": max_rss_kb(),
           "workers": sorted(pool.rss.values(), reverse=True)}
    ordered = sorted(results.values(), key=lambda r: r.input)
    return BatchReport(out.shown, formats, ordered, notices,
                       time.perf_counter() - started, pool.started, stopped, rss)


def _merge(item: Input, answer: Mapping[str, Any], manifest: Manifest,
           written: list[tuple[str, int]]) -> str:
    """Fold a worker's answer into the input's record and the manifest; its status."""
    item.diagnostics.extend(worker.diagnostic(d) for d in answer["diagnostics"])
    if answer["stat"] is not None:
        item.stat = tuple(answer["stat"])  # type: ignore[assignment]
    stale = [o for o in item.outputs if o.status != UP_TO_DATE]
    for out, done in zip(stale, answer["outputs"], strict=True):
        out.status = done["status"]
        if out.status == WRITTEN:
            size, mtime_ns, device = done["made"]
            manifest.record(item, out, manifest.key(out.format, answer["config"]),
                            (size, mtime_ns))
            written.append((out.rel, device))
        else:
            manifest.forget(out)
    if any(d.severity is Severity.ERROR for d in item.diagnostics) or \
            any(o.status in (FAILED, NOT_BUILT) for o in item.outputs):
        return FAILED
    return CONVERTED
