"""What a redline shows inside a text, and who made the changes and when.

:func:`run_changes` compares two texts, as formatted runs, word by word; every redline
(Word, HTML, Markdown) draws its words from it. The blocks and items are aligned by
:func:`gfmdreport.diff.align`. docs/diff.md describes the redlines.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal

from gfmdreport.inline import Run


def default_author() -> str:
    """The author of the revisions when none is given: ``GFMDREPORT_AUTHOR``, else the
    user's name from the environment, else ``gfmdreport``."""
    for name in ("GFMDREPORT_AUTHOR", "GIT_AUTHOR_NAME", "USER", "USERNAME", "LOGNAME"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return "gfmdreport"


def revision_date() -> _dt.datetime:
    """The date of the revisions: ``SOURCE_DATE_EPOCH`` when set (the same inputs give
    the same file), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
    return _dt.datetime.now(_dt.UTC)


# ---- words inside a text ------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|\w+(?:['’\-.]\w+)*|[*_~`]+|[^\w\s*_~`]+")
"""The units of a word-level redline: words (with inner apostrophes, hyphens and
dots: ``l’OIM``, ``co-chair``, ``U.N``), punctuation, and spaces apart, so that a
changed comma is one change and a word deleted takes its space with it."""

Op = Literal["equal", "format", "delete", "insert"]


@dataclass(frozen=True)
class Edit:
    """A stretch of a text in a word-level redline: ``equal`` (kept as it was),
    ``format`` (the same words, bold, italic or code changed: ``old`` is their old
    look), ``delete`` (``old`` only) or ``insert`` (``new`` only)."""

    op: Op
    old: Run | None
    new: Run | None


def _tokens(runs: Sequence[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if run.line_break or not run.text:
            if run.line_break:
                out.append(run)
            continue
        out += [Run(m.group(), run.bold, run.italic, run.code, run.href)
                for m in _TOKENS.finditer(run.text)]
    return out


def _key(run: Run) -> tuple[str, str | None, bool]:
    return run.text, run.href, run.line_break


def _look(run: Run) -> tuple[bool, bool, bool]:
    return run.bold, run.italic, run.code


def run_changes(old: Sequence[Run], new: Sequence[Run]) -> list[Edit]:
    """Two texts, as runs, compared word by word: the stretches kept, reformatted,
    deleted and inserted, in order, adjacent ones of one kind and look merged. Keeping
    every ``old`` run and dropping the ``new`` ones of the result gives ``old`` again
    (as text and look), and the other way round ``new``. A space alone between two
    changes joins them (``[-alpha beta-]{+gamma delta+}``, not four changes); a link
    whose target changed is deleted and inserted."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b],
                                      autojunk=False)
    regions: list[list[Any]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if op == "equal" else "change"
        regions.append([kind, i1, i2, j1, j2])
    merged: list[list[Any]] = []
    k = 0
    while k < len(regions):
        region = regions[k]
        if (region[0] == "equal" and merged and merged[-1][0] == "change"
                and k + 1 < len(regions) and region[2] - region[1] == 1
                and a[region[1]].text.isspace()):
            nxt = regions[k + 1]
            merged[-1][2], merged[-1][4] = nxt[2], nxt[4]
            k += 2
            continue
        if region[0] == "change" and merged and merged[-1][0] == "change":
            merged[-1][2], merged[-1][4] = region[2], region[4]
        else:
            merged.append(list(region))
        k += 1
    edits: list[Edit] = []
    for kind, i1, i2, j1, j2 in merged:
        if kind == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                _add(edits, Edit("equal" if _look(x) == _look(y) else "format", x, y))
            continue
        for x in a[i1:i2]:
            _add(edits, Edit("delete", x, None))
        for y in b[j1:j2]:
            _add(edits, Edit("insert", None, y))
    return edits


def _add(edits: list[Edit], edit: Edit) -> None:
    """Append an edit, joined to the last one when of one kind and look."""
    if edits:
        last = edits[-1]
        if (last.op == edit.op and _joinable(last.old, edit.old)
                and _joinable(last.new, edit.new)):
            edits[-1] = Edit(edit.op, _join(last.old, edit.old), _join(last.new, edit.new))
            return
    edits.append(edit)


def _joinable(x: Run | None, y: Run | None) -> bool:
    if x is None or y is None:
        return x is y
    return (not x.line_break and not y.line_break and _look(x) == _look(y)
            and x.href == y.href)


def _join(x: Run | None, y: Run | None) -> Run | None:
    if x is None or y is None:
        return None
    return Run(x.text + y.text, x.bold, x.italic, x.code, x.href)
