"""One notes file being read: its text, its lines, and the problems found, each located
at a line and column."""

from __future__ import annotations

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import warning


class NotesSource:
    """The text (without a byte-order mark, lines ending in ``\\n``), its lines once the
    front matter is read, and the problems found so far."""

    def __init__(self, text: str, path: str | None):
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.path = path
        self.problems: list[Diagnostic] = []
        self.lines: list[str] = []

    def at(self, line: int, column: int | None = None) -> Location:
        """The location of 0-based ``line``; the column of its first character unless
        given."""
        if column is None:
            text = self.lines[line] if 0 <= line < len(self.lines) else ""
            column = len(text) - len(text.lstrip(" \t>")) + 1
        return Location(self.path, line + 1, column)

    def warn(self, rule: str, message: str, where: Location, hint: str | None = None) -> None:
        self.problems.append(warning(rule, message, where, hint))

    def fail(self, rule: str, message: str, where: Location, hint: str | None = None) -> None:
        self.problems.append(error(rule, message, where, hint))
