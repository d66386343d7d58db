"""Diagnostics, source locations and the error hierarchy.

Every problem the tool finds in an input is a :class:`Diagnostic`: a severity, a rule id,
a message and, where one is known, the :class:`Location` in the source file. Errors that
stop a run are exceptions from :class:`GfmdError`; those about an input carry the full
list of diagnostics so that every problem is reported at once, not only the first.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field

_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if code == 0x0A:
        return "\\n"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or a log: control characters
    (escape sequences that retitle or clear a terminal, line breaks that forge a line),
    and the bytes of a file name that is not UTF-8, written as escapes (``\\x1b``,
    ``\\n``, ``\\xff``)."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file; ``line`` and ``column`` count from 1."""

    path: str | None = None
    """The file, as the user named it (``None`` for text given in memory)."""
    line: int | None = None
    """1-based line, or ``None`` when only the file is known."""
    column: int | None = None
    """1-based column, or ``None`` when only the line is known."""

    def __str__(self) -> str:
        parts = [printable(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)

    def with_path(self, path: str | None) -> Location:
        return Location(path, self.line, self.column)


class Severity(enum.StrEnum):
    """How serious a diagnostic is. Errors stop rendering; warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in an input, with where it is and what to do about it."""

    severity: Severity
    rule: str
    """The rule id (``GFMD101``) or reader check (``yaml-syntax``) that found it."""
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    """How to fix it, when the message alone does not say."""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}[{self.rule}]: {printable(self.message)}"
        if self.hint:
            text += f" ({printable(self.hint)})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path or "", loc.line or 0, loc.column or 0, self.rule)


def error(rule: str, message: str, location: Location | None = None, hint: str | None = None):
    return Diagnostic(Severity.ERROR, rule, message, location or Location(), hint)


def warning(rule: str, message: str, location: Location | None = None, hint: str | None = None):
    return Diagnostic(Severity.WARNING, rule, message, location or Location(), hint)


_collector: ContextVar[list[Diagnostic] | None] = ContextVar("gfmdreport_diagnostics",
                                                           default=None)


def report(diagnostic: Diagnostic) -> None:
    """Report a problem found while rendering (a dropped link, a cleaned character).

    Writers call this instead of printing; the pipeline collects what is reported
    during a render and returns it with the output. Outside a render it is ignored.
    """
    found = _collector.get()
    if found is not None:
        found.append(diagnostic)


@contextmanager
def collecting() -> Iterator[list[Diagnostic]]:
    """Collect what :func:`report` receives within the block."""
    found: list[Diagnostic] = []
    token = _collector.set(found)
    try:
        yield found
    finally:
        _collector.reset(token)


def describe_exception(exc: BaseException) -> str:
    """One line naming an unexpected exception: its type and the first line of its text."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class GfmdError(Exception):
    """Base class of every error gfmdreport raises on purpose."""

    exit_code = 1


class InputError(GfmdError):
    """An input could not be read: it carries every diagnostic found, with locations."""

    def __init__(self, diagnostics: Iterable[Diagnostic], partial: object = None):
        self.diagnostics: list[Diagnostic] = sorted(diagnostics, key=lambda d: d.sort_key)
        self.partial = partial
        """What could be read of the input past its errors (a
        :class:`~gfmdreport.model.SessionSummary`, the bad values left out), for the
        rules to check in the same run; ``None`` when nothing could be."""
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def single(
        cls, rule: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> InputError:
        return cls([error(rule, message, location, hint)])


class UsageError(GfmdError):
    """The request itself is wrong (unknown format, bad option): exit code 2."""

    exit_code = 2


class RenderError(GfmdError):
    """A writer could not produce its output."""


class PluginError(GfmdError):
    """A plugin failed to load, to register, or raised inside a hook."""

    def __init__(self, plugin: str, dist: str | None, where: str, reason: str):
        self.plugin = plugin
        self.dist = dist
        self.where = where
        self.reason = reason
        origin = f"plugin '{plugin}'"
        if dist:
            origin += f" (dist {dist})"
        super().__init__(f"{origin} failed in {where}: {reason}")


class RegistryError(GfmdError):
    """Two plugins provide the same format or rule, or a plugin registered a bad object."""
