"""Batch conversion: every input under some files and folders, to several formats, in
parallel, incrementally and safely.

:func:`convert` is the whole engine; ``gfmdreport batch`` is a thin command over it.

- **Discovery.** Folders are walked recursively for files whose suffix a registered reader
  accepts (hidden files and folders skipped, ``globs`` to narrow, OUTDIR itself skipped
  when it lies inside a source). Files named directly are always taken. Symbolic links are
  followed only when they point inside the folder being walked.
- **Mapping.** ``SRC/sub/notes.yaml`` becomes ``OUTDIR/sub/notes.<suffix>`` for each
  format. Two inputs that would write the same output (also when the names differ only in
  letter case), an output that would overwrite an input, and an output outside OUTDIR
  are failures of those inputs, never an overwrite.
- **Incremental.** A manifest in OUTDIR records what each output was built from (the
  input's path, size, mtime and SHA-256, the gfmdreport and plugin versions, the writer
  options and the SHA-256 of file options such as a reference document). An output whose
  record still matches is up to date and is not rebuilt; ``force`` rebuilds everything.
- **Parallel.** A pool of worker processes, each building its plugins once, converts the
  inputs that need it; results stream back as they finish. A worker that dies (killed,
  crashed) fails only the input it held; a fresh worker takes its place.
- **Safe.** Every output goes through :func:`gfmdreport.files.write_atomic`; temporary
  files of a worker that died are removed. A lock file in OUTDIR stops a second run on the
  same OUTDIR.

Nothing here prints: progress is reported to a callback, the outcome returned as a
:class:`BatchReport`.
"""

from __future__ import annotations

import collections
import contextlib
import fnmatch
import functools
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from gfmdreport import __version__, files, pipeline
from gfmdreport.diagnostics import (
    Diagnostic,
    GfmdError,
    InputError,
    Location,
    PluginError,
    RenderError,
    Severity,
    UsageError,
    describe_exception,
    error,
    warning,
)
from gfmdreport.hooks.manager import Plugins, make_plugin_manager
from gfmdreport.hooks.registry import Writer

MANIFEST_NAME = ".gfmdreport-manifest.json"
LOCK_NAME = ".gfmdreport.lock"
MANIFEST_VERSION = 1
REPORT_VERSION = 1

CONVERTED = "converted"
UP_TO_DATE = "up-to-date"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (CONVERTED, UP_TO_DATE, FAILED, CANCELLED)
"""A file's status in the report."""

WRITTEN = "written"
NOT_BUILT = "not-built"
"""An output's status: ``written``, ``up-to-date``, ``failed`` or ``not-built`` (its input
failed before this format was rendered, or the run stopped first)."""

_SAVE_EVERY = 2.0  # seconds between manifest saves during a long run


class BatchLocked(GfmdError):
    """Another batch run holds OUTDIR."""


# ---- results -----------------------------------------------------------------------------

@dataclass(slots=True)
class OutputResult:
    """One output file of one input."""

    format: str
    path: str
    """The output file, as OUTDIR was given joined with its path inside OUTDIR."""
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "path": self.path, "status": self.status}


@dataclass(slots=True)
class FileResult:
    """What happened to one input."""

    input: str
    """The input file as found (the source as given, joined with its path inside it)."""
    status: str
    outputs: list[OutputResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "outputs": [o.to_dict() for o in self.outputs],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


@dataclass
class BatchReport:
    """The outcome of a batch run: one :class:`FileResult` per input, sorted by input."""

    outdir: str
    formats: tuple[str, ...]
    files: list[FileResult]
    notices: list[Diagnostic] = field(default_factory=list)
    """Problems found while looking for inputs (a symbolic link leading outside its
    source folder, an unreadable folder, an unreadable manifest)."""
    seconds: float = 0.0
    jobs: int = 0
    """Worker processes started (0 when everything was up to date)."""
    stopped: bool = False
    """True when ``fail_fast`` stopped the run at the first failure."""
    max_rss_kb: dict[str, Any] = field(default_factory=dict)
    """Peak resident memory in KiB: ``main`` (this process) and ``workers`` (one entry per
    worker process started)."""

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)

    @property
    def converted(self) -> int:
        return self.count(CONVERTED)

    @property
    def up_to_date(self) -> int:
        return self.count(UP_TO_DATE)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def cancelled(self) -> int:
        return self.count(CANCELLED)

    @property
    def with_warnings(self) -> int:
        return sum(f.warnings > 0 for f in self.files)

    @property
    def outputs_written(self) -> int:
        return sum(o.status == WRITTEN for f in self.files for o in f.outputs)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "converted": self.converted,
            "up_to_date": self.up_to_date,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "with_warnings": self.with_warnings,
            "outputs_written": self.outputs_written,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self._head(), "files": [f.to_dict() for f in self.files]}

    def _head(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "gfmdreport": __version__,
            "outdir": self.outdir,
            "formats": list(self.formats),
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "stopped_at_first_failure": self.stopped,
            "summary": self.summary(),
            "notices": [d.to_dict() for d in self.notices],
            "max_rss_kb": self.max_rss_kb,
        }

    def to_json(self) -> bytes:
        """The report as JSON, one line per file (built file by file, so that a report
        of many thousand files does not hold them all as objects at once)."""
        head = json.dumps(self._head(), ensure_ascii=False, indent=2)
        parts = [head[:-2].encode(), b',\n  "files": [']
        for i, f in enumerate(self.files):
            parts.append(b"\n    " if i == 0 else b",\n    ")
            parts.append(json.dumps(f.to_dict(), ensure_ascii=False).encode())
        parts.append(b"\n  ]\n}\n" if self.files else b"]\n}\n")
        return b"".join(parts)

    def to_junit(self) -> bytes:
        """JUnit XML: one test case per input (failed: a failure; cancelled: skipped)."""
        import xml.etree.ElementTree as ET

        suite = ET.Element("testsuite", {
            "name": "gfmdreport batch",
            "tests": str(len(self.files)),
            "failures": str(self.failed),
            "errors": "0",
            "skipped": str(self.cancelled),
            "time": f"{self.seconds:.3f}",
        })
        for f in self.files:
            folder, _, name = f.input.replace(os.sep, "/").rpartition("/")
            case = ET.SubElement(suite, "testcase", {
                "classname": folder.replace("/", ".") or "gfmdreport",
                "name": name,
                "file": f.input,
                "time": f"{f.seconds:.3f}",
            })
            text = "\n".join(str(d) for d in f.diagnostics)
            if f.status == FAILED:
                first = next((d for d in f.diagnostics if d.severity is Severity.ERROR),
                             None)
                failure = ET.SubElement(case, "failure", {
                    "message": first.message if first else "failed",
                    "type": first.rule if first else "error",
                })
                failure.text = text
            elif f.status == CANCELLED:
                ET.SubElement(case, "skipped", {"message": "not converted: the run "
                                                "stopped at the first failure"})
            else:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{o.status}: {o.path}" for o in f.outputs)
                if f.diagnostics:
                    ET.SubElement(case, "system-err").text = text
        root = ET.Element("testsuites")
        root.append(suite)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@dataclass(frozen=True)
class Event:
    """A progress report: ``start`` once, then ``file`` for each input as it is done,
    and ``notice`` for each problem found while looking for inputs."""

    kind: str
    total: int
    """Inputs in the run."""
    done: int
    """Inputs finished so far (converted, up to date, failed or cancelled)."""
    failed: int
    """Inputs failed so far."""
    to_build: int = 0
    """Inputs that need converting (the rest are up to date or failed before starting)."""
    result: FileResult | None = None
    notice: Diagnostic | None = None


Progress = Callable[[Event], None]


# ---- discovery ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Source:
    """An input found: the path to open and where its outputs go inside OUTDIR."""

    path: str
    """As found: the source argument joined with the path inside it."""
    rel: str
    """Path inside the source folder, with ``/`` (just the name for a file given
    directly)."""
    abspath: str
    """Absolute path of ``path`` (symbolic links not resolved)."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _matches(rel: str, globs: Sequence[str]) -> bool:
    if not globs:
        return True
    name = rel.rpartition("/")[2]
    return any(fnmatch.fnmatchcase(rel if "/" in g else name, g) for g in globs)


def discover(sources: Iterable[str | os.PathLike[str]], suffixes: Iterable[str], *,
             globs: Sequence[str] = (), skip: Iterable[str] = (),
             notices: list[Diagnostic] | None = None) -> list[Source]:
    """Every input under ``sources``: files given directly, and files under folders whose
    suffix is in ``suffixes`` and whose path inside the folder matches one of ``globs``
    (a pattern without ``/`` is matched against the file name). Folders in ``skip``
    (real paths) are not entered. Problems found go to ``notices``."""
    wanted = {s.lower() for s in suffixes}
    skipped = {os.path.realpath(s) for s in skip}
    found: list[Source] = []
    seen: set[tuple[str, str]] = set()
    notes = notices if notices is not None else []
    cwd = os.getcwd()

    def add(path: str, rel: str) -> None:
        full = os.path.normpath(os.path.join(cwd, path))
        if (full, rel) not in seen:
            seen.add((full, rel))
            found.append(Source(path, rel, full))

    for src in sources:
        name = os.fspath(src)
        if not os.path.lexists(name):
            raise UsageError(f"{name}: no such file or folder")
        if not os.path.isdir(name):
            if not os.path.exists(name):
                raise UsageError(f"{name}: a symbolic link to nothing")
            add(name, os.path.basename(os.path.normpath(name)))
            continue
        root = os.path.realpath(name)
        _walk(name, root, "", (root,), wanted, globs, skipped, add, notes)
    return found


def _walk(folder: str, root: str, rel: str, ancestors: tuple[str, ...],
          wanted: set[str], globs: Sequence[str], skipped: set[str],
          add: Callable[[str, str], None], notices: list[Diagnostic]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        notices.append(warning("unreadable-folder", f"folder not read: "
                               f"{exc.strerror or exc}", Location(folder)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        child = f"{rel}/{entry.name}" if rel else entry.name
        try:
            is_link = entry.is_symlink()
            real = os.path.realpath(path) if is_link else None
            if is_link and not os.path.exists(path):
                notices.append(warning("broken-symlink", "symbolic link to nothing; skipped",
                                       Location(path)))
                continue
            if is_link and not _inside(real, root):
                notices.append(warning(
                    "symlink-outside", "symbolic link not followed: it points outside "
                    "the source folder", Location(path),
                    "copy the file into the folder, or give it as a source of its own"))
                continue
            is_dir = entry.is_dir()  # follows a link
        except OSError as exc:
            notices.append(warning("unreadable", f"not read: {exc.strerror or exc}",
                                   Location(path)))
            continue
        if is_dir:
            real = real or os.path.realpath(path)
            if real in skipped or real in ancestors:
                continue
            _walk(path, root, child, (*ancestors, real), wanted, globs, skipped, add,
                  notices)
        elif (os.path.splitext(entry.name)[1].lower() in wanted and _matches(child, globs)
              and (not is_link or os.path.isfile(path))):
            add(path, child)


# ---- the plan ----------------------------------------------------------------------------

@dataclass(slots=True)
class _Output:
    format: str
    rel: str
    """Posix path inside OUTDIR: the manifest key."""
    path: str
    """Display path (OUTDIR as given, joined with rel)."""
    target: str
    """Absolute path to write."""
    status: str = NOT_BUILT


@dataclass(slots=True)
class _Input:
    index: int
    source: Source
    abspath: str
    outputs: list[_Output]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stat: tuple[int, int, str] | None = None
    """(size, mtime_ns, sha256) of the input, once known."""

    def result(self, status: str, seconds: float = 0.0) -> FileResult:
        return FileResult(self.source.path, status,
                          [OutputResult(o.format, o.path, o.status) for o in self.outputs],
                          list(self.diagnostics), seconds)


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(functools.partial(fh.read, 1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _plugin_versions(plugins: Plugins) -> dict[str, str]:
    return {name: (info.dist_label or info.module)
            for name, info in sorted(plugins.registry.plugins.items()) if not info.error}


def _build_options(plugins: Plugins, formats: Sequence[str],
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


def _build_record(plugins: Plugins, writer: Writer, options: Mapping[str, Any],
                  validate: bool) -> dict[str, Any]:
    files = {}
    for opt in writer.options:
        value = options.get(opt.key)
        if opt.kind == "path" and value:
            files[opt.key] = _sha256_file(value)
    return {
        "gfmdreport": __version__,
        "format": writer.name,
        "plugins": _plugin_versions(plugins),
        "options": {k: (v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
                    for k, v in sorted(options.items())},
        "files": files,
        "validate": validate,
    }


def _key(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _output_name(rel: str, writer: Writer) -> str:
    suffix = writer.suffix or f".{writer.name}"
    folder, _, name = rel.rpartition("/")
    stem, ext = os.path.splitext(name)
    name = (stem if ext else name) + suffix
    return f"{folder}/{name}" if folder else name


def _safe_rel(rel: str) -> bool:
    return all(p not in ("", ".", "..") for p in rel.split("/"))


def _plan(sources: list[Source], outdir: str, outdir_display: str,
          writers: Sequence[Writer]) -> list[_Input]:
    inputs: list[_Input] = []
    by_name: dict[str, list[tuple[_Input, _Output]]] = {}
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
        item = _Input(i, source, source.abspath, [])
        inputs.append(item)
        for writer in writers:
            rel = _output_name(source.rel, writer)
            if not _safe_rel(rel):
                item.diagnostics.append(error(
                    "output-escape", f"the output name '{rel}' would leave the output "
                    "folder", Location(source.path)))
                continue
            native = rel.replace("/", os.sep)
            out = _Output(writer.name, rel, os.path.join(outdir_display, native),
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


# ---- the manifest ------------------------------------------------------------------------

class Manifest:
    """What each output in OUTDIR was built from (``OUTDIR/.gfmdreport-manifest.json``)::

        {"version": 1,
         "builds": {"<key>": {"gfmdreport": ..., "format": ..., "plugins": {...},
                              "options": {...}, "files": {"<option>": "<sha256>"},
                              "validate": true}},
         "outputs": {"<path in OUTDIR>": {"input": "<absolute path>", "size": ...,
                     "mtime_ns": ..., "sha256": ..., "build": "<key>",
                     "output_size": ..., "output_mtime_ns": ...}}}
    """

    def __init__(self, outdir: str):
        self.path = os.path.join(outdir, MANIFEST_NAME)
        self.builds: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.dirty = False

    def load(self, notices: list[Diagnostic]) -> None:
        if not os.path.lexists(self.path):
            return
        try:  # a regular file within the input size limit (OUTDIR may be shared)
            data = json.loads(files.read_bytes(self.path))
        except InputError as exc:
            reason = "; ".join(d.message for d in exc.diagnostics)
            notices.append(warning("manifest", f"manifest not read ({reason}); every output "
                                   "is rebuilt", Location(self.path)))
            return
        except (ValueError, RecursionError) as exc:
            notices.append(warning("manifest", f"manifest not read ({describe_exception(exc)}); "
                                   "every output is rebuilt", Location(self.path)))
            return
        if (not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION
                or not isinstance(data.get("outputs"), dict)
                or not isinstance(data.get("builds"), dict)):
            notices.append(warning("manifest", "manifest of another version; every output "
                                   "is rebuilt", Location(self.path)))
            return
        self.builds = data["builds"]
        self.outputs = data["outputs"]

    def save(self) -> None:
        used = {e.get("build") for e in self.outputs.values()}
        builds = {k: v for k, v in self.builds.items() if k in used}
        data = {"version": MANIFEST_VERSION, "builds": builds,
                "outputs": dict(sorted(self.outputs.items()))}
        files.write_atomic(self.path, json.dumps(data, separators=(",", ":"),
                                                    ensure_ascii=False).encode())
        self.dirty = False

    def up_to_date(self, item: _Input, out: _Output, key: str) -> bool:
        entry = self.outputs.get(out.rel)
        if not isinstance(entry, dict) or entry.get("build") != key \
                or entry.get("input") != item.abspath:
            return False
        try:
            made = os.stat(out.target)
            if (made.st_size, made.st_mtime_ns) != (entry.get("output_size"),
                                                    entry.get("output_mtime_ns")):
                return False
            if item.stat is None:
                st = os.stat(item.source.path)
                if (st.st_size, st.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns")):
                    item.stat = (st.st_size, st.st_mtime_ns, entry.get("sha256", ""))
                else:
                    item.stat = (st.st_size, st.st_mtime_ns, _sha256_file(item.source.path))
        except OSError:
            return False
        if item.stat[2] != entry.get("sha256"):
            return False
        if (item.stat[0], item.stat[1]) != (entry.get("size"), entry.get("mtime_ns")):
            entry.update(size=item.stat[0], mtime_ns=item.stat[1])  # touched, not changed
            self.dirty = True
        return True

    def record(self, item: _Input, out: _Output, key: str, made: tuple[int, int]) -> None:
        assert item.stat is not None
        self.outputs[out.rel] = {
            "input": item.abspath, "size": item.stat[0], "mtime_ns": item.stat[1],
            "sha256": item.stat[2], "build": key,
            "output_size": made[0], "output_mtime_ns": made[1],
        }
        self.dirty = True

    def forget(self, out: _Output) -> None:
        if self.outputs.pop(out.rel, None) is not None:
            self.dirty = True


@contextlib.contextmanager
def _locked(outdir: str, shown: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    path = os.path.join(outdir, LOCK_NAME)
    if os.path.islink(path):
        raise UsageError(f"{os.path.join(shown, LOCK_NAME)} is a symbolic link, not the lock "
                         "file a batch run leaves: remove it (nothing is written through it)")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot write in the output folder: "
                         f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            raise BatchLocked(
                f"{shown} is in use by another gfmdreport batch run"
                + (f" (process {holder})" if holder else "")
                + "; wait for it to finish, or choose another output folder") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)


_TMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def _remove_temporaries(outputs: Iterable[_Output]) -> None:
    """Remove what a write interrupted by a killed process left: the temporary files
    :func:`~gfmdreport.files.write_atomic` creates next to these outputs."""
    by_folder: dict[str, set[str]] = {}
    for out in outputs:
        folder, name = os.path.split(out.target)
        by_folder.setdefault(folder, set()).add(name)
    for folder, names in by_folder.items():
        try:
            with os.scandir(folder) as it:
                leftovers = [e.path for e in it
                             if (m := _TMP.match(e.name)) and m["name"] in names]
        except OSError:
            continue
        for path in leftovers:
            with contextlib.suppress(OSError):
                os.unlink(path)


# ---- the workers -------------------------------------------------------------------------

def _diag(d: Diagnostic) -> dict[str, Any]:
    return d.to_dict()


def _undiag(data: Mapping[str, Any]) -> Diagnostic:
    return Diagnostic(Severity(data["severity"]), data["rule"], data["message"],
                      Location(data["path"], data["line"], data["column"]), data["hint"])


def _failure(exc: BaseException, path: str) -> list[Diagnostic]:
    where = Location(path)
    if isinstance(exc, InputError):
        return exc.diagnostics
    if isinstance(exc, UsageError):
        return [error("input-format", str(exc), where)]
    if isinstance(exc, PluginError):
        return [error("plugin-error", str(exc), where)]
    if isinstance(exc, RenderError):
        return [error("render", str(exc), where)]
    if isinstance(exc, GfmdError):
        return [error("error", str(exc), where)]
    return [error("internal-error", f"unexpected {describe_exception(exc)}", where,
                  "this is a bug in gfmdreport or a plugin; please report it with the input")]


def _max_rss_kb() -> int:
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def _make_folder(folder: str, outdir_real: str, shown: str, source: str) -> None:
    """Create an output's folder, refusing one that a symbolic link leads outside OUTDIR
    (checked before anything is created, and again after)."""
    existing = folder
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    for check in (existing, folder):
        if check is folder:
            os.makedirs(folder, exist_ok=True)
        if not _inside(os.path.realpath(check), outdir_real):
            raise InputError.single(
                "output-escape", f"{shown}: its folder leads outside the output folder "
                "(a symbolic link); not written", Location(source))


def _convert_one(task: Mapping[str, Any], plugins: Plugins) -> dict[str, Any]:
    """Read, validate and render one input to its stale outputs. Never raises."""
    started = time.perf_counter()
    path = task["path"]
    outdir_real = task["outdir_real"]
    diagnostics: list[Diagnostic] = []
    outputs: list[dict[str, Any]] = []
    stat = None
    summary = None
    try:
        st = os.stat(path)
        data = files.read_bytes(path)
        stat = (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
        summary = pipeline.loads(data, None, path=path, plugins=plugins)
        if task["validate"]:
            found = pipeline.validate(summary, plugins=plugins)
            diagnostics.extend(found)
            errors = sum(d.severity is Severity.ERROR for d in found)
            if errors:
                diagnostics.append(error(
                    "not-rendered", f"not rendered: {errors} error(s) found by validation",
                    Location(path), "fix them, or convert with --no-validate"))
                summary = None
    except Exception as exc:  # reported with the file, never raised
        diagnostics.extend(_failure(exc, path))
        summary = None
    for out in task["outputs"]:
        status = NOT_BUILT
        made = None
        if summary is not None:
            try:
                rendered = pipeline.render_report(summary, out["format"], plugins=plugins,
                                                  **out["options"])
                diagnostics.extend(rendered.diagnostics)
                _make_folder(os.path.dirname(out["target"]), outdir_real, out["path"], path)
                files.write_atomic(out["target"], rendered.data)
                done = os.stat(out["target"])
                made = (done.st_size, done.st_mtime_ns)
                status = WRITTEN
            except Exception as exc:
                diagnostics.extend(_failure(exc, path))
                status = FAILED
        outputs.append({"format": out["format"], "status": status, "made": made})
    return {
        "index": task["index"],
        "stat": stat,
        "outputs": outputs,
        "diagnostics": [_diag(d) for d in diagnostics],
        "seconds": time.perf_counter() - started,
        "max_rss_kb": _max_rss_kb(),
    }


def _worker(conn: Connection, make_plugins: Callable[[], Plugins]) -> None:
    """A worker process: build the plugins once, then convert what the parent sends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds write_atomic, which removes its temp file

    signal.signal(signal.SIGTERM, stop)
    parent = os.getppid()
    try:
        plugins = make_plugins()
    except BaseException as exc:
        conn.send({"init_error": describe_exception(exc)})
        return
    conn.send({"ready": os.getpid()})
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:  # the parent is gone: nobody to report to
                return
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_convert_one(task, plugins))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: _Input | None = None
    ready: bool = False
    max_rss_kb: int = 0


def _death(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return f"exit status {code}"


class _Pool:
    """Worker processes, one task each at a time, so that the input a dead worker held
    is known exactly."""

    def __init__(self, size: int, make_plugins: Callable[[], Plugins], context: Any):
        self.size = size
        self.make_plugins = make_plugins
        self.context = context
        self.slots: list[_Slot] = []
        self.started = 0
        self.rss: dict[int, int] = {}

    def start(self) -> _Slot:
        here, there = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_worker, args=(there, self.make_plugins),
                                       name=f"gfmdreport-batch-{self.started}", daemon=True)
        process.start()
        there.close()
        self.started += 1
        slot = _Slot(process, here)
        self.slots.append(slot)
        return slot

    def close(self, slot: _Slot) -> None:
        self.slots.remove(slot)
        with contextlib.suppress(OSError, ValueError):
            if slot.process.is_alive():
                slot.conn.send(None)  # other workers hold copies of this pipe: no EOF
        with contextlib.suppress(OSError):
            slot.conn.close()
        slot.process.join(timeout=5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        if slot.max_rss_kb:
            self.rss[slot.process.pid] = slot.max_rss_kb

    def shutdown(self, graceful: bool) -> list[_Input]:
        """Stop every worker; return the inputs they were still holding."""
        held = [s.task for s in self.slots if s.task is not None]
        if not graceful:
            for slot in self.slots:
                slot.process.terminate()
        for slot in list(self.slots):
            self.close(slot)
        return held


# ---- the run -----------------------------------------------------------------------------

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _context(start_method: str | None) -> Any:
    if start_method is None:
        methods = multiprocessing.get_all_start_methods()
        start_method = "fork" if "fork" in methods and sys.platform.startswith("linux") \
            else "spawn"
    return multiprocessing.get_context(start_method)


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
    per_format = _build_options(plugins, formats, options or {})
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
    out_real = os.path.realpath(outdir_display)

    notices: list[Diagnostic] = []
    # A folder search takes the notes formats; a reader of a suffix common for other
    # files too (.txt, legacy text) is searched for only when --glob asks for it.
    suffixes = ({s for r in registry.readers.values() for s in r.suffixes} if globs
                else set(registry.folder_suffixes()))
    found = discover(sources, suffixes, globs=globs, skip=[out_real], notices=notices)
    if not found:
        notices.append(warning(
            "no-input", "no input found", Location(", ".join(map(os.fspath, sources))),
            hint=f"inputs are files ending in {', '.join(sorted(suffixes))}"
                 + (f" and matching {', '.join(globs)}" if globs else "")))

    with _locked(out_abs, outdir_display):
        manifest = Manifest(out_abs)
        manifest.load(notices)
        keys = {w.name: _key(_build_record(plugins, w, per_format[w.name], validate))
                for w in writers}
        for w in writers:
            manifest.builds.setdefault(keys[w.name], _build_record(
                plugins, w, per_format[w.name], validate))
        inputs = _plan(found, out_abs, outdir_display, writers)
        return _run(inputs, manifest, keys, per_format, notices, started,
                    outdir_display=outdir_display, out_real=out_real, formats=formats,
                    jobs=jobs, force=force, fail_fast=fail_fast, validate=validate,
                    make_plugins=make_plugins, progress=progress,
                    context=_context(start_method))


def _run(inputs: list[_Input], manifest: Manifest, keys: Mapping[str, str],
         per_format: Mapping[str, Mapping[str, Any]], notices: list[Diagnostic],
         started: float, *, outdir_display: str, out_real: str, formats: tuple[str, ...],
         jobs: int, force: bool, fail_fast: bool, validate: bool,
         make_plugins: Callable[[], Plugins], progress: Progress | None,
         context: Any) -> BatchReport:
    total = len(inputs)
    results: dict[int, FileResult] = {}
    failed = 0

    def emit(kind: str, result: FileResult | None = None, notice: Diagnostic | None = None,
             to_build: int = 0) -> None:
        if progress is not None:
            progress(Event(kind, total, len(results), failed, to_build, result, notice))

    def finish(item: _Input, status: str, seconds: float = 0.0) -> None:
        nonlocal failed
        result = item.result(status, seconds)
        results[item.index] = result
        item.outputs, item.diagnostics = [], []  # the result holds them now
        failed += status == FAILED
        emit("file", result)

    for notice in notices:
        emit("notice", notice=notice)
    todo: list[_Input] = []
    ready: list[_Input] = []
    for item in inputs:
        if item.diagnostics:
            ready.append(item)
            continue
        stale = False
        for out in item.outputs:
            if not force and manifest.up_to_date(item, out, keys[out.format]):
                out.status = UP_TO_DATE
            else:
                stale = True
        (todo if stale else ready).append(item)
    emit("start", to_build=len(todo))
    for item in ready:
        finish(item, FAILED if item.diagnostics else UP_TO_DATE)
    stopped = fail_fast and failed > 0
    pool = _Pool(min(jobs, len(todo)), make_plugins, context)
    last_save = time.monotonic()
    save_every = _SAVE_EVERY
    queue = collections.deque([] if stopped else todo)
    interrupted = True
    try:
        if todo and not stopped:
            _remove_temporaries(o for item in todo for o in item.outputs)
            for _ in range(pool.size):
                pool.start()
        deaths_before_ready = 0
        while pool.slots:
            for slot in pool.slots:
                if slot.ready and slot.task is None:
                    if stopped or not queue:
                        continue
                    item = queue.popleft()
                    slot.task = item
                    slot.conn.send(_task(item, per_format, validate, out_real))
            idle = [s for s in pool.slots if s.ready and s.task is None]
            for slot in idle:
                pool.close(slot)
            if not pool.slots:
                break
            waitables: list[Any] = [s.conn for s in pool.slots]
            waitables += [s.process.sentinel for s in pool.slots]
            signalled = set(wait(waitables))
            for slot in list(pool.slots):
                message = None
                if slot.conn in signalled or slot.process.sentinel in signalled:
                    with contextlib.suppress(EOFError, OSError):
                        if slot.conn.poll():
                            message = slot.conn.recv()
                if message is None:
                    if slot.process.sentinel in signalled or not slot.process.is_alive():
                        slot.process.join()
                        item = slot.task
                        slot.task = None
                        pool.close(slot)
                        if item is None:
                            deaths_before_ready += not slot.ready
                            if deaths_before_ready > 2 * pool.size:
                                raise PluginError("batch", None, "starting a worker",
                                                  f"worker processes stop at start "
                                                  f"({_death(slot.process)})")
                        else:
                            _remove_temporaries(item.outputs)
                            item.diagnostics.append(error(
                                "worker-died", "the worker process converting this file "
                                f"stopped before it finished ({_death(slot.process)}); no "
                                "partial output is left", Location(item.source.path),
                                "run again: the file is converted afresh; if it stops "
                                "again, a writer crashes on it"))
                            for out in item.outputs:
                                if out.status != UP_TO_DATE:
                                    manifest.forget(out)
                            finish(item, FAILED)
                            stopped = stopped or fail_fast
                        if queue and not stopped:
                            pool.start()
                    continue
                if "init_error" in message:
                    raise PluginError("batch", None, "starting a worker",
                                      message["init_error"])
                if "ready" in message:
                    slot.ready = True
                    continue
                item = slot.task
                slot.task = None
                assert item is not None and item.index == message["index"]
                slot.max_rss_kb = max(slot.max_rss_kb, message["max_rss_kb"])
                status = _merge(item, message, manifest, keys)
                finish(item, status, message["seconds"])
                if status == FAILED and fail_fast:
                    stopped = True
            if manifest.dirty and time.monotonic() - last_save > save_every:
                began = time.monotonic()
                manifest.save()
                last_save = time.monotonic()
                save_every = max(_SAVE_EVERY, 20 * (last_save - began))
        interrupted = False
    finally:
        held = pool.shutdown(graceful=not interrupted)
        if held:
            _remove_temporaries(o for item in held for o in item.outputs)
        if manifest.dirty:
            with contextlib.suppress(GfmdError):
                manifest.save()
    for item in inputs:
        if item.index not in results:
            results[item.index] = item.result(CANCELLED)
    rss = {"main": _max_rss_kb(),
           "workers": sorted(pool.rss.values(), reverse=True)}
    ordered = sorted(results.values(), key=lambda r: r.input)
    return BatchReport(outdir_display, formats, ordered, notices,
                       time.perf_counter() - started, pool.started, stopped, rss)


def _task(item: _Input, per_format: Mapping[str, Mapping[str, Any]], validate: bool,
          out_real: str) -> dict[str, Any]:
    return {
        "index": item.index,
        "path": item.source.path,
        "validate": validate,
        "outdir_real": out_real,
        "outputs": [{"format": o.format, "path": o.path, "target": o.target,
                     "options": dict(per_format[o.format])}
                    for o in item.outputs if o.status != UP_TO_DATE],
    }


def _merge(item: _Input, message: Mapping[str, Any], manifest: Manifest,
           keys: Mapping[str, str]) -> str:
    """Fold a worker's answer into the input's record and the manifest; its status."""
    item.diagnostics.extend(_undiag(d) for d in message["diagnostics"])
    if message["stat"] is not None:
        item.stat = tuple(message["stat"])  # type: ignore[assignment]
    stale = [o for o in item.outputs if o.status != UP_TO_DATE]
    for out, done in zip(stale, message["outputs"], strict=True):
        out.status = done["status"]
        if out.status == WRITTEN:
            manifest.record(item, out, keys[out.format], tuple(done["made"]))
        else:
            manifest.forget(out)
    if any(d.severity is Severity.ERROR for d in item.diagnostics) or \
            any(o.status in (FAILED, NOT_BUILT) for o in item.outputs):
        return FAILED
    return CONVERTED


__all__ = [
    "CANCELLED",
    "CONVERTED",
    "FAILED",
    "UP_TO_DATE",
    "BatchLocked",
    "BatchReport",
    "Event",
    "FileResult",
    "OutputResult",
    "Source",
    "convert",
    "default_jobs",
    "discover",
]
