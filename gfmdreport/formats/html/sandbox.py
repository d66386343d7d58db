"""User page templates (``--template FILE``): rendered in Jinja2's immutable sandbox,
confined to their folder, and bounded in output and time.

A template is someone else's code run on the secretariat's machine, so:

- it reads only regular files inside its own folder, reached without a symbolic link and
  with no hidden component (``.ssh/…``), and the built-in templates by their
  ``gfmdreport/`` prefix: ``{% include "env" %}`` with ``env`` a link to
  ``/proc/self/environ`` is refused;
- it cannot build a value larger than the template output limit in one step: string and
  list repetition, powers, ``%`` and ``str.format`` widths, and the ``center``,
  ``indent`` and ``format`` filters are checked before they allocate;
- its whole output is counted as it is produced and stops at the limit
  (``GFMDREPORT_MAX_TEMPLATE_BYTES``), and it stops after the time limit
  (``GFMDREPORT_MAX_TEMPLATE_SECONDS``).

Each refusal is an :class:`~gfmdreport.InputError` at the template's line, naming the
limit and how to raise it.
"""

from __future__ import annotations

import math
import os
import re
import signal
import stat
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location

_WIDTH = re.compile(r"%[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")
_WIDENING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "format",
                               "format_map"})


class TemplateLimit(Exception):
    """A template went over a limit; carries the limit and what was counted."""

    def __init__(self, limit: limits.Limit, found: int | None, what: str):
        super().__init__(f"{what} over the {limit.name} limit")
        self.limit, self.found, self.what = limit, found, what

    def diagnostic(self, where: Location):
        return self.limit.diagnostic(self.found, self.what, where)


def _too_big(size: float, what: str) -> None:
    if size > limits.TEMPLATE_BYTES.value():
        raise TemplateLimit(limits.TEMPLATE_BYTES, int(min(size, 2**62)), what)


def _check_widths(text: str, what: str) -> None:
    """Refuse a format string whose widths or precisions would build a value over the
    limit (``'%1000000000d'``, ``'{:>1000000000}'``)."""
    for match in _WIDTH.finditer(text):
        for group in match.groups():
            if group and group.isdigit():
                _too_big(int(group), what)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``'A' * 10**9``, ``[0] * 10**9``, ``9 ** 9 ** 9`` and ``'%9999999999d' % 1``
    before Python computes them."""
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
                _too_big(len(seq) * max(count, 0), "a repeated value would be")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        bits = right * math.log2(abs(left)) if abs(left) > 1 else 0
        _too_big(bits / 8, "a power would be")
    elif operator == "%" and isinstance(left, str):
        _check_widths(left, "a formatted value would be")
    elif operator == "+":
        sizes = [len(x) for x in (left, right) if isinstance(x, (str, bytes, list, tuple))]
        if len(sizes) == 2:
            _too_big(sum(sizes), "a joined value would be")


def _bounded_method(method: Callable[..., Any], obj: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        if name in ("format", "format_map"):
            _check_widths(obj, "a formatted value would be")
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool):
                _too_big(value if name != "expandtabs" else value * len(obj),
                         f"str.{name} would make a value of")
        return method(*args, **kwargs)

    return call


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def call(value: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "format" and isinstance(value, str):
            _check_widths(value, "a formatted value would be")
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool):
                size = arg * (str(value).count("\n") + 1) if name == "indent" else arg
                _too_big(size, f"the {name} filter would make a value of")
        return function(value, *args, **kwargs)

    return call


class _Deadline:
    """The time limit of one render: checked by the sandbox as the template runs, and
    by a timer signal where one can be used (the main thread on POSIX)."""

    def __init__(self) -> None:
        self.seconds = limits.TEMPLATE_SECONDS.value()
        self.end = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise TemplateLimit(limits.TEMPLATE_SECONDS, None, "the template ran")


_deadline = threading.local()


def _check_time() -> None:
    deadline = getattr(_deadline, "value", None)
    if deadline is not None:
        deadline.check()


@contextmanager
def _timed() -> Iterator[_Deadline]:
    deadline = _Deadline()
    _deadline.value = deadline
    alarm = (hasattr(signal, "setitimer") and
             threading.current_thread() is threading.main_thread())
    previous = None
    if alarm:
        def expire(signum: int, frame: Any) -> None:
            raise TemplateLimit(limits.TEMPLATE_SECONDS, None, "the template ran")

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, deadline.seconds)
    try:
        yield deadline
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _deadline.value = None


def _bounded_range(*args: int) -> Iterator[int]:
    """``range`` for templates: as long as the sandbox allows, and watching the clock."""
    from jinja2.sandbox import safe_range

    for n, value in enumerate(safe_range(*args)):
        if n % 1024 == 0:
            _check_time()
        yield value


# ---- the loader -----------------------------------------------------------------------------

def confined(folder: str, name: str) -> str | None:
    """The file of template ``name`` inside ``folder``, or ``None`` when no such regular
    file can be reached without leaving the folder: no symbolic link on the way, no
    hidden component, no ``..``."""
    parts = name.replace("\\", "/").split("/")
    if not parts or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    path = folder
    for part in parts:
        path = os.path.join(path, part)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    return path if stat.S_ISREG(mode) else None


@lru_cache(maxsize=1)
def _classes() -> tuple[type, type]:
    from jinja2 import BaseLoader
    from jinja2 import FileSystemLoader
    from jinja2 import TemplateNotFound
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from gfmdreport.files import decode
    from gfmdreport.files import read_bytes
    from gfmdreport.formats.html.page import BUILTIN_PREFIX
    from gfmdreport.formats.html.page import HERE

    class UserLoader(BaseLoader):
        """A user's templates from their folder (confined, see :func:`confined`), and
        the built-in ones by the ``gfmdreport/`` prefix. Files are read as every input
        is, so an encoding problem is reported at its line and column."""

        def __init__(self, folder: str) -> None:
            self.folder = folder
            self.builtin = FileSystemLoader(HERE)
            self.filenames: set[str] = set()

        def get_source(self, environment: Any, template: str) -> Any:
            if template.startswith(BUILTIN_PREFIX):
                source, filename, uptodate = self.builtin.get_source(
                    environment, template[len(BUILTIN_PREFIX):])
                self.filenames.add(filename)
                return source, filename, uptodate
            filename = confined(self.folder, template)
            if filename is None:
                raise TemplateNotFound(template)
            mtime = os.path.getmtime(filename)
            source = decode(read_bytes(filename), filename)
            self.filenames.add(filename)

            def uptodate() -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return source, filename, uptodate

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox, with the size and time checks of this module."""

        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def getattr(self, obj: Any, attribute: str) -> Any:
            _check_time()
            value = super().getattr(obj, attribute)
            if isinstance(obj, str) and attribute in _WIDENING_METHODS and callable(value):
                return _bounded_method(value, obj, attribute)
            return value

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_time()
            return super().call(__context, __obj, *args, **kwargs)

    return UserLoader, BoundedSandbox


@lru_cache(maxsize=16)
def user_environment(folder: str) -> Any:
    """The sandboxed environment for user templates in ``folder`` (cached; a template
    is compiled again only when its file changes)."""
    from jinja2 import StrictUndefined

    from gfmdreport.formats.html.page import FILTERS

    loader_class, environment_class = _classes()
    env = environment_class(loader=loader_class(folder), autoescape=True,
                            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                            keep_trailing_newline=True)
    env.filters.update(FILTERS)
    for name in ("center", "indent", "format", "wordwrap", "truncate"):
        env.filters[name] = _bounded_filter(name, env.filters[name])
    env.globals["range"] = _bounded_range
    return env


def render_bounded(template: Any, variables: dict[str, Any]) -> str:
    """Render ``template``, counting its output against the limit and watching the
    clock; raises :class:`TemplateLimit` at either limit."""
    limit = limits.TEMPLATE_BYTES.value()
    out: list[str] = []
    size = 0
    with _timed() as deadline:
        for chunk in template.generate(variables):
            size += len(chunk)
            if size > limit:
                raise TemplateLimit(limits.TEMPLATE_BYTES, None,
                                    "the page the template writes is")
            out.append(chunk)
            deadline.check()
    return "".join(out)


def refusal(exc: TemplateLimit, where: Location) -> InputError:
    return InputError([exc.diagnostic(where)])
