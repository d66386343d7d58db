"""One input's conversion, as a worker process does it: the task it is given, and the
answer it sends back (plain data, so that it crosses the process boundary cheaply)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from typing import Any

from gfmdreport import files
from gfmdreport import pipeline
from gfmdreport.batch.outdir import make_folder
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
from gfmdreport.hooks.manager import Plugins


def task(item: Input, per_format: Mapping[str, Mapping[str, Any]], validate: bool,
         out_real: str) -> dict[str, Any]:
    """What a worker needs to convert ``item`` to its outputs that are not up to date."""
    return {
        "index": item.index,
        "path": item.source.path,
        "validate": validate,
        "outdir_real": out_real,
        "outputs": [{"format": o.format, "path": o.path, "target": o.target,
                     "options": dict(per_format[o.format])}
                    for o in item.outputs if o.status != UP_TO_DATE],
    }


def diagnostic(data: Mapping[str, Any]) -> Diagnostic:
    """A diagnostic of an answer, as it was before :meth:`Diagnostic.to_dict`."""
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


def convert_one(task: Mapping[str, Any], plugins: Plugins) -> dict[str, Any]:
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
                make_folder(os.path.dirname(out["target"]), outdir_real, out["path"], path)
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
        "diagnostics": [d.to_dict() for d in diagnostics],
        "seconds": time.perf_counter() - started,
    }
