"""Resource limits: how much of an input gfmdreport agrees to read.

Notes and templates arrive from many people and are converted unattended, so every
input is bounded. Each limit has a default that a real session summary never comes near
and an environment variable that raises it for a genuine exception:

=====================  ============================  ==========================================
limit                  environment variable          default
=====================  ============================  ==========================================
input size             ``GFMDREPORT_MAX_INPUT_BYTES``  50 MiB per input file (notes, templates)
nesting depth          ``GFMDREPORT_MAX_DEPTH``        20 levels of lists inside lists
blocks                 ``GFMDREPORT_MAX_BLOCKS``       10,000 blocks and list items in a summary
DOCX unpacked size     ``GFMDREPORT_MAX_DOCX_BYTES``   256 MiB unpacked from one Word package
template output        ``GFMDREPORT_MAX_TEMPLATE_BYTES``  64 MiB written by a user's page template
template time          ``GFMDREPORT_MAX_TEMPLATE_SECONDS``  10 seconds for a user's page template
=====================  ============================  ==========================================

An input over a limit is refused with an :class:`~gfmdreport.InputError` whose message
names the limit and whose hint says which variable raises it. A variable that is not a
positive whole number is a :class:`~gfmdreport.UsageError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error

if TYPE_CHECKING:
    from gfmdreport.model import Item
    from gfmdreport.model import SessionSummary


@dataclass(frozen=True)
class Limit:
    """One resource limit."""

    name: str
    """What is limited, as messages say it: ``input size``."""
    variable: str
    """The environment variable that changes it."""
    default: int
    rule: str
    """The rule id of the diagnostic when an input is over it."""
    unit: str
    """What is counted, in the plural: ``bytes``, ``levels``."""

    def value(self) -> int:
        """The limit in force: the environment variable's value, or the default."""
        raw = os.environ.get(self.variable, "").strip().replace("_", "")
        if not raw:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise UsageError(f"{self.variable} must be a positive whole number of "
                             f"{self.unit}, not {os.environ[self.variable]!r}")
        return value

    def diagnostic(self, found: int | None, what: str, location: Location | None = None,
                   limit: int | None = None) -> Diagnostic:
        """The error for an input over the limit: ``what`` says what was counted (``the
        file is``, ``lists are nested``) and ``found`` how much, when it is known."""
        limit = self.value() if limit is None else limit
        amount = f"{found:,} {self.unit}, over" if found is not None else "over"
        return error(self.rule, f"{what} {amount} the {self.name} limit of {limit:,}"
                     + ("" if found is not None else f" {self.unit}"), location,
                     f"if the input is genuine, raise the limit: {self.variable}="
                     f"{max(found or 0, limit) * 2}")

    def check(self, found: int, what: str, location: Location | None = None) -> None:
        """Raise the :class:`~gfmdreport.InputError` when ``found`` is over the limit."""
        limit = self.value()
        if found > limit:
            raise InputError([self.diagnostic(found, what, location, limit)])


INPUT_BYTES = Limit("input size", "GFMDREPORT_MAX_INPUT_BYTES", 50 * 2**20, "too-large",
                    "bytes")
DEPTH = Limit("nesting depth", "GFMDREPORT_MAX_DEPTH", 20, "too-deep", "levels")
BLOCKS = Limit("blocks", "GFMDREPORT_MAX_BLOCKS", 10_000, "too-many-blocks",
               "blocks and list items")
DOCX_BYTES = Limit("DOCX unpacked size", "GFMDREPORT_MAX_DOCX_BYTES", 256 * 2**20,
                   "docx-too-large", "bytes")
TEMPLATE_BYTES = Limit("template output", "GFMDREPORT_MAX_TEMPLATE_BYTES", 64 * 2**20,
                       "template-too-large", "characters")
TEMPLATE_SECONDS = Limit("template time", "GFMDREPORT_MAX_TEMPLATE_SECONDS", 10,
                         "template-too-slow", "seconds")

def _items_of(summary: SessionSummary) -> Iterator[tuple[Item, str]]:
    from gfmdreport.model import Paragraph
    from gfmdreport.model import Question
    from gfmdreport.model import SummaryTable

    for block in summary.body:
        if isinstance(block, Paragraph):
            yield from ((item, "paragraph") for item in block.items)
        elif isinstance(block, Question):
            yield from ((item, "question") for item in block.takeaways)
        elif isinstance(block, SummaryTable):
            for column in block.columns:
                yield from ((item, "table") for item in column.items)


def check_summary(summary: SessionSummary) -> None:
    """Refuse a summary over the nesting-depth or blocks limit (whatever read it)."""
    max_depth = DEPTH.value()
    max_blocks = BLOCKS.value()
    where = Location(summary.source)
    count = len(summary.body)
    deepest: tuple[int, Location | None] = (0, None)
    stack: list[tuple[Iterable[Item], int]] = [
        ((item for item, _ in _items_of(summary)), 1)]
    while stack:
        items, level = stack.pop()
        for item in items:
            count += 1
            if level > deepest[0]:
                deepest = (level, item.loc)
            if item.items and level < max_depth + 1:
                stack.append((items, level))
                stack.append((iter(item.items), level + 1))
                break
    problems = []
    if deepest[0] > max_depth:
        problems.append(DEPTH.diagnostic(deepest[0], "lists are nested", deepest[1] or where,
                                         max_depth))
    elif count > max_blocks:
        problems.append(BLOCKS.diagnostic(count, "the summary has", where, max_blocks))
    if problems:
        raise InputError(problems)


__all__ = [
    "BLOCKS",
    "DEPTH",
    "DOCX_BYTES",
    "INPUT_BYTES",
    "TEMPLATE_BYTES",
    "TEMPLATE_SECONDS",
    "Limit",
    "check_summary",
]
