"""The application: Starlette routes behind the guard (:mod:`.security`), the page and
its static files, and the workers started and stopped with it.

Starlette because it is a small, well-kept ASGI toolkit (routing, requests, responses,
static files, a test client) with a single dependency, anyio; uvicorn, which the command
runs it on, is the reference ASGI server of the same maintainers.
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.responses import Response
from starlette.routing import Mount
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

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
        html_options = self.api._options("html")
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
