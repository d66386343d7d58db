"""Markdown out: the notes format a rapporteur would type (GitHub-flavoured Markdown).

The output is the canonical form of the Markdown notes format (docs/notes-format.md),
which the Markdown reader reads back to the same model, and which it writes again byte
for byte::

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

Texts are CommonMark inline source and are written as they are, but for the few escapes
that keep the reader from taking them for something else (a backslash the reader takes
off again; see :mod:`gfmdreport.formats.markdown.escape`, which this writer imports and
never the reader).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.diagnostics import report
from gfmdreport.diagnostics import warning
from gfmdreport.hooks.registry import Writer
from gfmdreport.labels import labels_for
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

# ---- the writer -------------------------------------------------------------------------------

def _items(items: tuple[Item, ...], depth: int = 0, lettered: bool = False) -> list[str]:
    from gfmdreport.formats.markdown.escape import escape_block
    from gfmdreport.formats.markdown.escape import letter

    lines = []
    pad = "  " * depth
    for i, item in enumerate(items):
        text = escape_block(item.text)
        if lettered:
            text = f"{letter(i)}) {text}".rstrip()
        lines.append(f"{pad}- {text}".rstrip())
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
    """The canonical Markdown notes of ``summary``."""
    from gfmdreport.formats.markdown.escape import escape_block
    from gfmdreport.formats.markdown.escape import escape_heading
    from gfmdreport.formats.markdown.escape import flat

    labels = labels_for(summary.language)
    french = (summary.language or "").split("-")[0].lower() == "fr"
    out = [_front_matter(summary)]
    for number, block in summary.numbered():
        if isinstance(block, Paragraph):
            if not flat(block.text):
                report(warning("md-empty-paragraph", f"paragraph {number} is empty and is "
                               "left out of the Markdown notes", block.loc,
                               "give it a text"))
                continue
            out.append(escape_block(block.text))
            if block.items:
                out.append("\n".join(_items(block.items, lettered=True)))
        elif isinstance(block, Heading):
            out.append(f"## {escape_heading(block.text)}".rstrip())
        elif isinstance(block, Question):
            sep = " :" if french else ":"
            text = escape_heading(block.text, question_like=False)
            out.append(f"## {labels['question']} {block.number}{sep} {text}".rstrip())
            if block.takeaways:
                out.append("\n".join(_items(block.takeaways)))
        elif isinstance(block, SummaryTable):
            if not block.columns:
                report(warning("md-empty-table", "a table without columns is left out of "
                               "the Markdown notes", block.loc, "give it its columns"))
                continue
            out.append("## " + labels["summary_table"])
            for column in block.columns:
                out.append(f"### {escape_heading(column.heading)}".rstrip())
                if column.items:
                    out.append("\n".join(_items(column.items)))
    return "\n\n".join(out) + "\n"


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    return render_markdown(summary).encode("utf-8")


def write_proceedings(proceedings, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.markdown.proceedings import write as write_md

    return write_md(proceedings, options)


def redline(old: SessionSummary, new: SessionSummary, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.markdown.critic import redline as critic

    return critic(old, new).encode("utf-8")


@hookimpl
def register_writers(register):
    register(Writer(name="md", write=write, redline=redline, suffix=".md",
                    media_type="text/markdown",
                    description="Markdown notes (GFM), the format rapporteurs type",
                    write_proceedings=write_proceedings))
