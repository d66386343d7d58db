"""Plain data read from YAML or JSON, with the source location of every node in it."""

from __future__ import annotations

from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location

Pointer = tuple[Any, ...]


class Located:
    """A plain-data value with the source location of every node in it."""

    def __init__(self, data: Any, path: str | None):
        self.data = data
        self.path = path
        self.values: dict[Pointer, Location] = {}
        self.keys: dict[Pointer, Location] = {}
        self.raw: dict[Pointer, str] = {}
        """The text of each scalar as written (``14:30`` that YAML 1.1 reads as 870)."""
        self.problems: list[Diagnostic] = []
        """Syntax errors read past (:func:`compose_yaml` with ``recover``)."""

    def locate(self, at: Pointer, key: bool = False) -> Location:
        table = self.keys if key else self.values
        while at not in table and at:
            at = at[:-1]
            table = self.values
        return table.get(at) or Location(self.path)
