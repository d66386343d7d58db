"""What the ``serve`` command decides before the server starts: the folder, the address,
the access and CSRF tokens, the writers' options, the workers."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address to bind) is reachable from this machine
    only: ``localhost``, ``127.0.0.0/8``, ``::1``."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A random token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Settings:
    """The server's settings (see ``gfmdreport serve --help``)."""

    folder: str | None = None
    """The folder of notes files served, or ``None`` for the editor alone."""
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """The access token every request must carry (a cookie set from the start-up URL's
    ``?token=``), or ``None``: by default, a token is required unless the server listens
    on a loopback address only."""
    csrf: str = field(default_factory=new_token)
    """The token every request that changes something carries in ``X-CSRF-Token``."""
    writer_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Each writer's options (``--reference-doc`` for ``docx``, …), by writer."""
    workers: int = 2
    block: tuple[str, ...] = ()
    """Plugins left out (``--block``): the workers leave them out too."""
    timeout: float = 120.0
    """Seconds a render may take before its worker is stopped."""

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def cookie(self) -> str:
        """The access token's cookie (cookies are per host, not per port: the port in
        the name keeps two servers on one machine apart)."""
        return f"gfmdreport-token-{self.port}"

    def allowed_hosts(self) -> frozenset[str]:
        """The ``Host`` headers a loopback server answers (any other is a page that a
        DNS rebinding pointed at it)."""
        names = {"127.0.0.1", "localhost", "[::1]", self.host if ":" not in self.host
                 else f"[{self.host.strip('[]')}]"}
        return frozenset({f"{n}:{self.port}" for n in names} |
                         (names if self.port == 80 else set()))

    def url(self, host: str | None = None) -> str:
        """The address to open, with the token when one is needed."""
        shown = host or ("127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host)
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        base = f"http://{shown}:{self.port}/"
        return base + (f"?token={self.token}" if self.token else "")

    def options_for(self, writer: Any) -> dict[str, Any]:
        """The server's options that ``writer`` takes."""
        keys = {o.key for o in writer.options}
        return {k: v for k, v in self.writer_options.get(writer.name, {}).items() if k in keys}


def options_per_writer(registry: Any, options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The writer options given to ``serve`` (``reference_doc=...``), each for every
    writer that takes it, paths made absolute and checked to be files (raises
    :class:`~gfmdreport.UsageError`)."""
    import os

    from gfmdreport.diagnostics import UsageError

    given = {k.replace("-", "_"): v for k, v in options.items() if v not in (None, False, ())}
    result: dict[str, dict[str, Any]] = {}
    for writer in registry.writers.values():
        mine = {}
        for opt in writer.options:
            if opt.key not in given:
                continue
            value = given[opt.key]
            if opt.kind == "path":
                value = os.fspath(value)
                if not os.path.isfile(value):
                    raise UsageError(f"--{opt.name} {value}: no such file")
                value = os.path.abspath(value)
            mine[opt.key] = value
        if mine:
            result[writer.name] = mine
    return result
