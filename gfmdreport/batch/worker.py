"""One input's conversion, as a worker process does it: the task it is given, and the
answer it sends back (plain data, so that it crosses the process boundary cheaply).

The input is read from beneath its source folder (:func:`.discover.read_source`); each
output is written through OUTDIR's descriptor, its folder reached from OUTDIR without
following a link out of it (:mod:`.outdir`), to a temporary file renamed into place.
Outputs are not synced one by one: the run makes each step's outputs durable at once,
before the manifest records them (see :meth:`.outdir.OutDir.make_durable`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import time
from collections.abc import Mapping
from typing import Any

from gfmdreport import files
from gfmdreport import pipeline
from gfmdreport.batch.manifest import config_digest
from gfmdreport.batch.outdir import reopen
from gfmdreport.batch.plan import Input
from gfmdreport.batch.report import FAILED
from gfmdreport.batch.report import NOT_BUILT
from gfmdreport.batch.report import UP_TO_DATE
from gfmdreport.batch.report import WRITTEN
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import RenderError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import describe_exception
from gfmdreport.diagnostics import error
from gfmdreport.discover import Source
from gfmdreport.discover import read_source
from gfmdreport.hooks.manager import Plugins


def task(item: Input, per_format: Mapping[str, Mapping[str, Any]], validate: bool,
         outdir_real: str, outdir_id: tuple[int, int]) -> dict[str, Any]:
    """What a worker needs to convert ``item`` to its outputs that are not up to date."""
    source = item.source
    return {
        "index": item.index,
        "source": (source.path, source.rel, source.abspath, source.root),
        "validate": validate,
        "outdir": (outdir_real, outdir_id),
        "outputs": [{"format": o.format, "path": o.path, "rel": o.rel,
                     "options": dict(per_format[o.format])}
                    for o in item.outputs if o.status != UP_TO_DATE],
    }


def diagnostic(data: Mapping[str, Any]) -> Diagnostic:
    """A diagnostic of an answer, as it was before :meth:`Diagnostic.to_dict`."""
    return Diagnostic(Severity(data["severity"]), data["rule"], data["message"],
                      Location(data["path"], data["line"], data["column"]), data["hint"])


_HINTS = {
    errno.ENOSPC: "free some space on the disk, then run again",
    errno.EDQUOT: "free some space (your disk quota is used up), then run again",
    errno.EROFS: "the output folder is on a read-only disk: choose another (-o)",
    errno.EACCES: "give yourself write permission on the output folder, or choose "
                  "another (-o)",
    errno.ENOTDIR: "a file stands where an output folder should be: move it away",
}


def _io(message: str, exc: OSError, where: str) -> Diagnostic:
    return error("io", f"{message}: {exc.strerror or exc}", Location(where),
                 _HINTS.get(exc.errno or 0))


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
    if isinstance(exc, OSError):
        return [_io("cannot read", exc, path)]
    return [error("internal-error", f"unexpected {describe_exception(exc)}", where,
                  "this is a bug in gfmdreport or a plugin; please report it with the input")]


def _read(source: Source) -> tuple[bytes, os.stat_result]:
    try:
        return read_source(source)
    except InputError as exc:
        if any(d.message == "no such file" for d in exc.diagnostics):
            raise InputError.single(
                "io", "no such file: it was removed or renamed after the run found it",
                Location(source.path), "run again to convert the files as they are now"
            ) from None
        raise


def _write(root: int, real: str, out: Mapping[str, Any], data: bytes,
           path: str) -> tuple[int, int, int]:
    """Write one output beneath OUTDIR (open as ``root``, at the real path ``real``);
    its (size, mtime_ns, device)."""
    folder_rel, _, name = out["rel"].rpartition("/")
    try:
        folder = files.open_folder(root, folder_rel, create=True, root_path=real)
    except files.LeadsOutside as exc:
        raise InputError.single(
            "output-escape", f"{out['path']}: its folder leads outside the output folder "
            f"(the symbolic link {exc.link}); not written", Location(path),
            "remove the link from the output folder") from None
    except OSError as exc:
        raise InputError([_io(f"cannot make the folder of {out['path']}", exc, path)]
                         ) from None
    try:
        done = files.write_atomic(files.At(folder, name, out["path"], durable=False), data)
    finally:
        os.close(folder)
    return done.st_size, done.st_mtime_ns, done.st_dev


def convert_one(task: Mapping[str, Any], plugins: Plugins) -> dict[str, Any]:
    """Read, validate and render one input to its stale outputs. Never raises."""
    started = time.perf_counter()
    source = Source(*task["source"])
    path = source.path
    diagnostics: list[Diagnostic] = []
    outputs: list[dict[str, Any]] = []
    stat = config = None
    summary = None
    try:
        data, st = _read(source)
        stat = (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
        summary = pipeline.loads(data, None, path=path, plugins=plugins)
        if task["validate"]:
            from gfmdreport.config import find_config

            settings = find_config(path)
            config = config_digest(settings)
            found = pipeline.validate(summary, plugins=plugins, config=settings)
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
    root = None
    if summary is not None and task["outputs"]:
        try:
            root = reopen(*task["outdir"])
        except OSError as exc:
            diagnostics.append(_io("cannot write in the output folder", exc, path))
            summary = None
    try:
        for out in task["outputs"]:
            status = NOT_BUILT
            made = None
            if summary is not None:
                try:
                    rendered = pipeline.render_report(summary, out["format"],
                                                      plugins=plugins, **out["options"])
                    diagnostics.extend(rendered.diagnostics)
                    assert root is not None
                    made = _write(root, task["outdir"][0], out, rendered.data, path)
                    status = WRITTEN
                except Exception as exc:
                    diagnostics.extend(_failure(exc, path))
                    status = FAILED
            outputs.append({"format": out["format"], "status": status, "made": made})
    finally:
        if root is not None:
            with contextlib.suppress(OSError):
                os.close(root)
    return {
        "index": task["index"],
        "stat": stat,
        "config": config,
        "outputs": outputs,
        "diagnostics": [d.to_dict() for d in diagnostics],
        "seconds": time.perf_counter() - started,
    }
