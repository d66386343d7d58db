"""What every request goes through before it reaches a route, and the headers every
response gets (docs/serve.md, "Security").

- **Host.** A server on a loopback address answers only ``Host: 127.0.0.1:PORT``,
  ``localhost:PORT`` and ``[::1]:PORT``: a page that had a name of its own resolve to
  127.0.0.1 (DNS rebinding) is refused.
- **Access token.** With a token (any address other than loopback), every request
  carries it: the start-up URL's ``?token=`` sets it as an HTTP-only, same-site cookie
  and redirects to the page without it; scripts may send ``Authorization: token T``.
- **Same origin.** A request that changes anything (any method but GET and HEAD) must
  come from the page itself: its ``Origin`` is the server's (or, without ``Origin``,
  ``Sec-Fetch-Site: same-origin``), and it carries the page's CSRF token in
  ``X-CSRF-Token``. The API refuses what a browser marks as coming from another site.
- **Bodies.** A body over the input size limit (``GFMDREPORT_MAX_INPUT_BYTES``) is
  refused before it is read, or as soon as it passes the limit.
- **Headers.** A Content-Security-Policy with no inline script, no framing, no caching
  of the API, no MIME sniffing, no referrer.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.serve.settings import Settings

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD"})
CSRF_HEADER = "x-csrf-token"


def content_security_policy(style_hashes: Iterable[str] = (), nonce: str | None = None) -> str:
    """The page's policy: its own scripts and styles only, the preview's stylesheet by
    hash (the preview is a ``srcdoc`` frame, which inherits this policy), and, with
    ``nonce``, the editor's own ``<style>`` element (CodeMirror's, given the nonce)."""
    extra = [f"'nonce-{nonce}'"] if nonce else []
    styles = " ".join(["'self'", *extra, *sorted(set(style_hashes))])
    return ("default-src 'self'; script-src 'self'; "
            f"style-src {styles}; img-src 'self' data:; font-src 'self' data:; "
            "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def headers_of(scope: Scope) -> dict[str, str]:
    """The request's headers, by lower-case name (the last of repeated ones)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class Guard:
    """The ASGI middleware that applies the checks above to every HTTP request."""

    def __init__(self, app: ASGIApp, settings: Settings, policy: Callable[[], str]):
        self.app = app
        self.settings = settings
        self.policy = policy
        self.server: Any = None
        """The :class:`.app.Server` behind it (set by :func:`.app.create_app`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = headers_of(scope)
        path = scope["path"]
        api = path.startswith("/api/")
        refusal = self.check(scope, headers, path, api)
        if refusal is not None:
            status, rule, message, extra = refusal
            await self.refuse(send, status, rule, message, api, extra)
            return
        settings = self.settings
        if settings.token and path == "/" and "token" in _query(scope):
            await self.refuse(send, 303, "token", "signed in", api, [
                (b"location", b"/"),
                (b"set-cookie", (f"{settings.cookie}={settings.token}; Path=/; HttpOnly; "
                                 "SameSite=Strict").encode("latin-1"))])
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                own = any(k.lower() == b"content-security-policy" for k, _ in given)
                message["headers"] = [*given, *self.security_headers(api or path == "/",
                                                                     policy=not own)]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def check(self, scope: Scope, headers: dict[str, str], path: str,
              api: bool) -> tuple[int, str, str, list[tuple[bytes, bytes]]] | None:
        """Why the request is refused (status, rule, message, extra headers), or None."""
        settings = self.settings
        host = headers.get("host", "")
        if settings.token is None:
            if host.lower() not in settings.allowed_hosts():
                return (403, "host", "this server answers only at its own address "
                        f"(http://127.0.0.1:{settings.port}/)", [])
        elif not self.has_token(scope, headers):
            return (403, "token", "this gfmdreport server needs its access token: open "
                    "the address it printed when it started (…/?token=…)", [])
        site = headers.get("sec-fetch-site")
        if api and site in ("cross-site", "same-site"):
            return (403, "cross-origin", "requests from other sites are refused", [])
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None:
                if origin != f"http://{host}":
                    return (403, "cross-origin", f"a request from another origin ({origin}) "
                            "is refused", [])
            elif site != "same-origin":
                return (403, "cross-origin", "a request that changes something must come "
                        "from the page (no Origin header)", [])
            if not secrets.compare_digest(headers.get(CSRF_HEADER, "").encode(),
                                          settings.csrf.encode()):
                return (403, "csrf", "the request does not carry the page's CSRF token "
                        "(reload the page)", [])
            length = headers.get("content-length")
            limit = limits.INPUT_BYTES.value()
            if length is not None and (not length.isdigit() or int(length) > limit):
                return (413, "too-large", f"the request is over the input size limit of "
                        f"{limit:,} bytes (GFMDREPORT_MAX_INPUT_BYTES)", [])
        return None

    def has_token(self, scope: Scope, headers: dict[str, str]) -> bool:
        token = self.settings.token
        assert token is not None
        given = []
        if scope["path"] == "/":
            given.extend(_query(scope).get("token", [])[:1])
        auth = headers.get("authorization", "")
        if auth.lower().startswith("token "):
            given.append(auth[6:].strip())
        cookies = SimpleCookie()
        with contextlib.suppress(Exception):  # a malformed cookie header carries no token
            cookies.load(headers.get("cookie", ""))
        if self.settings.cookie in cookies:
            given.append(cookies[self.settings.cookie].value)
        return any(secrets.compare_digest(g.encode(), token.encode()) for g in given)

    def security_headers(self, no_store: bool, policy: bool = True
                         ) -> list[tuple[bytes, bytes]]:
        found = [(b"content-security-policy", self.policy().encode("latin-1"))] if policy else []
        found += [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        if no_store:
            found.append((b"cache-control", b"no-store"))
        return found

    async def refuse(self, send: Send, status: int, rule: str, message: str, api: bool,
                     extra: list[tuple[bytes, bytes]]) -> None:
        if api or status == 303:
            body = json.dumps({"error": {"rule": rule, "message": message}}).encode()
            kind = b"application/json"
        else:
            body = _REFUSED_PAGE.format(message=_escape(message)).encode("utf-8")
            kind = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(body)).encode()),
                                *extra, *self.security_headers(True)]})
        await send({"type": "http.response.body", "body": body})


_REFUSED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gfmdreport: not allowed</title>
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Not allowed</h1><p>{message}</p></main></body></html>
"""


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _query(scope: Scope) -> dict[str, list[str]]:
    return parse_qs(scope.get("query_string", b"").decode("latin-1"))


async def read_body(receive_stream: Any, what: str) -> bytes:
    """A request's body, refused (:class:`~gfmdreport.InputError`, ``too-large``) as soon
    as it passes the input size limit: the same limit, message and variable as for a
    file read from disk."""
    limit = limits.INPUT_BYTES.value()
    chunks: list[bytes] = []
    size = 0
    async for chunk in receive_stream:
        size += len(chunk)
        if size > limit:
            raise InputError([limits.INPUT_BYTES.diagnostic(size, f"{what} is at least")])
        chunks.append(chunk)
    return b"".join(chunks)
