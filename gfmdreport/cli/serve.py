"""``gfmdreport serve``: the rapporteur's editor in the browser (gfmdreport/serve/), run on
uvicorn. Command-line code: it prints the address, opens the browser and stops on
Ctrl-C."""

from __future__ import annotations

import os
import socket
from typing import Any

import click

from gfmdreport.cli.common import echo_err
from gfmdreport.cli.common import writer_params
from gfmdreport.diagnostics import UsageError
from gfmdreport.hooks.manager import Plugins

EXTRA = "pip install 'gfmdreport[serve]'"


def make_serve(plugins: Plugins) -> click.Command:
    def serve(folder: str | None, host: str, port: int,
              open_browser: bool, token: bool, workers: int | None, timeout: float,
              **options: Any) -> None:
        """Edit notes in the browser, with the report beside them.

        With FOLDER, the page lists the notes files in it (as batch finds them) to open
        and save. The server listens on 127.0.0.1 only; with another --host, every
        request needs the access token of the address printed at start."""
        try:
            import uvicorn  # noqa: F401

            from gfmdreport.serve.app import check_options
            from gfmdreport.serve.app import create_app
            from gfmdreport.serve.app import listen
        except ImportError as exc:
            raise UsageError(f"gfmdreport serve needs {exc.name}: {EXTRA}") from None
        from gfmdreport import limits
        from gfmdreport.serve.settings import Settings
        from gfmdreport.serve.settings import is_loopback
        from gfmdreport.serve.settings import new_token
        from gfmdreport.serve.settings import options_per_writer
        from gfmdreport.serve.workers import default_workers

        limits.INPUT_BYTES.value()  # a bad limit variable is a usage error now, not later
        if folder is not None and not os.path.isdir(folder):
            raise UsageError(f"{folder}: no such folder (give the folder of the notes files)")
        sock = listen(host, port)
        settings = Settings(
            folder=folder, host=host, port=sock.getsockname()[1],
            token=new_token() if token or not is_loopback(host) else None,
            writer_options=options_per_writer(plugins.registry, options),
            workers=workers or default_workers(),
            block=tuple(plugins.registry.blocked),
            timeout=timeout)
        check_options(settings, plugins)
        _run(create_app(settings, plugins, started=_announce(settings, open_browser)),
             sock)

    params = [
        click.Argument(["folder"], required=False, metavar="[FOLDER]"),
        click.Option(["--host"], default="127.0.0.1", show_default=True,
                     help="Address to listen on; any but loopback needs the access token."),
        click.Option(["--port"], type=click.IntRange(0, 65535), default=8000,
                     show_default=True, help="Port to listen on (0: any free port)."),
        click.Option(["--open", "open_browser"], is_flag=True,
                     help="Open the page in the web browser."),
        click.Option(["--token"], is_flag=True,
                     help="Require the access token on 127.0.0.1 too (on a machine "
                          "shared with other users)."),
        click.Option(["--workers"], type=click.IntRange(1, 64), default=None,
                     help="Render processes (default: one per CPU, at most 8)."),
        click.Option(["--timeout"], type=click.FloatRange(1, 3600), default=120.0,
                     show_default=True, help="Seconds a render may take before it is "
                     "stopped."),
        *writer_params(plugins),
    ]
    return click.Command("serve", callback=serve, params=params,
                         help=serve.__doc__, short_help="Edit notes in the browser, with "
                         "the report beside them.")


def _announce(settings: Any, open_browser: bool) -> Any:
    def started(server: Any) -> None:
        url = settings.url()
        where = f"the notes in {settings.folder}" if settings.folder else "new notes"
        echo_err(f"gfmdreport serve: editing {where} at {url}")
        if settings.token and not settings.loopback:
            echo_err("  the address holds the access token: share it only with the "
                     "people who may edit")
        echo_err("  press Ctrl-C to stop")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    return started


def _run(app: Any, sock: socket.socket) -> None:
    import logging

    import uvicorn

    logging.basicConfig(level=logging.WARNING, format="gfmdreport serve: %(message)s")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=3, server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise click.exceptions.Exit(1)
