"""What a render worker does for the page: preview, export, check a file, import an
upload. Each job takes plain data and returns plain data (it crosses a process boundary),
and never raises: every problem comes back as diagnostics, as the command line prints
them.

The jobs run with the plugins the worker built once (the default plugins of its
process), under the same resource limits as the command line (:mod:`gfmdreport.limits`,
read from the same environment).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from gfmdreport import pipeline
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import describe_exception
from gfmdreport.diagnostics import error
from gfmdreport.model import SessionSummary
from gfmdreport.serve.notes import report_filename
from gfmdreport.serve.notes import source_lines

TEXT_FORMATS = ("md", "yaml", "json")
"""The formats the editor holds: what a notes file or an upload is edited as."""


def etag(data: bytes) -> str:
    """The version of a file's content, as the page and ``If-Match`` carry it."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def page_diagnostic(d: Diagnostic, path: str | None, shown: str | None = None) -> dict[str, Any]:
    """A diagnostic as the page lists it: ``file`` is ``None`` for the notes being edited,
    else the other file it is about (a settings file, the server's template)."""
    where = d.location.path
    other = None if where in (None, path, shown) else where
    return {"line": d.location.line, "column": d.location.column,
            "severity": d.severity.value, "rule": d.rule, "message": d.message,
            "hint": d.hint, "file": other}


def _failure(exc: BaseException, path: str | None) -> list[Diagnostic]:
    where = Location(path)
    if isinstance(exc, InputError):
        return exc.diagnostics
    if isinstance(exc, UsageError):
        return [error("usage", str(exc), where)]
    if isinstance(exc, PluginError):
        return [error("plugin-error", str(exc), where)]
    if isinstance(exc, GfmdError):
        return [error("render", str(exc), where)]
    return [error("internal-error", f"unexpected {describe_exception(exc)}", where,
                  "this is a bug in gfmdreport or a plugin; please report it with the notes")]


def _settings(config_from: str | None) -> Any:
    """The validation settings found upward from ``config_from`` (the notes file, or the
    folder served), or none."""
    from gfmdreport.config import Config
    from gfmdreport.config import find_config

    return find_config(config_from) if config_from else Config()


def _read_and_check(data: bytes, fmt: str | None, path: str | None,
                    config_from: str | None) -> tuple[SessionSummary | None, list[Diagnostic]]:
    """The summary of ``data`` and every diagnostic of it (reading and validation)."""
    try:
        summary = pipeline.loads(data, fmt, path=path)
    except Exception as exc:
        return None, _failure(exc, path)
    try:
        found = pipeline.validate(summary, config=_settings(config_from))
    except Exception as exc:
        return summary, _failure(exc, path)
    return summary, list(found)


def _counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in diagnostics:
        counts[d.severity.value] = counts.get(d.severity.value, 0) + 1
    return counts


def _state(counts: Mapping[str, int]) -> str:
    return "errors" if counts["error"] else "warnings" if counts["warning"] else "clean"


def preview(data: bytes, fmt: str, path: str | None, config_from: str | None,
            html_options: Mapping[str, Any]) -> dict[str, Any]:
    """The notes ``data`` read, checked and rendered as the HTML writer renders them:
    ``html`` (``None`` when the notes cannot be read), ``lines`` (the source line of each
    element of the page, see :func:`.notes.source_lines`), ``diagnostics`` (reading and
    validation) and ``render`` (what the writer reported)."""
    started = time.perf_counter()
    summary, found = _read_and_check(data, fmt, path, config_from)
    result: dict[str, Any] = {"html": None, "lines": [], "language": None,
                              "filename": None, "render": []}
    if summary is not None:
        result["language"] = summary.language
        result["filename"] = report_filename(summary, "")
        try:
            rendered = pipeline.render_report(summary, "html", **html_options)
            result["html"] = rendered.data.decode("utf-8")
            result["lines"] = source_lines(summary)
            result["render"] = [page_diagnostic(d, path) for d in rendered.diagnostics]
        except Exception as exc:
            result["render"] = [page_diagnostic(d, path) for d in _failure(exc, path)]
    result["diagnostics"] = [page_diagnostic(d, path) for d in found]
    result["counts"] = _counts(found)
    result["seconds"] = time.perf_counter() - started
    return result


def export(data: bytes, fmt: str, path: str | None, config_from: str | None, to: str,
           options: Mapping[str, Any], fallback_name: str) -> dict[str, Any]:
    """The report of the notes ``data`` in the format ``to``, with the server's options
    for that writer: ``data`` and ``filename``, or ``None`` and the diagnostics that stop
    it (errors stop an export as they stop ``render``)."""
    summary, found = _read_and_check(data, fmt, path, config_from)
    out: dict[str, Any] = {"data": None, "filename": None, "render": []}
    errors = [d for d in found if d.severity is Severity.ERROR]
    if summary is not None and not errors:
        try:
            rendered = pipeline.render_report(summary, to, **options)
            out["data"] = rendered.data
            out["filename"] = report_filename(summary, rendered.writer.suffix, fallback_name)
            out["media_type"] = rendered.writer.media_type
            out["render"] = [page_diagnostic(d, path) for d in rendered.diagnostics]
        except Exception as exc:
            out["render"] = [page_diagnostic(d, path) for d in _failure(exc, path)]
    out["diagnostics"] = [page_diagnostic(d, path) for d in found]
    out["counts"] = _counts(found)
    return out


def check(root: str, rel: str) -> dict[str, Any]:
    """The state of the notes file ``rel`` beneath the folder ``root`` (read from beneath
    it, as ``batch`` reads): ``clean``, ``warnings`` or ``errors``, with the counts."""
    from gfmdreport.discover import Source
    from gfmdreport.discover import read_source

    path = os.path.join(root, rel)
    try:
        data, _ = read_source(Source(path, rel, path, root))
    except Exception as exc:
        found = _failure(exc, path)
        return {"state": "errors", "counts": _counts(found), "etag": None,
                "diagnostics": [page_diagnostic(d, path) for d in found[:3]]}
    _, found = _read_and_check(data, None, path, path)
    counts = _counts(found)
    return {"state": _state(counts), "counts": counts, "etag": etag(data),
            "diagnostics": [page_diagnostic(d, path) for d in found[:3]]}


def import_upload(data: bytes, name: str) -> dict[str, Any]:
    """An uploaded file as notes to edit: a notes file (Markdown, YAML, JSON) as its
    text, anything else a reader takes (a Word report, legacy text) read and written as
    Markdown notes. ``text`` is ``None`` when it cannot be read, with the diagnostics."""
    from gfmdreport.files import decode

    plugins = pipeline.default_plugins()
    reader = plugins.registry.reader_for_name(name)
    if reader is None:
        known = ", ".join(sorted({s for r in plugins.registry.readers.values()
                                  for s in r.suffixes}))
        found = [error("input-format", f"cannot tell the format of '{name}' from its "
                       f"suffix", Location(name), f"upload a file ending in one of: {known}")]
        return {"text": None, "format": None,
                "diagnostics": [page_diagnostic(d, name) for d in found]}
    try:
        if reader.name in TEXT_FORMATS:
            text = decode(data, name)
            summary = pipeline.loads(data, reader.name, path=name)
            fmt = reader.name
        else:
            summary = pipeline.loads(data, reader.name, path=name)
            text = pipeline.render(summary, "md").decode("utf-8")
            fmt = "md"
    except Exception as exc:
        found = _failure(exc, name)
        return {"text": None, "format": None,
                "diagnostics": [page_diagnostic(d, name) for d in found]}
    return {"text": text, "format": fmt, "from": reader.name,
            "diagnostics": [page_diagnostic(d, name) for d in summary.diagnostics]}


def warm_up(html_options: Mapping[str, Any]) -> dict[str, Any]:
    """Render a small summary in every language the plugins know, to HTML (with the
    server's HTML options): what each page's stylesheet hashes to (the page allows the
    preview's stylesheet by hash), and the worker ready to answer at once."""
    from dataclasses import replace

    from gfmdreport.labels import LABELS

    plugins = pipeline.default_plugins()
    codes = sorted({*LABELS, *plugins.registry.languages})
    base = SessionSummary(title="Warm-up", session="Warm-up", body=())
    hashes = []
    for code in codes:
        html = pipeline.render(replace(base, language=code), "html", **html_options)
        hashes.extend(_style_hashes(html.decode("utf-8")))
    return {"style_hashes": sorted(set(hashes)), "languages": codes}


def _style_hashes(html: str) -> list[str]:
    import re
    from html import unescape

    found = []
    for policy in re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html):
        for directive in unescape(policy).split(";"):
            words = directive.split()
            if words and words[0] == "style-src":
                found.extend(w for w in words[1:] if w.startswith("'sha256-"))
    return found


JOBS = {"preview": preview, "export": export, "check": check, "import": import_upload,
        "warm_up": warm_up}
"""The jobs by name, as the server asks for them."""
