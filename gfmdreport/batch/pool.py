"""The worker processes of a batch run.

Each worker builds its plugins once and keeps them for every input it converts. A worker
holds one input at a time, through a pipe of its own, so that when a worker dies (killed
by the OOM killer, crashed) the input it held is known exactly: that input fails and a
fresh worker takes over the rest. Workers ignore Ctrl-C from their first instant (the
parent decides what it does), and stop, leaving no temporary file, on SIGTERM or when the
parent is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.connection import wait
from typing import Any
from typing import Generic
from typing import TypeVar

from gfmdreport import files
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import describe_exception
from gfmdreport.hooks.manager import Plugins

Item = TypeVar("Item")
Job = Callable[[Any, Plugins], Any]
"""What a worker does with a task: ``job(task, plugins) -> answer``, in the worker; it
must not raise."""


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def context(start_method: str | None) -> Any:
    """The multiprocessing context: ``fork`` on Linux (workers start at once and inherit
    what the parent loaded), ``spawn`` elsewhere, unless ``start_method`` says."""
    if start_method is None:
        methods = multiprocessing.get_all_start_methods()
        start_method = "fork" if "fork" in methods and sys.platform.startswith("linux") \
            else "spawn"
    return multiprocessing.get_context(start_method)


def max_rss_kb() -> int:
    """Peak resident memory of this process, in KiB (0 where unknown)."""
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def _serve(conn: Connection, make_plugins: Callable[[], Plugins], job: Job) -> None:
    """A worker process: build the plugins once, then do ``job`` with each task the parent
    sends, answering ``("done", answer, peak memory)``.

    It starts with Ctrl-C, SIGTERM and SIGHUP held (the parent holds them while it starts
    a worker), so that a Ctrl-C at that moment finds it ignoring Ctrl-C already."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # write_atomic holds it until its file is done

    signal.signal(signal.SIGTERM, stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, files.HELD_SIGNALS)
    parent = os.getppid()
    with contextlib.ExitStack() as held:  # the plugins' batch_worker scopes, to the end
        try:
            plugins = make_plugins()
            _enter_worker_scopes(plugins, held)
        except BaseException as exc:
            conn.send(("init_error", describe_exception(exc)))
            return
        conn.send(("ready", os.getpid()))
        while True:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # the parent is gone: nobody to report to
                    return
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            answer = job(task, plugins)
            conn.send(("done", answer, max_rss_kb()))


def _enter_worker_scopes(plugins: Plugins, held: contextlib.ExitStack) -> None:
    """Enter what each plugin's ``batch_worker`` hook returns, for the worker's life."""
    for name, call in plugins.each("batch_worker"):
        try:
            for scope in call() or ():
                if scope is not None:
                    held.enter_context(scope)
        except Exception as exc:
            raise PluginError(name, plugins.registry.dist_label(name), "batch_worker",
                              describe_exception(exc)) from exc


@dataclass
class _Slot(Generic[Item]):
    process: Any
    conn: Connection
    item: Item | None = None
    ready: bool = False
    max_rss_kb: int = 0


def _death(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return f"exit status {code}"


class Pool(Generic[Item]):
    """Up to ``size`` worker processes doing ``job``, one task each at a time."""

    def __init__(self, size: int, make_plugins: Callable[[], Plugins], job: Job,
                 context: Any):
        self.size = size
        self.make_plugins = make_plugins
        self.job = job
        self.context = context
        self.slots: list[_Slot[Item]] = []
        self.started = 0
        """Worker processes started, those that took over from dead ones included."""
        self.rss: dict[int, int] = {}
        """Peak memory in KiB of each worker process that has stopped, by process id."""

    def run(self, queue: deque[Item], task: Callable[[Item], Any]
            ) -> Iterator[tuple[Item, Any, str | None]]:
        """Give the items of ``queue`` (taken from the left as workers free up; clearing
        it gives out no more) to the workers as ``task(item)``; yield ``(item, answer,
        None)`` as each answer comes, and ``(item, None, why)`` when the worker holding
        ``item`` died. Ends when the queue is empty and every answer is in.

        Raises :class:`~gfmdreport.PluginError` when the workers cannot start (building
        their plugins fails, or they keep dying before they are ready)."""
        if queue:
            for _ in range(self.size):
                self._start()
        deaths_before_ready = 0
        while self.slots:
            for slot in self.slots:
                if slot.ready and slot.item is None and queue:
                    slot.item = queue.popleft()
                    slot.conn.send(task(slot.item))
            for slot in [s for s in self.slots if s.ready and s.item is None]:
                self._close(slot)
            if not self.slots:
                break
            waitables: list[Any] = [s.conn for s in self.slots]
            waitables += [s.process.sentinel for s in self.slots]
            signalled = set(wait(waitables))
            for slot in list(self.slots):
                message = None
                if slot.conn in signalled or slot.process.sentinel in signalled:
                    with contextlib.suppress(EOFError, OSError):
                        if slot.conn.poll():
                            message = slot.conn.recv()
                if message is None:
                    if slot.process.sentinel in signalled or not slot.process.is_alive():
                        slot.process.join()
                        item, slot.item = slot.item, None
                        self._close(slot)
                        if item is None:
                            deaths_before_ready += not slot.ready
                            if deaths_before_ready > 2 * self.size:
                                raise PluginError("batch", None, "starting a worker",
                                                  f"worker processes stop at start "
                                                  f"({_death(slot.process)})")
                        else:
                            yield item, None, _death(slot.process)
                        if queue:
                            self._start()
                    continue
                kind = message[0]
                if kind == "init_error":
                    raise PluginError("batch", None, "starting a worker", message[1])
                if kind == "ready":
                    slot.ready = True
                    continue
                item, slot.item = slot.item, None
                assert item is not None
                slot.max_rss_kb = max(slot.max_rss_kb, message[2])
                yield item, message[1], None

    def _start(self) -> None:
        here, there = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_serve,
                                       args=(there, self.make_plugins, self.job),
                                       name=f"gfmdreport-batch-{self.started}", daemon=True)
        with files.signals_held():  # the worker starts with them held (see _serve)
            process.start()
        there.close()
        self.started += 1
        self.slots.append(_Slot(process, here))

    def _close(self, slot: _Slot[Item]) -> None:
        self.slots.remove(slot)
        with contextlib.suppress(OSError, ValueError):
            if slot.process.is_alive():
                slot.conn.send(None)  # other workers hold copies of this pipe: no EOF
        with contextlib.suppress(OSError):
            slot.conn.close()
        slot.process.join(timeout=5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        if slot.max_rss_kb:
            self.rss[slot.process.pid] = slot.max_rss_kb

    def shutdown(self, graceful: bool) -> list[Item]:
        """Stop every worker (at once, with SIGTERM, unless ``graceful``); return the
        items they were still holding."""
        held = [s.item for s in self.slots if s.item is not None]
        if not graceful:
            for slot in self.slots:
                slot.process.terminate()
        for slot in list(self.slots):
            self._close(slot)
        return held
