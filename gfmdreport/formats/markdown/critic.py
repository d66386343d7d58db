"""The Markdown redline: the new version's Markdown notes with every difference from the
old version's in CriticMarkup (``{++inserted++}``, ``{--deleted--}``,
``{~~old~>new~~}``), which editors that know CriticMarkup show as changes and
:func:`accept` and :func:`reject` resolve.

Both versions are written by the canonical Markdown writer and compared block by block
(the writer puts a blank line between blocks), then word by word inside a block that
changed (:func:`gfmdreport.redline.run_changes`): a block added or removed is marked whole;
markup never spans a blank line, so each block's changes stay in the block.
"""

from __future__ import annotations

import difflib
import re

from gfmdreport.inline import Run
from gfmdreport.model import SessionSummary
from gfmdreport.redline import run_changes

_CHANGE = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}", re.S)


def redline(old: SessionSummary, new: SessionSummary) -> str:
    """The new version's Markdown with the changes from the old one marked."""
    from gfmdreport.formats.markdown.writer import render_markdown

    return critic(render_markdown(old), render_markdown(new))


def critic(old: str, new: str) -> str:
    """``new`` with its differences from ``old`` as CriticMarkup, block by block."""
    a, b = _blocks(old), _blocks(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += b[j1:j2]
        elif op == "replace" and i2 - i1 == j2 - j1:
            out += [_words(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            out += [f"{{--{x}--}}" for x in a[i1:i2]]
            out += [f"{{++{y}++}}" for y in b[j1:j2]]
    return "\n\n".join(out) + "\n"


def _blocks(text: str) -> list[str]:
    return [block for block in text.strip("\n").split("\n\n") if block]


def _words(old: str, new: str) -> str:
    parts: list[str] = []
    edits = run_changes([Run(old)], [Run(new)])
    k = 0
    while k < len(edits):
        edit = edits[k]
        if edit.op == "delete" and k + 1 < len(edits) and edits[k + 1].op == "insert":
            parts.append(f"{{~~{edit.old.text}~>{edits[k + 1].new.text}~~}}")  # type: ignore[union-attr]
            k += 2
            continue
        if edit.op == "delete":
            parts.append(f"{{--{edit.old.text}--}}")  # type: ignore[union-attr]
        elif edit.op == "insert":
            parts.append(f"{{++{edit.new.text}++}}")  # type: ignore[union-attr]
        else:
            parts.append(edit.new.text)  # type: ignore[union-attr]
        k += 1
    return "".join(parts)


def accept(text: str) -> str:
    """Every change accepted: the new version."""
    return _resolve(text, True)


def reject(text: str) -> str:
    """Every change rejected: the old version."""
    return _resolve(text, False)


def _resolve(text: str, keep_new: bool) -> str:
    def one(m: re.Match[str]) -> str:
        inserted, removed, was, now = m.groups()
        if inserted is not None:
            return inserted if keep_new else ""
        if removed is not None:
            return "" if keep_new else removed
        return now if keep_new else was

    blocks = [_CHANGE.sub(one, block) for block in text.strip("\n").split("\n\n")]
    return "\n\n".join(block for block in blocks if block) + "\n"
