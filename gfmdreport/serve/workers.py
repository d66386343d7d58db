"""The render workers: processes that read, check and render for the server, so that a
render never holds the server's event loop, and a slow one holds only its worker.

Each worker builds its plugins once and does one job at a time through a pipe of its own
(:mod:`.jobs` names the jobs). A job past its time limit has its worker killed and
replaced, and fails alone; so does a job whose worker dies (the kernel's OOM killer, a
crash in a plugin). Workers are forked from a clean server process (``forkserver``), not
from the server with its threads and event loop, and stop when the server is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from multiprocessing.connection import Connection
from typing import Any

from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import describe_exception

log = logging.getLogger("gfmdreport.serve")


class JobFailed(Exception):
    """A job that gave no answer: its worker was killed at the time limit (``timeout``)
    or died (``died``)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def default_workers() -> int:
    """One worker per CPU this process may run on, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _worker(conn: Connection, block: Sequence[str]) -> None:
    """A worker process: build the plugins once, then answer each job the server sends
    with ``("done", answer)`` or ``("error", description)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides what Ctrl-C does

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    parent = os.getppid()
    try:
        from gfmdreport import pipeline
        from gfmdreport.hooks.manager import make_plugin_manager
        from gfmdreport.serve.jobs import JOBS

        pipeline.set_default_plugins(make_plugin_manager(block=block))
    except BaseException as exc:
        conn.send(("init_error", describe_exception(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:  # the server is gone
                return
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        name, args = task
        try:
            answer = ("done", JOBS[name](*args))
        except BaseException as exc:  # the jobs do not raise; a bug must not kill us
            answer = ("error", describe_exception(exc))
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    jobs: int = field(default=0)


class Workers:
    """``size`` worker processes; :meth:`run` gives a job to the next free one."""

    def __init__(self, size: int, block: Sequence[str] = (), timeout: float = 120.0):
        self.size = max(1, size)
        self.block = tuple(block)
        self.timeout = timeout
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn")
        self.idle: asyncio.Queue[_Worker] | None = None
        self.every: set[_Worker] = set()
        self.started = 0
        """Worker processes started, replacements included."""
        self._threads = ThreadPoolExecutor(max_workers=self.size + 1,
                                           thread_name_prefix="gfmdreport-serve-pipe")
        self._closed = False
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- starting and stopping ------------------------------------------------------------
    async def start(self) -> None:
        """Start the workers; raises :class:`~gfmdreport.PluginError` when they cannot
        build their plugins."""
        self.idle = asyncio.Queue()
        if self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(["gfmdreport.serve.jobs"])
        started = await asyncio.gather(*(self._start() for _ in range(self.size)))
        for worker in started:
            self.idle.put_nowait(worker)

    async def _start(self) -> _Worker:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._start_blocking)

    def _start_blocking(self) -> _Worker:
        here, there = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_worker, args=(there, self.block),
                                       name=f"gfmdreport-serve-{self.started}", daemon=True)
        process.start()
        there.close()
        self.started += 1
        worker = _Worker(process, here)
        try:
            if not here.poll(60):
                raise PluginError("serve", None, "starting a worker",
                                  "the worker did not start within a minute")
            message = here.recv()
        except (EOFError, OSError):
            message = ("init_error", f"the worker stopped at start (exit status "
                       f"{process.exitcode})")
        if message[0] != "ready":
            self._kill(worker)
            raise PluginError("serve", None, "starting a worker", message[1])
        self.every.add(worker)
        return worker

    async def close(self) -> None:
        """Stop every worker (they finish nothing: answers are no longer wanted)."""
        self._closed = True
        for worker in list(self.every):
            self._kill(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _kill(self, worker: _Worker) -> None:
        self.every.discard(worker)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.process.kill()
        with contextlib.suppress(OSError):
            worker.conn.close()
        with contextlib.suppress(Exception):
            worker.process.join(timeout=5)

    # ---- running jobs ---------------------------------------------------------------------
    async def run(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        """The answer of job ``name`` with ``args``, done by the next free worker. Raises
        :class:`JobFailed` when the job passes its time limit (its worker is killed and
        replaced) or its worker dies."""
        if self.idle is None or self._closed:
            raise JobFailed("closed", "the server is stopping")
        worker = await self.idle.get()
        while not worker.process.is_alive():  # died while idle: replaced, not used
            self._kill(worker)
            self._replace_soon()
            worker = await self.idle.get()
        loop = asyncio.get_running_loop()
        limit = self.timeout if timeout is None else timeout
        exchange = loop.run_in_executor(self._threads, self._exchange, worker, (name, args))
        replace = False
        try:
            kind, answer = await asyncio.wait_for(asyncio.shield(exchange), limit)
        except TimeoutError:
            replace = True
            log.warning("a %s job took longer than %g s: its worker was stopped", name, limit)
            self._kill(worker)
            with contextlib.suppress(Exception):
                await exchange
            raise JobFailed("timeout", f"stopped after {limit:g} seconds: the notes took "
                            "too long to render") from None
        except (EOFError, OSError):
            replace = True
            code = worker.process.exitcode
            self._kill(worker)
            raise JobFailed("died", f"the render stopped unexpectedly (worker exit status "
                            f"{code}); try again") from None
        except asyncio.CancelledError:
            # the request went away: the worker finishes its job, then is free again
            exchange.add_done_callback(lambda f: self._release(worker, f))
            raise
        finally:
            if replace:
                self._replace_soon()
        self._release_now(worker)
        if kind == "error":
            raise JobFailed("error", f"the render failed: {answer}")
        return answer

    @staticmethod
    def _exchange(worker: _Worker, task: tuple[str, Any]) -> tuple[str, Any]:
        worker.conn.send(task)
        message = worker.conn.recv()
        worker.jobs += 1
        return message[0], message[1]

    def _release_now(self, worker: _Worker) -> None:
        if self.idle is not None and worker in self.every:
            self.idle.put_nowait(worker)

    def _release(self, worker: _Worker, done: Any) -> None:
        if done.cancelled() or done.exception() is not None:
            self._kill(worker)
            self._replace_soon()
        else:
            self._release_now(worker)

    def _replace_soon(self) -> None:
        task = asyncio.ensure_future(self._replace())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self) -> None:
        if self._closed:
            return
        try:
            worker = await self._start()
        except Exception as exc:  # logged: the server goes on with fewer workers
            log.error("a replacement worker could not start: %s", exc)
            return
        if self._closed:
            self._kill(worker)
        elif self.idle is not None:
            self.idle.put_nowait(worker)

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers (for tests and the log)."""
        return sorted(w.process.pid for w in self.every)

