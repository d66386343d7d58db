"""Markdown out: the notes format a rapporteur would type (GitHub-flavoured Markdown).

The output is the canonical form of the Markdown notes format (docs/notes-format.md)::

    ---
    title: …            (YAML front matter: the metadata, as in the interchange format)
    ---

    A plain paragraph is a numbered paragraph.

    A paragraph with a lettered list:

    - a) first item
    - b) second item

    ## A section heading

    ## Question 1: The guiding question?

    - A takeaway
      - a nested point

    ## Summary table

    ### Points of Convergence

    - an item

Inline text is already CommonMark inline source and is written as it is; a text that
would start a block construct (``# …``, ``- …``, ``1. …``) gets its first character
escaped with a backslash.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from .. import hookimpl
from ..labels import labels_for
from ..model import Heading, Item, Paragraph, Question, SessionSummary, SummaryTable
from ..registry import Writer

_BLOCK_START = re.compile(r"^(#{1,6}(\s|$)|>|[-+*](\s|$)|\d{1,9}[.)](\s|$)|```|~~~|\||"
                          r"[=_*-]{3,}\s*$|\\)")


def escape_block(text: str) -> str:
    """Flatten line breaks and escape a leading character that would start a block."""
    text = " ".join(text.split("\n")).strip()
    if _BLOCK_START.match(text):
        return "\\" + text
    return text


def _letter(i: int) -> str:
    letters = string.ascii_lowercase
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


def _items(items: tuple[Item, ...], depth: int = 0, lettered: bool = False) -> list[str]:
    lines = []
    pad = "  " * depth
    for i, item in enumerate(items):
        text = escape_block(item.text)
        if lettered:
            text = f"{_letter(i)}) {item.text.strip()}"
        lines.append(f"{pad}- {text}")
        lines.extend(_items(item.items, depth + 1))
    return lines


def _front_matter(summary: SessionSummary) -> str:
    import yaml

    data = summary.to_dict()
    data.pop("body")
    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=88,
                     default_flow_style=False)
    return f"---\n{text}---"


def render_markdown(summary: SessionSummary) -> str:
    labels = labels_for(summary.language)
    out = [_front_matter(summary)]
    for block in summary.body:
        if isinstance(block, Paragraph):
            out.append(escape_block(block.text))
            if block.items:
                out.append("\n".join(_items(block.items, lettered=True)))
        elif isinstance(block, Heading):
            out.append("## " + _heading(block.text))
        elif isinstance(block, Question):
            sep = " :" if summary.language == "fr" else ":"
            out.append(f"## {labels['question']} {block.number}{sep} {_heading(block.text)}")
            if block.takeaways:
                out.append("\n".join(_items(block.takeaways)))
        elif isinstance(block, SummaryTable):
            out.append("## " + labels["summary_table"])
            for column in block.columns:
                out.append("### " + _heading(column.heading))
                if column.items:
                    out.append("\n".join(_items(column.items)))
    return "\n\n".join(out) + "\n"


def _heading(text: str) -> str:
    text = " ".join(text.split("\n")).strip()
    return re.sub(r"(\s)(#+)$", r"\1\\\2", text)


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    return render_markdown(summary).encode("utf-8")


@hookimpl
def register_writers(register):
    register(Writer(name="md", write=write, suffix=".md", media_type="text/markdown",
                    description="Markdown notes (GFM), the format rapporteurs type"))
