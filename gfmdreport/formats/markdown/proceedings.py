"""Proceedings in Markdown (GFM): the event's report as one document to read or publish.

Not the notes format (which holds one session): a cover block, the contents as links,
the front matter, each session a chapter (``##``) with its header block, people, body and
closing table, its headings one level below (``###``); the annex consolidates the
closing tables, one list per column heading with the session each item came from, then
the index of chairs and rapporteurs and what plugins added.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gfmdreport.event import Proceedings
from gfmdreport.labels import format_date
from gfmdreport.labels import format_date_span
from gfmdreport.labels import format_time_range
from gfmdreport.labels import proceedings_labels
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SummaryTable


def _anchor(text: str) -> str:
    """GitHub's anchor of a heading."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _items(items: tuple[Item, ...], depth: int, lettered: bool = False,
           pad: str = "   ") -> list[str]:
    from gfmdreport.formats.markdown.escape import escape_block
    from gfmdreport.formats.markdown.escape import letter

    lines = []
    for i, item in enumerate(items):
        text = escape_block(item.text)
        if lettered and depth == 1:
            text = f"{letter(i)}) {text}"
        lines.append(f"{pad * depth}- {text}".rstrip())
        lines.extend(_items(item.items, depth + 1, pad=pad))
    return lines


def _person(person: Person) -> str:
    from gfmdreport.formats.markdown.escape import escape_block

    return escape_block(", ".join(t for t in (person.display_name, person.role,
                                             person.organization) if t))


def chapter_title(number: int, session: str, title: str) -> str:
    return f"{number}. {session or title}"


def render_proceedings(proceedings: Proceedings) -> str:
    from gfmdreport.formats.markdown.escape import escape_block
    from gfmdreport.formats.markdown.escape import escape_heading

    p = proceedings
    labels = proceedings_labels(p.language)
    out = [f"# {escape_heading(p.title)}"]
    if p.subtitle:
        out.append(f"**{escape_block(p.subtitle)}**")
    when = format_date_span(p.start_date, p.end_date, p.language)
    details = [t for t in (when, p.venue) if t]
    if details:
        out.append(escape_block(" · ".join(details)))
    if p.organisers:
        out.append(f"{labels['organised_by']}: " + "; ".join(escape_block(o)
                                                               for o in p.organisers))
    titles = [(n, chapter_title(n, c.summary.session, c.summary.title))
              for n, c in enumerate(p.chapters, 1)]
    contents = [f"## {labels['contents']}", ""]
    for heading, key in ((labels["foreword"], p.foreword),
                         (labels["introduction"], p.introduction)):
        if key:
            contents.append(f"- [{heading}](#{_anchor(heading)})")
    for _, title in titles:
        contents.append(f"- [{escape_block(title)}](#{_anchor(title)})")
    contents.append(f"- [{labels['annex']}](#{_anchor(labels['annex'])})")
    out.append("\n".join(contents))
    for heading, paragraphs in ((labels["foreword"], p.foreword),
                                (labels["introduction"], p.introduction)):
        if paragraphs:
            out.append(f"## {heading}")
            out.extend(escape_block(t) for t in paragraphs)
    offsets = p.offsets()
    current_part = ""
    for (number, title), chapter, offset in zip(titles, p.chapters, offsets, strict=True):
        s = chapter.summary
        if chapter.part and chapter.part != current_part:
            out.append(f"# {escape_heading(chapter.part)}")
        current_part = chapter.part
        slabels = proceedings_labels(s.language) | dict(s.labels)
        out.append(f"## {escape_heading(title)}")
        when = ", ".join(t for t in (format_date(s.date, s.language, slabels),
                                     format_time_range(s.start_time, s.end_time,
                                                       s.language, slabels)) if t)
        meta = [t for t in (when, s.venue) if t]
        if meta:
            out.append("*" + escape_block(" — ".join(meta)) + "*")
        people = []
        for key_one, key_many, group in (("chair", "co_chairs", s.chairs),
                                         ("rapporteur", "rapporteurs", s.rapporteurs)):
            if group:
                label = slabels[key_one] if len(group) == 1 else slabels[key_many]
                people.append(f"**{label}:** " + "; ".join(_person(x) for x in group))
        if people:
            out.append("  \n".join(people))
        n = 0
        for block in s.body:
            if isinstance(block, Paragraph):
                n += 1
                label = p.paragraph_label(number, n, offset)
                out.append(f"{label}. {escape_block(block.text)}".rstrip())
                if block.items and p.numbering == "prefixed":
                    # "2.5." is no list marker: the paragraph is text, and its items a
                    # list of their own after it (indented, they would be code)
                    lines = _items(block.items, 1, lettered=True, pad="  ")
                    out.append("\n".join(line[2:] for line in lines))
                elif block.items:  # under the numbered item, in its content's column
                    out.append("\n".join(_items(block.items, 1, lettered=True,
                                                 pad=" " * (len(label) + 2))))
            elif isinstance(block, Heading):
                out.append(f"### {escape_heading(block.text)}")
            elif isinstance(block, Question):
                out.append(f"### {slabels['question']} {block.number}: "
                           f"{escape_heading(block.text, question_like=False)}")
                if block.takeaways:
                    out.append("\n".join(_items(block.takeaways, 0)))
            elif isinstance(block, SummaryTable) and block.columns:
                out.append(f"### {slabels['summary_table']}")
                for column in block.columns:
                    out.append(f"#### {escape_heading(column.heading)}")
                    if column.items:
                        out.append("\n".join(_items(column.items, 0)))
    out.append(f"## {labels['annex']}")
    out.append(f"### {labels['annex_tables']}")
    for table in p.annex_tables():
        out.append(f"#### {escape_heading(table.heading)}")
        lines = []
        for entry in table.entries:
            lines.append(f"- {escape_block(entry.item.text)} "
                         f"*({labels['session']} {entry.chapter})*")
            lines.extend(_items(entry.item.items, 1))
        if lines:
            out.append("\n".join(lines))
    index = p.people_index()
    if index:
        out.append(f"### {labels['index']}")
        out.append("\n".join(
            f"- {_person(e.person)} — "
            + "; ".join(f"{labels[k]}: {', '.join(map(str, v))}"
                        for k, v in (("chaired", e.chaired), ("reported", e.reported)) if v)
            for e in index))
    for section in p.annexes:
        out.append(f"### {escape_heading(section.title)}")
        out.extend(escape_block(t) for t in section.paragraphs)
        if section.items:
            out.append("\n".join(_items(section.items, 0)))
    return "\n\n".join(out) + "\n"


def write(proceedings: Proceedings, options: Mapping[str, Any]) -> bytes:
    return render_proceedings(proceedings).encode("utf-8")
