"""The application: Starlette routes behind the guard (:mod:`.security`), the page and
its static files, and the workers started and stopped with it.

Starlette because it is a small, well-kept ASGI toolkit (routing, requests, responses,
static files, a test client) with a single dependency, anyio; uvicorn, which the command
runs it on, is the reference ASGI server of the same maintainers.
"""

from __future__ import annotations

import contextlib
import errno
import html
import logging
import socket
from collections.abc import AsyncIterator
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.responses import Response
from starlette.routing import Mount
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from gfmdreport.diagnostics import UsageError
from gfmdreport.serve.folder import Folder
from gfmdreport.serve.folder import Refused
from gfmdreport.serve.routes import Api
from gfmdreport.serve.security import Guard
from gfmdreport.serve.security import content_security_policy
from gfmdreport.serve.settings import Settings
from gfmdreport.serve.workers import Workers

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("gfmdreport.serve")


class Server:
    """What the application holds while it runs."""

    def __init__(self, settings: Settings, plugins: Any):
        self.settings = settings
        self.plugins = plugins
        self.folder = Folder(settings.folder, plugins.registry) if settings.folder else None
        self.workers = Workers(settings.workers, settings.block, settings.timeout)
        self.api = Api(settings, self.workers, self.folder, plugins)
        self.style_hashes: list[str] = []
        self.languages: list[str] = []
        self._page: str | None = None

    async def start(self) -> None:
        """Start the workers and warm them up: each renders a page in every language,
        which gives the hashes of the preview's stylesheets (the page's policy allows
        them) and fails at once on a bad ``--css`` or ``--template``."""
        await self.workers.start()
        html_options = self.api.preview_options()
        answers = [await self.workers.run("warm_up", html_options)
                   for _ in range(self.workers.size)]
        self.style_hashes = answers[0]["style_hashes"]
        self.languages = answers[0]["languages"]

    async def stop(self) -> None:
        await self.workers.close()
        if self.folder is not None:
            self.folder.close()

    def policy(self, nonce: str | None = None) -> str:
        return content_security_policy(self.style_hashes, nonce)

    async def page(self, request: Request) -> Response:
        """The page, with the CSRF token, and a nonce of its own for the editor's
        stylesheet (CodeMirror puts its styles in a ``<style>`` element)."""
        import secrets

        if self._page is None:
            self._page = (STATIC / "index.html").read_text("utf-8")
        nonce = secrets.token_urlsafe(18)
        body = self._page.replace("{{csrf}}", html.escape(self.settings.csrf))
        body = body.replace("{{nonce}}", nonce)
        return Response(body, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": self.policy(nonce)})


def check_options(settings: Settings, plugins: Any) -> None:
    """Render a small summary with every writer the server has options for, here and
    now: a reference document, stylesheet or template that cannot be used is an error
    (:class:`~gfmdreport.GfmdError`) before the server starts, not at each render."""
    from gfmdreport import pipeline
    from gfmdreport.model import SessionSummary

    summary = SessionSummary(title="Check", session="Check")
    for name in settings.writer_options:
        writer = plugins.registry.writer(name)
        pipeline.render_report(summary, name, plugins=plugins,
                               **settings.options_for(writer))


def create_app(settings: Settings, plugins: Any, *, started: Any = None) -> Guard:
    """The ASGI application for ``settings``, with ``plugins`` (the command line's). The
    workers start with the application (its lifespan) and stop with it; ``started`` is
    called with the :class:`Server` once they are ready."""
    server = Server(settings, plugins)
    api = server.api

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await server.start()
        app.state.server = server
        if started is not None:
            started(server)
        try:
            yield
        finally:
            await server.stop()

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return JSONResponse({"error": {"rule": exc.rule, "message": str(exc)}},
                            status_code=exc.status)

    routes = [
        Route("/", server.page, methods=["GET"]),
        Route("/api/config", api.config, methods=["GET"]),
        Route("/api/template", api.template, methods=["GET"]),
        Route("/api/files", api.files, methods=["GET"]),
        Route("/api/files/{rel:path}", api.open_file, methods=["GET"]),
        Route("/api/files/{rel:path}", api.save_file, methods=["PUT"]),
        Route("/api/preview", api.preview, methods=["POST"]),
        Route("/api/export/{to}", api.export, methods=["POST"]),
        Route("/api/import", api.import_file, methods=["POST"]),
        Route("/api/language", api.language, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC, follow_symlink=False),
              name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={Refused: refused})
    app.state.server = server
    guard = Guard(app, settings, server.policy)
    guard.server = server
    return guard


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound now: a port in use is a one-line
    :class:`~gfmdreport.UsageError`, and port 0 gives a free port to announce."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        hint = " (another server uses it: give --port N, or --port 0 for any free port)" \
            if exc.errno == errno.EADDRINUSE else ""
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None
    sock.listen(128)
    return sock


@contextlib.contextmanager
def running(settings: Settings, plugins: Any) -> Iterator[tuple[str, Server]]:
    """The application served by uvicorn on a thread of this process until the block
    ends, for tests, benchmarks and embedding: yields its base URL and its
    :class:`Server`. ``settings.port`` 0 takes a free port (the settings are given the
    one taken). A script that uses it needs the ``if __name__ == "__main__":`` guard:
    the workers are started from a clean process that imports the main module."""
    import dataclasses
    import threading

    import uvicorn

    sock = listen(settings.host, settings.port)
    settings = dataclasses.replace(settings, port=sock.getsockname()[1])
    ready = threading.Event()
    app = create_app(settings, plugins, started=lambda server: ready.set())
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=2, server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="gfmdreport-serve", daemon=True)
    thread.start()
    try:
        while not ready.wait(0.05):
            if not thread.is_alive():
                raise RuntimeError("the server stopped while starting (see the log)")
        yield settings.url(), app.server
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
