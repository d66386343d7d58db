"""A Word report edited in the ways people edit it reads back with every edit, or with a
warning: never silently wrong (issue #16). Each case edits the XML as Word writes it.

- a line break (Shift+Enter) inside a table cell or a takeaway parts items, a typed
  bullet taken off, with a warning naming the cell or the takeaway;
- numbering switched off on a paragraph (``w:numId w:val="0"``): read as part of the
  paragraph the document shows it under, with a warning, and ``diff`` reports it;
- without the embedded model, French and Spanish chairs and rapporteurs keep their
  honorific, role and organisation, read from the sentences that name them;
- an embedded model edited apart from the document: the visible text wins, and one
  warning names the fields that differed;
- plain-text fields (a column heading ``São #``) come back unescaped.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.cli import main
from gfmdreport.model import Column
from gfmdreport.model import Item
from gfmdreport.model import SummaryTable

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MODEL_PART = re.compile(r"^customXml/item\d+\.xml$")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def pack(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()


def with_document(data: bytes, change) -> bytes:
    """The package with its main part's XML (as text) changed by ``change``."""
    members = parts(data)
    members["word/document.xml"] = change(members["word/document.xml"].decode()).encode()
    return pack(members)


def without_model(data: bytes) -> bytes:
    """The package without its custom XML parts (their relationships then dangle, as a
    program that drops them leaves them)."""
    return pack({n: b for n, b in parts(data).items() if not n.startswith("customXml/")})


def read(data: bytes):
    return loads(data, "docx", path="edited.docx")


def warnings(summary, rule: str) -> list[str]:
    return [d.message for d in summary.diagnostics if d.rule == rule]


def after_first(doc: str, marker: str, start: int = 0) -> int:
    """Where the text of the first ``w:t`` after ``marker`` begins."""
    at = doc.index("<w:t", doc.index(marker, start))
    return doc.index(">", at) + 1


@pytest.fixture(scope="module")
def english():
    return load(EXAMPLES / "gcm-cluster-3.yaml")


@pytest.fixture(scope="module")
def english_docx(english) -> bytes:
    return render(english, "docx")


# ---- line breaks ----------------------------------------------------------------------------

BREAK = '</w:t></w:r><w:r><w:br/><w:t xml:space="preserve">'


@pytest.mark.parametrize("marker", ["- ", "– ", "• ", ""])
def test_a_line_break_in_a_table_cell_parts_its_items(english, english_docx, marker):
    first = english.table.columns[0].items[0].text

    def change(doc: str) -> str:
        at = after_first(doc, "GFMDTableItem", doc.index("Points of Convergence"))
        return doc[:at] + "Typed on the first line" + BREAK + marker + doc[at:]

    back = read(with_document(english_docx, change))
    items = [i.text for i in back.table.columns[0].items]
    assert items[:2] == ["Typed on the first line", first]
    assert items[2:] == [i.text for i in english.table.columns[0].items[1:]]
    warned = warnings(back, "docx-line-break")
    assert len(warned) == 1
    assert "the cell of column 'Points of Convergence', row 1" in warned[0]
    assert "into 2 items" in warned[0]


def test_a_line_break_in_a_takeaway_parts_it(english, english_docx):
    takeaways = [t.text for t in english.questions[0].takeaways]

    def change(doc: str) -> str:
        at = after_first(doc, "GFMDTakeaway")
        return doc[:at] + "Alpha" + BREAK + "• " + doc[at:]

    back = read(with_document(english_docx, change))
    assert [t.text for t in back.questions[0].takeaways] == ["Alpha", *takeaways]
    warned = warnings(back, "docx-line-break")
    assert len(warned) == 1 and "takeaway 1 of question 1" in warned[0]


def test_a_line_break_in_a_numbered_paragraph_is_a_space(english, english_docx):
    """A paragraph is one text: Shift+Enter in it does not part it (docs/docx-readback.md:
    manual line breaks in a paragraph become spaces)."""
    def change(doc: str) -> str:
        at = after_first(doc, "GFMDNumberedParagraph")
        return doc[:at] + "Opening words" + BREAK + doc[at:]

    back = read(with_document(english_docx, change))
    assert back.paragraphs[0].text == "Opening words " + english.paragraphs[0].text
    assert len(back.paragraphs) == len(english.paragraphs)
    assert warnings(back, "docx-line-break") == []


# ---- numbering switched off ------------------------------------------------------------------

def numbering_off(doc: str, nth: int) -> str:
    """The ``nth`` (from 0) numbered paragraph with its numbering switched off, as Word
    writes it (``w:numId w:val="0"`` in the paragraph's own properties)."""
    at = -1
    for _ in range(nth + 1):
        at = doc.index("GFMDNumberedParagraph", at + 1)
    end = doc.index("</w:pPr>", at)
    own = re.sub(r'<w:numId w:val="\d+"/>', '<w:numId w:val="0"/>', doc[at:end], count=1)
    assert own != doc[at:end]
    return doc[:at] + own + doc[end:]


def test_a_paragraph_with_its_numbering_off_reads_as_part_of_the_one_above(
        english, english_docx, tmp_path, capsys):
    data = with_document(english_docx, lambda doc: numbering_off(doc, 1))
    back = read(data)
    first, second = english.paragraphs[:2]
    assert len(back.paragraphs) == len(english.paragraphs) - 1, \
        "the model has as many numbered paragraphs as the document shows numbers"
    assert back.paragraphs[0].text == f"{first.text}\\\n{second.text}"
    assert back.paragraphs[1:] == english.paragraphs[2:]
    warned = warnings(back, "docx-unnumbered")
    assert len(warned) == 1 and "under paragraph 1" in warned[0]

    notes = tmp_path / "notes.yaml"
    notes.write_text((EXAMPLES / "gcm-cluster-3.yaml").read_text("utf-8"), "utf-8")
    report = tmp_path / "edited.docx"
    report.write_bytes(data)
    with pytest.raises(SystemExit) as done:
        main(["diff", "--format", "json", "-q", str(notes), str(report)])
    assert done.value.code == 1
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert {(c["kind"], c["what"]) for c in changes} == {("removed", "paragraph"),
                                                          ("changed", "paragraph")}


def test_numbering_off_on_the_first_paragraph_keeps_it_numbered_and_says_so(
        english, english_docx):
    back = read(with_document(english_docx, lambda doc: numbering_off(doc, 0)))
    assert back.paragraphs == english.paragraphs
    warned = warnings(back, "docx-unnumbered")
    assert len(warned) == 1 and "paragraph 1 has its numbering switched off" in warned[0]


# ---- people without the embedded model --------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_people_are_read_from_their_sentences(language, tmp_path):
    summary = load(EXAMPLES / f"gcm-cluster-3.{language}.yaml")
    back = read(without_model(render(summary, "docx")))
    for ours, theirs in ((back.chairs, summary.chairs),
                         (back.rapporteurs, summary.rapporteurs)):
        assert [(p.honorific, p.name, p.organization) for p in ours] == \
            [(p.honorific, p.name, p.organization) for p in theirs]
        assert all(p.role for p in ours)
    # the chair's role is given whole in the sentence, as the model has it
    assert back.chairs[0].role == summary.chairs[0].role
    assert back.rapporteurs[1].role == summary.rapporteurs[1].role
    # and the report renders again from what was read
    assert render(back, "md")


# ---- an embedded model that contradicts the document --------------------------------------

def edit_model(data: bytes, change) -> bytes:
    members = parts(data)
    (name,) = [n for n in members if MODEL_PART.match(n)]
    xml = members[name].decode()
    m = re.search(r">(\{.*\})<", xml, re.S)
    model = json.loads(html.unescape(m.group(1)))
    change(model)
    text = json.dumps(model, ensure_ascii=False).replace("&", "&amp;").replace("<", "&lt;")
    members[name] = (xml[:m.start(1)] + text + xml[m.end(1):]).encode()
    return pack(members)


def test_a_model_edited_apart_from_the_document_loses_to_the_visible_text(english,
                                                                         english_docx):
    def change(model):
        model["rapporteurs"].append({"name": "Jane Doe", "role": "Rapporteur",
                                     "organization": "UNHCR"})
        model.setdefault("labels", {})["question"] = "Pregunta"
        model["venue"] = "Palais des Nations"
        model["body"][0]["text"] = "A paragraph the document never shows."

    back = read(edit_model(english_docx, change))
    assert back.venue == english.venue
    assert back.labels == english.labels
    assert [p.name for p in back.rapporteurs] == [p.name for p in english.rapporteurs]
    assert back.body == english.body
    (changed,) = warnings(back, "docx-model-changed")
    for field in ("venue changed", "label 'question' removed",
                  "rapporteur Jane Doe removed", "paragraph 1"):
        assert field in changed, field
    assert any("Jane Doe" in m for m in warnings(back, "docx-people"))


def test_an_unedited_model_gives_no_warning(english, english_docx):
    back = read(english_docx)
    assert not [d for d in back.diagnostics if d.rule.startswith("docx-")]
    assert back.to_dict() == english.to_dict()


# ---- plain text stays plain -------------------------------------------------------------------

@pytest.mark.parametrize("drop_model", [False, True], ids=["model", "no-model"])
def test_a_column_heading_with_markdown_characters_comes_back_unescaped(english,
                                                                       drop_model):
    columns = (Column("São #", (Item("One"),)), Column("Nº 1 > 2 & snake_case", (Item("Two"),)),
               Column("Tom & Jerry <3", (Item("Three"),)))
    body = tuple(b for b in english.body if not isinstance(b, SummaryTable))
    summary = replace(english, body=(*body, SummaryTable(columns)))
    data = render(summary, "docx")
    back = read(without_model(data) if drop_model else data)
    assert [c.heading for c in back.table.columns] == ["São #", "Nº 1 > 2 & snake_case",
                                                       "Tom & Jerry <3"]
