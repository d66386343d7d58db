"""The HTML redline: the new version as one page, with every difference from the old
version marked: ``<ins>`` and ``<del>`` for words, and for paragraphs, items, questions,
table items and header lines added or removed (then the whole element is marked, class
``inserted`` or ``deleted``); words whose bold, italic or code changed in a
``<span class="reformatted">`` that says the old look. A legend at the top says who
made the changes, when, and how many.

The page is laid out like the summary's page (the same stylesheet, the same headings,
numbered paragraphs and closing table); blocks and words are aligned by
:func:`gfmdreport.diff.align` and :func:`gfmdreport.redline.run_changes`, as in the Word
redline.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Sequence

from gfmdreport import typography
from gfmdreport.diff import Pair
from gfmdreport.diff import align
from gfmdreport.diff import counts
from gfmdreport.diff import diff
from gfmdreport.inline import Run
from gfmdreport.inline import link_target
from gfmdreport.inline import runs
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time_range
from gfmdreport.labels import summary_labels
from gfmdreport.model import Heading
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.redline import Edit
from gfmdreport.redline import run_changes

CSS = """
ins, .inserted { color: #0b5d1e; background: #e3f4e6; text-decoration: underline; }
del, .deleted { color: #9b1c1c; background: #fbe6e6; text-decoration: line-through; }
li.deleted { list-style-type: none; }
.reformatted { background: #fff4cc; border-bottom: 2px dotted #8a6d00; }
.redline-legend { border: 1px solid #c5ccd3; padding: 0.5em 1em; margin-bottom: 1.5em;
  font-size: 0.9em; }
.redline-legend span + span::before { content: " · "; }
"""


class _Side:
    def __init__(self, summary: SessionSummary):
        self.summary = summary
        self.language = summary.language
        self.labels = summary_labels(summary)

    def runs(self, source: str | None) -> list[Run] | None:
        if source is None:
            return None
        return [Run(typography.apply(r.text, self.language), r.bold, r.italic, r.code,
                    r.href, r.line_break) for r in runs(source)]

    def details(self) -> list[Run]:
        s = self.summary
        when = []
        if s.date:
            when.append(format_date(s.date, self.language, self.labels))
        if s.time:
            when.append(format_time_range(s.start_time, s.end_time, self.language,
                                          self.labels))
        out = [Run(", ".join(when))] if when else []
        if s.venue:
            out += [Run(", ")] if when else []
            out.append(Run(s.venue))
        return out

    def question(self, block: Question | None) -> list[Run] | None:
        if block is None:
            return None
        label = typography.apply(f"{self.labels['question']} {block.number}:", self.language)
        return [Run(label + " "), *(self.runs(block.text) or [])]


def _look(run: Run) -> str:
    names = [n for n, on in (("bold", run.bold), ("italic", run.italic), ("code", run.code))
             if on]
    return " and ".join(names) or "plain"


def _run_html(run: Run) -> str:
    if run.line_break:
        return "<br>"
    text = html.escape(run.text, quote=False)
    if run.code:
        text = f"<code>{text}</code>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    return text


def edits_html(edits: Sequence[Edit]) -> str:
    """Word-level changes as HTML; links kept (by the link policy) around their words."""
    out: list[str] = []
    href: str | None = None
    for edit in edits:
        run = edit.new if edit.new is not None else edit.old
        assert run is not None
        target = link_target(run.href) if run.href is not None else None
        if target != href:
            if href is not None:
                out.append("</a>")
            if target is not None:
                out.append(f'<a href="{html.escape(target)}">')
            href = target
        piece = _run_html(run)
        if edit.op == "insert":
            piece = f"<ins>{piece}</ins>"
        elif edit.op == "delete":
            piece = f"<del>{piece}</del>"
        elif edit.op == "format":
            assert edit.old is not None
            piece = (f'<span class="reformatted" title="was {_look(edit.old)}">'
                     f"{piece}</span>")
        out.append(piece)
    if href is not None:
        out.append("</a>")
    return "".join(out)


def _state(a, b) -> str:
    return ' class="inserted"' if a is None else ' class="deleted"' if b is None else ""


class _Page:
    def __init__(self, old: SessionSummary, new: SessionSummary):
        self.before, self.after = _Side(old), _Side(new)
        self.out: list[str] = []

    def text(self, a: list[Run] | None, b: list[Run] | None) -> str:
        return edits_html(run_changes(a or [], b or []))

    def items(self, pairs: Sequence[Pair], tag: str = "ul", cls: str = "") -> None:
        if not pairs:
            return
        attributes = (f' class="{cls}"' if cls else "") + (' type="a"' if tag == "ol" else "")
        self.out.append(f"<{tag}{attributes}>")
        for pair in pairs:
            a, b = pair.old, pair.new
            self.out.append(f"<li{_state(a, b)}>" + self.text(
                self.before.runs(a.text if a else None),
                self.after.runs(b.text if b else None)))
            self.items(pair.parts)
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def page(self, legend: str) -> str:
        s = self.after.summary
        out = self.out
        out.append(f'<article class="gfmd-summary" lang="{html.escape(s.language)}">')
        out.append(legend)
        out.append('<header class="summary-header">')
        for key in ("title", "session"):
            a = getattr(self.before.summary, key) or None
            b = getattr(s, key) or None
            if a or b:
                out.append(f'<h1{_state(a, b)}><span class="{key}">'
                           + self.text([Run(a)] if a else None, [Run(b)] if b else None)
                           + "</span></h1>")
        a_details, b_details = self.before.details(), self.after.details()
        if a_details or b_details:
            state = _state(a_details or None, b_details or None)
            out.append(f'<p class="when{state[8:-1] and " " + state[8:-1]}">'
                       + self.text(a_details, b_details) + "</p>")
        out.append("</header>")
        numbers = {"old": 0, "new": 0}
        in_list = False
        for pair in align(self.before.summary, s):
            a, b = pair.old, pair.new
            block = b if b is not None else a
            if isinstance(block, Paragraph):
                if not in_list:
                    out.append('<ol class="paragraphs">')
                    in_list = True
                number = ""
                if b is not None:
                    numbers["new"] += 1
                    number = f' value="{numbers["new"]}"'
                out.append(f"<li{_state(a, b)}{number}>" + self.text(
                    self.before.runs(a.text if a else None),
                    self.after.runs(b.text if b else None)))
                self.items(pair.parts, "ol", "letters")
                out.append("</li>")
                continue
            if in_list:
                out.append("</ol>")
                in_list = False
            if isinstance(block, Heading):
                out.append(f"<h2{_state(a, b)}>" + self.text(
                    self.before.runs(a.text if a else None),
                    self.after.runs(b.text if b else None)) + "</h2>")
            elif isinstance(block, Question):
                out.append(f'<section class="question"><h2{_state(a, b)}>' + self.text(
                    self.before.question(a), self.after.question(b)) + "</h2>")
                self.items(pair.parts, "ul", "takeaways")
                out.append("</section>")
            elif isinstance(block, SummaryTable):
                self.table(pair)
        if in_list:
            out.append("</ol>")
        out.append("</article>")
        return "\n".join(out)

    def table(self, pair: Pair) -> None:
        out = self.out
        state = _state(pair.old, pair.new)[8:-1]
        out.append(f'<div class="table-wrap"><table class="summary-table'
                   f'{state and " " + state}">')
        out.append(f"<caption>{html.escape(self.after.labels['summary_table'])}</caption>")
        out.append("<thead><tr>")
        for column in pair.parts:
            x, y = column.old, column.new
            out.append("<th scope=\"col\">" + self.text(
                self.before.runs(x.heading if x else None),
                self.after.runs(y.heading if y else None)) + "</th>")
        out.append("</tr></thead><tbody><tr>")
        for column in pair.parts:
            out.append("<td>")
            self.items(column.parts)
            out.append("</td>")
        out.append("</tr></tbody></table></div>")


def redline_html(old: SessionSummary, new: SessionSummary, *, author: str,
                 date: _dt.datetime, css: str) -> str:
    """The page of the redline from ``old`` to ``new``."""
    tally = counts(diff(old, new))
    total = sum(tally.values())
    when = date.strftime("%Y-%m-%d %H:%M UTC")
    legend = ('<aside class="redline-legend" aria-label="Changes">'
              f"<span>Changes by {html.escape(author)}, {when}</span>"
              "<span><ins>inserted</ins></span><span><del>deleted</del></span>"
              '<span><span class="reformatted">formatting changed</span></span>'
              f"<span>{total} change{'' if total == 1 else 's'}: "
              f"{tally['added']} added, {tally['removed']} removed, "
              f"{tally['changed']} changed</span></aside>")
    body = _Page(old, new).page(legend)
    title = html.escape(f"Changes: {new.session or new.title or 'summary'}")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(new.language)}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="viewport" '
            f'content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>{css}{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
            "</body>\n</html>\n")
