"""The Word redline as a property, on generated pairs of summaries (tests/strategies.py):
accepting every change gives the new report, rejecting every change the old one.

The new version is drawn either as edits of the old one (blocks, items and words
removed, added, rewritten, reformatted; metadata changed) or as another summary
altogether, in the same language (a redline cannot track the language of the styles).
"Gives the report" means: read back with the model embedded, exactly the new model;
read by its structure alone, exactly what the version's own report shows read the same
way (a generated summary's people, say, are shown nowhere in its report).

``GFMDREPORT_PROPERTY_EXAMPLES`` (default 60) sets the number of pairs.
"""

from __future__ import annotations

import os
from dataclasses import replace

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from redline_support import OPTIONS
from redline_support import revisions
from redline_support import shown
from strategies import blocks
from strategies import inline_texts
from strategies import plain_texts
from strategies import summaries

from gfmdreport import loads
from gfmdreport import render
from gfmdreport.formats.docx.ooxml.revisions import resolve_package
from gfmdreport.formats.docx.write import render_redline
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SummaryTable

EXAMPLES = int(os.environ.get("GFMDREPORT_PROPERTY_EXAMPLES", "60"))
PROFILE = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    derandomize=os.environ.get("GFMDREPORT_PROPERTY_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EDITED = ("docx-edited", "docx-model", "docx-model-changed")


@st.composite
def edited_text(draw, text: str) -> str:
    words = text.split(" ")
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "bold"]))
        k = draw(st.integers(0, max(len(words) - 1, 0)))
        if op == "replace" and words:
            words[k] = draw(inline_texts(1, 2))
        elif op == "insert":
            words.insert(k, draw(inline_texts(1, 2)))
        elif op == "delete" and len(words) > 1:
            del words[k]
        elif op == "bold" and words and "*" not in words[k] and "`" not in words[k] \
                and "[" not in words[k]:
            words[k] = f"**{words[k]}**"
    return " ".join(words)


@st.composite
def edited_items(draw, items: tuple[Item, ...], depth: int = 1) -> tuple[Item, ...]:
    out = []
    for item in items:
        choice = draw(st.sampled_from(["keep", "keep", "drop", "edit"]))
        if choice == "drop":
            continue
        if choice == "edit":
            nested = draw(edited_items(item.items, depth - 1)) if depth > 0 else item.items
            item = Item(draw(edited_text(item.text)), nested)
        out.append(item)
        if draw(st.integers(0, 4)) == 0:
            out.append(Item(draw(inline_texts())))
    return tuple(out)


@st.composite
def edited_block(draw, block):
    if isinstance(block, Paragraph):
        return replace(block, text=draw(edited_text(block.text)),
                       items=draw(edited_items(block.items)))
    if isinstance(block, Question):
        number = draw(st.one_of(st.just(block.number), st.integers(1, 99)))
        takeaways = draw(edited_items(block.takeaways, 2)) or block.takeaways
        return replace(block, number=number, text=draw(edited_text(block.text)),
                       takeaways=takeaways)
    if isinstance(block, SummaryTable):
        columns = [replace(c, heading=draw(st.one_of(st.just(c.heading),
                                                     edited_text(c.heading))),
                           items=draw(edited_items(c.items)))
                   for c in block.columns]
        if draw(st.integers(0, 5)) == 0 and len(columns) > 1:
            columns.pop()
        return replace(block, columns=tuple(columns))
    return replace(block, text=draw(edited_text(block.text)))


@st.composite
def edited(draw, old):
    body = []
    kinds = blocks()
    for block in old.body:
        choice = draw(st.sampled_from(["keep", "keep", "drop", "edit", "edit"]))
        if choice != "drop":
            body.append(draw(edited_block(block)) if choice == "edit" else block)
        if draw(st.integers(0, 4)) == 0:
            body.append(draw(st.one_of(*kinds.values())))
    meta = {}
    for key in ("title", "session", "venue"):
        if draw(st.integers(0, 3)) == 0:
            meta[key] = draw(st.one_of(st.just(""), plain_texts()))
    if draw(st.integers(0, 3)) == 0:
        meta["date"] = draw(st.sampled_from(["", "2019-12-04", old.date]))
    return replace(old, body=tuple(body), **meta)


@st.composite
def pairs(draw):
    old = draw(summaries(max_blocks=3))
    if draw(st.integers(0, 3)) == 0:
        new = replace(draw(summaries(max_blocks=3)), language=old.language)
    else:
        new = draw(edited(old))
    return old, new


@PROFILE
@given(pairs())
def test_accepting_gives_the_new_report_and_rejecting_the_old(pair):
    old, new = pair
    data = render_redline(old, new, OPTIONS)
    accepted = resolve_package(data, accept=True)
    rejected = resolve_package(data, accept=False)
    assert not revisions(accepted) and not revisions(rejected)
    again = loads(accepted, "docx")
    assert again.to_dict() == new.to_dict()
    assert not [str(d) for d in again.diagnostics if d.rule in EDITED]
    assert shown(accepted) == shown(render(new, "docx"))
    assert shown(rejected) == shown(render(old, "docx"))
