"""What the redline tests share: the hand-made edits of the example, reading a Word
package back with or without its embedded model, and a readable account of a redline's
tracked changes (the golden files in tests/golden/redline)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from gfmdreport import SessionSummary
from gfmdreport import load
from gfmdreport import loads
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SummaryTable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/gcm-cluster-3.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
OPTIONS = {"author": "A. Reviewer", "date": DATE}


def example() -> SessionSummary:
    return load(EXAMPLE)


def _body(summary: SessionSummary, body) -> SessionSummary:
    return replace(summary, body=tuple(body))


def one_word(s: SessionSummary) -> SessionSummary:
    body = list(s.body)
    body[1] = replace(body[1], text=body[1].text.replace("major recent", "major new", 1))
    return _body(s, body)


def paragraph_inserted(s: SessionSummary) -> SessionSummary:
    body = list(s.body)
    body.insert(2, Paragraph("The Chair welcomed the delegations of **Ghana** and Mexico."))
    return _body(s, body)


def question_deleted(s: SessionSummary) -> SessionSummary:
    body = list(s.body)
    second = [i for i, b in enumerate(body) if isinstance(b, Question)][1]
    del body[second]
    return _body(s, body)


def table_item_added(s: SessionSummary) -> SessionSummary:
    body = list(s.body)
    at = next(i for i, b in enumerate(body) if isinstance(b, SummaryTable))
    columns = list(body[at].columns)
    columns[1] = replace(columns[1], items=(*columns[1].items,
                                            Item("Regular reviews of regional processes")))
    body[at] = replace(body[at], columns=tuple(columns))
    return _body(s, body)


def header_field_changed(s: SessionSummary) -> SessionSummary:
    return replace(s, venue="Palais des Nations, Geneva")


def formatting_changed(s: SessionSummary) -> SessionSummary:
    body = list(s.body)
    body[0] = replace(body[0], text=body[0].text.replace("Mr. Ola Henrikson",
                                                         "**Mr. Ola Henrikson**", 1))
    return _body(s, body)


EDITS = {f.__name__: f for f in (one_word, paragraph_inserted, question_deleted,
                                 table_item_added, header_field_changed,
                                 formatting_changed)}


def without_model(data: bytes) -> bytes:
    """The package without the parts that carry the model: read, it is what the
    document shows alone."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("customXml/"):
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def shown(data: bytes) -> dict:
    """What a Word package shows, read by its structure alone, as the interchange
    dict."""
    return loads(without_model(data), "docx").to_dict()


def document(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def account(data: bytes) -> str:
    """The redline's changes as lines a person reads: each paragraph that holds a
    change, numbered among the body's paragraphs (tables' too), with its style, ``¶+``
    or ``¶-`` when the paragraph itself is inserted or deleted, and its text with
    ``{+inserted+}``, ``[-deleted-]`` and ``<~reformatted: old → new~>``; rows inserted
    or deleted as ``row+`` / ``row-``."""
    root = document(data)
    lines = []
    for n, p in enumerate(root.iter(W + "p"), 1):
        style = p.find(f"{W}pPr/{W}pStyle")
        mark = p.find(f"{W}pPr/{W}rPr")
        marks = "" if mark is None else "".join(
            {"ins": " ¶+", "del": " ¶-"}.get(etree.QName(m).localname, "") for m in mark)
        text, changed = [], bool(marks)
        for r in p.iter(W + "r"):
            if r.getparent().tag == W + "rPrChange":
                continue
            words = "".join(t.text or "" for t in r.iter(W + "t", W + "delText")) + \
                "".join("⏎" for _ in r.iter(W + "br"))
            parent = r.getparent().tag
            change = r.find(f"{W}rPr/{W}rPrChange")
            if parent == W + "ins":
                text.append("{+" + words + "+}")
                changed = True
            elif parent == W + "del":
                text.append("[-" + words + "-]")
                changed = True
            elif change is not None:
                now = _look(r.find(W + "rPr"))
                was = _look(change.find(W + "rPr"))
                text.append(f"<~{words}: {was} → {now}~>")
                changed = True
            else:
                text.append(words)
        if changed:
            name = style.get(W + "val") if style is not None else "-"
            lines.append(f"{n} {name}{marks}: {''.join(text)}")
    for tr in root.iter(W + "tr"):
        for m in tr.findall(f"{W}trPr/*"):
            kind = etree.QName(m).localname
            if kind in ("ins", "del"):
                lines.append(f"row{'+' if kind == 'ins' else '-'}")
    return "\n".join(lines) + "\n"


def _look(rpr) -> str:
    if rpr is None:
        return "plain"
    names = [etree.QName(c).localname for c in rpr if etree.QName(c).localname != "rPrChange"]
    return "+".join(names) or "plain"


REVISION = re.compile(r"^(ins|del|rPrChange)$")


def revisions(data: bytes) -> list:
    """Every revision element of the main part."""
    return [el for el in document(data).iter()
            if isinstance(el.tag, str) and REVISION.match(etree.QName(el).localname)]
