"""Regular expressions compiled when first used.

The recognisers hold dozens of large patterns (people's honorifics, names, roles and
organisations in three languages); compiling them all when the module is imported cost
a command that never meets a typed name some 20 ms at every start. ``lazy(pattern,
flags)`` stands for ``re.compile(pattern, flags)`` and compiles on the first call of any
of its methods.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A compiled pattern made on first use; every ``re.Pattern`` method and attribute."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
