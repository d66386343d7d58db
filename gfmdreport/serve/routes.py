"""The endpoints of ``gfmdreport serve`` (docs/serve.md lists them).

Requests reach these only through :class:`.security.Guard`. Every body is the notes' own
bytes (or an upload's), read with the input size limit; reading, checking and rendering
run in the workers (:mod:`.workers`), files are read and saved beneath the folder
(:mod:`.folder`) in a thread, so the event loop only routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.responses import Response

from gfmdreport import __version__
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import UsageError
from gfmdreport.serve import notes
from gfmdreport.serve.folder import Conflict
from gfmdreport.serve.folder import Folder
from gfmdreport.serve.folder import Refused
from gfmdreport.serve.jobs import TEXT_FORMATS
from gfmdreport.serve.jobs import page_diagnostic
from gfmdreport.serve.security import read_body
from gfmdreport.serve.settings import Settings
from gfmdreport.serve.workers import JobFailed
from gfmdreport.serve.workers import Workers

_EDITOR = re.compile(r"[A-Za-z0-9_-]{1,64}")
SUPERSEDED = {"superseded": True}
LISTING_WAIT = 1.5
"""Seconds the file list waits for the files' states before answering with what it has
(the page asks again while some are pending)."""


def error(status: int, rule: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"rule": rule, "message": message}, **extra},
                        status_code=status)


def _diagnostics_response(exc: InputError, status: int = 413) -> JSONResponse:
    first = exc.diagnostics[0]
    return error(status, first.rule, first.message + (f" ({first.hint})" if first.hint
                                                      else ""),
                 diagnostics=[page_diagnostic(d, None) for d in exc.diagnostics])


@dataclass
class _Slot:
    seen: int = -1
    busy: bool = False
    waiting: asyncio.Future[bool] | None = None


class Latest:
    """Only the latest preview of each editor counts: while one renders, the next waits,
    and a newer one replaces it (the replaced request is answered ``superseded`` at
    once); a request older than one already seen is superseded too. The editors last
    seen are remembered, up to ``keep`` of them."""

    def __init__(self, keep: int = 10_000) -> None:
        self.slots: OrderedDict[str, _Slot] = OrderedDict()
        self.keep = keep

    async def run(self, editor: str, seq: int,
                  job: Callable[[], Awaitable[Any]]) -> Any:
        slot = self.slots.get(editor)
        if slot is None:
            slot = self.slots[editor] = _Slot()
            while len(self.slots) > self.keep:
                oldest = next(iter(self.slots))
                if self.slots[oldest].busy:
                    break
                del self.slots[oldest]
        self.slots.move_to_end(editor)
        if seq <= slot.seen:
            return SUPERSEDED
        slot.seen = seq
        if slot.busy:
            if slot.waiting is not None and not slot.waiting.done():
                slot.waiting.set_result(False)
            slot.waiting = asyncio.get_running_loop().create_future()
            if not await slot.waiting:
                return SUPERSEDED
        slot.busy = True
        try:
            return await job()
        finally:
            following, slot.waiting = slot.waiting, None
            if following is not None and not following.done():
                following.set_result(True)  # it runs next: the slot stays busy
            else:
                slot.busy = False


class Api:
    """The endpoints, with the server's state: settings, workers, folder, the files'
    checked states, a lock per file saved."""

    def __init__(self, settings: Settings, workers: Workers, folder: Folder | None,
                 plugins: Any):
        self.settings = settings
        self.workers = workers
        self.folder = folder
        self.plugins = plugins
        self.latest = Latest()
        self.states: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.checking: asyncio.Task[None] | None = None
        self.locks: dict[str, asyncio.Lock] = {}
        self.style_hashes: list[str] = []

    # ---- what the page needs to know ------------------------------------------------------
    async def config(self, request: Request) -> Response:
        registry = self.plugins.registry
        from gfmdreport.labels import LABELS

        writers = [{"name": w.name, "suffix": w.suffix, "description": w.description,
                    "binary": w.binary} for w in sorted(registry.writers.values(),
                                                        key=lambda w: _order(w.name))]
        from gfmdreport.formats.markdown.reader import TEMPLATE_LANGUAGES

        return JSONResponse({
            "version": __version__,
            # as in the page: a page of this server asks again after a restart
            "csrf": self.settings.csrf,
            "folder": self.folder.shown if self.folder else None,
            "folder_id": _folder_id(self.folder.real) if self.folder else None,
            "sync_selector": notes.SYNC_SELECTOR,
            "writers": writers,
            "languages": sorted({*LABELS, *registry.languages}),
            "templates": list(TEMPLATE_LANGUAGES),
            "uploads": sorted({s for r in registry.readers.values() for s in r.suffixes}),
            "formats": list(TEXT_FORMATS),
            "input_bytes": _input_limit(),
            "reference_doc": bool(self.settings.writer_options.get("docx", {})
                                  .get("reference_doc")),
        })

    async def template(self, request: Request) -> Response:
        from gfmdreport.formats.markdown.reader import notes_template

        language = request.query_params.get("language", "en")
        try:
            text = notes_template(language)
        except UsageError as exc:
            return error(400, "usage", str(exc))
        return JSONResponse({"text": text, "format": "md"})

    # ---- the folder ----------------------------------------------------------------------
    async def files(self, request: Request) -> Response:
        folder = self._folder()
        entries, notices = await run_in_threadpool(folder.listing)
        missing = [e for e in entries if e.key not in self.states]
        if missing:
            if self.checking is None or self.checking.done():
                self.checking = asyncio.ensure_future(self._check(missing))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.checking), LISTING_WAIT)
        listed = []
        for entry in entries:
            state = self.states.get(entry.key)
            listed.append({"path": entry.rel, "format": folder.format_of(entry.rel),
                           "size": entry.size,
                           "state": state["state"] if state else "pending",
                           "counts": state["counts"] if state else None,
                           "version": state["etag"] if state else None})
        known = {e.key for e in entries}
        for key in [k for k in self.states if k not in known]:
            del self.states[key]
        return JSONResponse({
            "folder": folder.shown, "files": listed,
            "pending": sum(1 for f in listed if f["state"] == "pending"),
            "notices": [_notice(folder, d) for d in notices]})

    async def _check(self, entries: list[Any]) -> None:
        folder = self._folder()

        async def one(entry: Any) -> None:
            try:
                self.states[entry.key] = await self.workers.run("check", folder.real,
                                                                entry.rel)
            except JobFailed as exc:
                self.states[entry.key] = {"state": "errors", "etag": None,
                                          "counts": {"error": 1, "warning": 0, "info": 0},
                                          "diagnostics": [{"message": str(exc)}]}

        await asyncio.gather(*(one(e) for e in entries))

    async def open_file(self, request: Request) -> Response:
        folder = self._folder()
        rel = request.path_params["rel"]
        try:
            text, version, fmt = await run_in_threadpool(folder.text, rel)
        except Refused as exc:
            return error(exc.status, exc.rule, str(exc))
        return JSONResponse({"path": rel, "text": text, "version": version, "format": fmt},
                            headers={"ETag": version})

    async def save_file(self, request: Request) -> Response:
        folder = self._folder()
        rel = request.path_params["rel"]
        try:
            folder.name(rel)
        except Refused as exc:
            return error(exc.status, exc.rule, str(exc))
        if_match = request.headers.get("if-match")
        if_none = request.headers.get("if-none-match")
        if if_match is None and if_none != "*":
            return error(428, "precondition", "a save carries the version it was based on "
                         "(If-Match), or If-None-Match: * for a new file")
        try:
            text = await self._text(request, "the notes")
        except InputError as exc:
            return _diagnostics_response(exc, _status_of(exc))
        lock = self.locks.setdefault(rel, asyncio.Lock())
        async with lock:
            try:
                version = await run_in_threadpool(folder.save, rel, text,
                                                  None if if_none == "*" else if_match)
            except Refused as exc:
                return error(exc.status, exc.rule, str(exc))
            except Conflict as exc:
                theirs = None
                if exc.current is not None:
                    theirs = exc.current.decode("utf-8", "replace")
                    theirs = theirs.removeprefix("\ufeff").replace("\r\n", "\n")
                return error(412, "conflict", "the file was changed since you opened it "
                             "(in another tab, by someone else, or on disk): nothing was "
                             "overwritten", theirs={"text": theirs, "version": exc.version})
        return JSONResponse({"path": rel, "version": version}, headers={"ETag": version})

    # ---- the notes in the editor ---------------------------------------------------------
    async def preview(self, request: Request) -> Response:
        started = time.perf_counter()
        params = request.query_params
        editor = params.get("editor", "")
        try:
            seq = int(params.get("seq", "0"))
        except ValueError:
            seq = -1
        if not _EDITOR.fullmatch(editor) or seq < 0:
            return error(400, "usage", "give editor=ID (letters, digits, - and _) and seq=N")
        try:
            fmt, path, config_from = self._where(params)
            data = await read_body(request.stream(), "the notes")
        except InputError as exc:
            return _diagnostics_response(exc, _status_of(exc))
        except Refused as exc:
            return error(exc.status, exc.rule, str(exc))

        async def job() -> Any:
            return await self.workers.run("preview", data, fmt, path, config_from,
                                          self.preview_options())

        try:
            result = await self.latest.run(editor, seq, job)
        except JobFailed as exc:
            return error(504 if exc.reason == "timeout" else 503, "render-" + exc.reason,
                         str(exc), seq=seq)
        if result is SUPERSEDED:
            return JSONResponse({**result, "seq": seq})
        work = result.pop("seconds", 0.0)
        total = time.perf_counter() - started
        # what the server spent (the browser's developer tools show it; bench/serve.py
        # reads it): the worker's reading, checking and rendering, and the whole request
        timing = f"render;dur={work * 1000:.1f}, server;dur={total * 1000:.1f}"
        return JSONResponse({**result, "seq": seq}, headers={"Server-Timing": timing})

    async def export(self, request: Request) -> Response:
        to = request.path_params["to"]
        writer = self.plugins.registry.writers.get(to)
        if writer is None:
            return error(404, "usage", f"no output format '{to}'")
        try:
            fmt, path, config_from = self._where(request.query_params)
            data = await read_body(request.stream(), "the notes")
        except InputError as exc:
            return _diagnostics_response(exc, _status_of(exc))
        except Refused as exc:
            return error(exc.status, exc.rule, str(exc))
        fallback = (path or "").rpartition("/")[2].rsplit(".", 1)[0]
        try:
            out = await self.workers.run("export", data, fmt, path, config_from, to,
                                         self.settings.options_for(writer), fallback)
        except JobFailed as exc:
            return error(504 if exc.reason == "timeout" else 503, "render-" + exc.reason,
                         str(exc))
        if out["data"] is None:
            errors = out["counts"]["error"]
            message = (f"not rendered: {errors} error(s) in the notes; fix them first"
                       if errors else "not rendered: the writer failed")
            return error(422, "not-rendered", message, diagnostics=out["diagnostics"],
                         render=out["render"])
        return Response(out["data"], media_type=out["media_type"], headers={
            "Content-Disposition": notes.content_disposition(out["filename"]),
            "X-Report-Warnings": str(len(out["render"]) + out["counts"]["warning"])})

    async def import_file(self, request: Request) -> Response:
        name = request.query_params.get("name", "").replace("\\", "/").rpartition("/")[2]
        name = "".join(c for c in name if c.isprintable())[:255]
        if not name:
            return error(400, "usage", "give the uploaded file's name (name=…)")
        try:
            data = await read_body(request.stream(), "the upload")
        except InputError as exc:
            return _diagnostics_response(exc, _status_of(exc))
        try:
            result = await self.workers.run("import", data, name)
        except JobFailed as exc:
            return error(504 if exc.reason == "timeout" else 503, "render-" + exc.reason,
                         str(exc))
        if result["text"] is None:
            first = result["diagnostics"][0]
            return error(422, first["rule"], first["message"],
                         diagnostics=result["diagnostics"])
        return JSONResponse({**result, "name": name})

    async def language(self, request: Request) -> Response:
        params = request.query_params
        code = params.get("language", "")
        fmt = params.get("format", "md")
        known = {*_labels(), *self.plugins.registry.languages}
        if code not in known:
            return error(400, "usage", f"no language '{code}' (known: "
                         f"{', '.join(sorted(known))})")
        try:
            text = await self._text(request, "the notes")
            changed = notes.set_language(text, fmt, code)
        except InputError as exc:
            return _diagnostics_response(exc, _status_of(exc))
        except UsageError as exc:
            return error(422, "language", str(exc))
        return JSONResponse({"text": changed})

    # ---- helpers ---------------------------------------------------------------------------
    def _folder(self) -> Folder:
        if self.folder is None:
            raise Refused(404, "no-folder", "the server was started without a folder")
        return self.folder

    def _where(self, params: Any) -> tuple[str, str | None, str | None]:
        """The format of the notes in the request, the file they belong to (the path
        the reader and the diagnostics name), and where their settings are found."""
        fmt = params.get("format", "md")
        if fmt not in TEXT_FORMATS:
            raise Refused(400, "usage", f"the editor's notes are {', '.join(TEXT_FORMATS)}, "
                          f"not '{fmt}'")
        rel = params.get("path")
        if self.folder is None:
            return fmt, None, None
        if not rel:
            return fmt, None, self.folder.real
        self.folder.name(rel)
        path = f"{self.folder.real}/{rel}"
        return fmt, path, path

    def preview_options(self) -> dict[str, Any]:
        """The server's HTML options for the preview: a whole page always (the preview
        shows the report as it looks, and as it prints)."""
        options = self._options("html")
        options.pop("fragment", None)
        return options

    def _options(self, writer: str) -> dict[str, Any]:
        found = self.plugins.registry.writers.get(writer)
        return self.settings.options_for(found) if found is not None else {}

    async def _text(self, request: Request, what: str) -> str:
        from gfmdreport.files import decode

        return decode(await read_body(request.stream(), what), what)


def _status_of(exc: InputError) -> int:
    return 413 if any(d.rule == "too-large" for d in exc.diagnostics) else 422


def _notice(folder: Folder, d: Diagnostic) -> dict[str, Any]:
    return {"severity": d.severity.value, "rule": d.rule, "message": d.message,
            "hint": d.hint, "file": folder.relative(d.location.path)}


def _folder_id(real: str) -> str:
    """A short name of the folder served, for the page's drafts (kept per folder)."""
    import hashlib

    return hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _order(name: str) -> tuple[int, str]:
    first = ("docx", "pdf", "html", "md", "yaml", "json")
    return (first.index(name) if name in first else len(first), name)


def _labels() -> set[str]:
    from gfmdreport.labels import LABELS

    return set(LABELS)


def _input_limit() -> int:
    from gfmdreport import limits

    return limits.INPUT_BYTES.value()

