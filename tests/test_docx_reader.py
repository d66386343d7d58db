"""Reading back the Word documents gfmdreport writes: unedited (exactly the embedded
model), and edited with python-docx as an officer would in Word (the edits come back)."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.cli import main
from gfmdreport.formats.docx.read.markup import comparable
from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

from conftest import EXAMPLES
from conftest import all_texts

EXAMPLE_FILES = sorted(EXAMPLES.glob("gcm-cluster-3*.yaml"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, path: str = "summary.docx") -> SessionSummary:
    return loads(data, "docx", path=path)


def rules(summary: SessionSummary) -> list[str]:
    return [d.rule for d in summary.diagnostics]


def without_model(data: bytes) -> bytes:
    """The document with its embedded model taken out (as another program might)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename.startswith("customXml/"):
                continue
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                blob = re.sub(rb"<(?:Relationship|Override)[^>]*customXml[^>]*/>", b"", blob)
            zf.writestr(info.filename, blob)
    return out.getvalue()


def edit(data: bytes, change) -> bytes:
    """The document after ``change(document)`` (python-docx), saved again."""
    document = docx.Document(io.BytesIO(data))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraph(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


@pytest.fixture(scope="module")
def example_docx(example) -> bytes:
    return render(example, "docx")


# ---- unedited: exactly the embedded model ---------------------------------------------

@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("toc", [False, True], ids=["plain", "toc"])
def test_an_unedited_document_reads_back_as_its_model(path, toc):
    summary = load(path)
    back = read(render(summary, "docx", toc=toc))
    assert back.to_dict() == summary.to_dict()
    assert back.diagnostics == ()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_the_content_alone_gives_the_body_and_metadata(path):
    """Without the embedded model the style contract alone gives the same body, title,
    date, time and venue (the people come from the sentences that name them)."""
    summary = load(path)
    back = read(without_model(render(summary, "docx")))
    assert [b.type for b in back.body] == [b.type for b in summary.body]
    for ours, theirs in zip(all_texts(back), all_texts(summary), strict=True):
        assert comparable(ours) == comparable(_typeset(theirs, summary.language))
    assert (back.date, back.time, back.venue) == (summary.date, summary.time, summary.venue)
    assert (back.title, back.session) == (summary.title, summary.session)
    assert back.language == summary.language
    if summary.language == "en":
        assert back.to_dict() == summary.to_dict()


def _typeset(text: str, language: str) -> str:
    from gfmdreport.typography import apply

    return apply(text, language)


def test_markup_nesting_and_awkward_text_survive_without_the_model():
    summary = SessionSummary(
        title="Markup", session="Session 1: checks", date="2024-03-01",
        start_time="09:00", end_time="10:15", venue="Room *B* [2]", language="en",
        body=(
            Paragraph("Text with **bold**, *italic*, ***both***, `code`, a "
                      "[link](https://example.org/a_(b)) and \\*stars\\* \\_under\\_ "
                      "\\[brackets\\] \\<angles\\> \\&amp; and a back\\\\slash.",
                      (Item("first", (Item("deeper", (Item("deepest"),)),)), Item("second"))),
            Heading("A *heading*"),
            Question(1, "Why **now**?", (Item("a take", (Item("nested take"),)),
                                         Item("other"))),
            SummaryTable((Column("Points of Convergence", (Item("x", (Item("y"),)),)),)),
        ))
    back = read(without_model(render(summary, "docx")))
    for ours, theirs in zip(all_texts(back), all_texts(summary), strict=True):
        assert comparable(ours) == comparable(theirs)
    assert back.body[0].items[0].items[0].items[0].text == "deepest"
    assert back.body[2].takeaways[0].items[0].text == "nested take"
    assert back.body[3].columns[0].items[0].items[0].text == "y"
    assert back.venue == "Room *B* [2]"
    exact = read(render(summary, "docx"))
    assert exact.to_dict() == summary.to_dict()


def test_text_the_writer_had_to_clean_still_reads_back_exactly():
    summary = SessionSummary(
        title="Clean\x07", session="S", date="2024-01-01", language="en",
        body=(Paragraph("bell\x07 and [a shell link](ssh://host/x)"),))
    assert read(render(summary, "docx")).to_dict() == summary.to_dict()


def test_an_empty_item_of_an_unedited_document_is_kept():
    summary = SessionSummary(title="T", body=(Question(1, "Q?", (Item(""), Item("b"))),))
    assert read(render(summary, "docx")).to_dict() == summary.to_dict()


def test_locations_are_paragraph_ordinals(example_docx):
    back = read(example_docx, "report.docx")
    assert back.locations["title"].line == 1
    assert back.locations["venue"].line == 3
    first = back.body[0]
    assert (first.loc.path, first.loc.line) == ("report.docx", 4)
    heading = back.body[2]
    assert heading.loc.line == 6  # after two numbered paragraphs
    assert str(first.loc) == "report.docx:4:1"


# ---- edited in Word -------------------------------------------------------------------

def _officer_edits(document) -> None:
    """What an officer does: insert a paragraph, reword a takeaway, add a table item,
    delete question 3, change the venue."""
    paragraph(document, "The Chair opened the floor").insert_paragraph_before(
        "The Co-Chair thanked the rapporteurs for their preparatory work.",
        style="GFMD Numbered Paragraph")
    takeaway = paragraph(document, "There was also strong acknowledgement")
    for run in takeaway.runs:
        run.text = run.text.replace("strong acknowledgement", "broad acknowledgement")
    document.tables[0].rows[1].cells[1].add_paragraph(
        "Establish a *peer-review* mechanism", style="GFMD Table Item")
    question = paragraph(document, "Question 3:")._p
    doomed = [question]
    nxt = question.getnext()
    while nxt is not None and nxt.tag == qn("w:p") and nxt.find(
            f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "GFMDTakeaway":
        doomed.append(nxt)
        nxt = nxt.getnext()
    for element in doomed:
        element.getparent().remove(element)
    details = next(p for p in document.paragraphs if p.style.name == "GFMD Session Details")
    details.runs[-1].text = "Palais des Nations, Room XVII"


@pytest.fixture(scope="module")
def edited_docx(example_docx) -> bytes:
    return edit(example_docx, _officer_edits)


def test_the_edits_come_back(example, edited_docx):
    back = read(edited_docx)
    assert back.venue == "Palais des Nations, Room XVII"
    assert (back.date, back.time) == (example.date, example.time)
    paragraphs = [p.text for p in back.paragraphs]
    assert paragraphs[3] == "The Co-Chair thanked the rapporteurs for their preparatory work."
    assert len(paragraphs) == len(example.paragraphs) + 1
    assert [q.number for q in back.questions] == [1, 2]
    assert back.questions[0].takeaways[1].text.startswith("There was also broad "
                                                         "acknowledgement of the role")
    table = back.table
    assert [i.text for i in table.columns[1].items] == [
        "U", "Establish a \\*peer-review\\* mechanism"]
    # Untouched text keeps the model's exact source; hidden metadata comes from it.
    assert back.paragraphs[1].text == example.paragraphs[1].text
    assert back.chairs == example.chairs and back.rapporteurs == example.rapporteurs
    assert back.chairs[0].role == "Director General for Migration and Asylum"
    edited = [d for d in back.diagnostics if d.rule == "docx-edited"]
    assert len(edited) == 1
    message = edited[0].message
    for place in ("venue changed", "paragraph 4 added", "question 1, takeaway 2 changed",
                  "question 3 removed", "item 2 added"):
        assert place in message
    assert "the document wins" in message


def test_an_edit_is_located_at_its_paragraph(edited_docx):
    back = read(edited_docx, "edited.docx")
    inserted = back.paragraphs[3]
    assert inserted.loc.path == "edited.docx"
    document = docx.Document(io.BytesIO(edited_docx))
    texts = [p.text for p in _all_paragraphs(document)]
    assert texts[inserted.loc.line - 1] == inserted.text


def _all_paragraphs(document):
    """Every paragraph in document order, those in tables included."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield DocxParagraph(child, document)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def test_render_of_an_edited_document_gives_the_updated_notes(edited_docx, tmp_path,
                                                               capsysbinary):
    source = tmp_path / "edited.docx"
    source.write_bytes(edited_docx)
    out = tmp_path / "notes.md"
    with pytest.raises(SystemExit) as done:
        main(["render", str(source), "-t", "md", "-o", str(out)])
    assert done.value.code in (None, 0)
    notes = out.read_text(encoding="utf-8")
    assert "venue: Palais des Nations, Room XVII" in notes
    assert "The Co-Chair thanked the rapporteurs" in notes
    assert "broad acknowledgement" in notes and "strong acknowledgement" not in notes
    assert "Question 3" not in notes
    assert "- Establish a \\*peer-review\\* mechanism" in notes
    assert "role: Director General for Migration and Asylum" in notes
    err = capsysbinary.readouterr().err.decode()
    assert "warning[docx-edited]" in err
    yaml_out = tmp_path / "notes.yaml"
    with pytest.raises(SystemExit):
        main(["render", str(source), "-o", str(yaml_out)])
    assert load(yaml_out).to_dict() == read(edited_docx).to_dict()


def test_a_new_chair_named_in_the_text_wins_over_the_model(example_docx):
    def change(document):
        first = paragraph(document, "The above-entitled working session")
        for run in first.runs:
            run.text = run.text.replace(
                "Mr. Ola Henrikson, Director General for Migration and Asylum from the "
                "Swedish Ministry of Justice",
                "Ms. Ana Pérez, Deputy Director of the Migration Office of Chile")
        for p in document.paragraphs:
            for run in p.runs:
                run.text = run.text.replace("Mr. Ola Henrikson", "Ms. Ana Pérez")

    back = read(edit(example_docx, change))
    assert [c.name for c in back.chairs] == ["Ana Pérez"]
    assert back.chairs[0].honorific == "Ms."
    assert back.chairs[0].loc.line == 4
    assert [r.name for r in back.rapporteurs] == ["Steffen Angenendt",
                                                 "Michelle Klein-Solomon"]
    assert back.rapporteurs[0].role == "GCM rapporteur"
    people = [d.message for d in back.diagnostics if d.rule == "docx-people"]
    assert any("Ola Henrikson" in m and "no longer named" in m for m in people)
    assert any("Ana Pérez" in m and "added" in m for m in people)


def test_people_the_text_never_named_stay(example):
    from dataclasses import replace

    from gfmdreport import Person

    summary = replace(example, chairs=(*example.chairs, Person("Jane Roe", "Ms.")))
    data = edit(render(summary, "docx"), lambda d: paragraph(
        d, "The Chair opened").insert_paragraph_before("More.", style="GFMD Numbered "
                                                       "Paragraph"))
    assert [c.name for c in read(data).chairs] == ["Ola Henrikson", "Jane Roe"]


def test_a_formatting_edit_alone_is_read_and_reported(example_docx):
    def change(document):
        target = paragraph(document, "Mr. Angenendt highlighted")
        target.runs[0].bold = True

    back = read(edit(example_docx, change))
    assert back.paragraphs[2].text.startswith("**Mr. Angenendt highlighted")
    warning = next(d for d in back.diagnostics if d.rule == "docx-edited")
    assert "styles, lists or formatting were changed" in warning.message


def test_a_takeaway_moved_one_level_down_nests(example_docx):
    def change(document):
        takeaway = paragraph(document, "There was also strong acknowledgement")
        takeaway._p.pPr.numPr.ilvl.val = 1

    back = read(edit(example_docx, change))
    takeaways = back.questions[0].takeaways
    assert len(takeaways) == 2
    assert takeaways[0].items[0].text.startswith("There was also strong")


def test_a_question_typed_in_word_keeps_its_number(example_docx):
    def change(document):
        q = paragraph(document, "Question 2:")
        q.insert_paragraph_before("Question 2: Where next?", style="Heading 2")
        for p in document.paragraphs:
            if p.text.startswith("Question 2: How"):
                for run in p.runs:
                    run.text = run.text.replace("Question 2:", "Question 3:")

    back = read(edit(example_docx, change))
    assert [q.number for q in back.questions] == [1, 2, 3, 3]
    assert back.questions[1].text == "Where next?"
    assert back.questions[1].takeaways == ()
    assert any(d.rule == "docx-numbering" for d in back.diagnostics)


@pytest.mark.parametrize("style", ["Heading 1", "Heading 2"])
def test_a_section_heading_added_in_word_is_a_heading_not_a_second_title(example_docx,
                                                                        style):
    """The report's title is its first Heading 1; a heading added further down, in
    Heading 1 or Heading 2, is a section heading."""
    def change(document):
        paragraph(document, "The Chair opened").insert_paragraph_before(
            "Closing remarks", style=style)

    back = read(edit(example_docx, change))
    assert back.title == "GFMD Thematic Workshop on GFMD's contribution to the GCM"
    headings = [b.text for b in back.body if isinstance(b, Heading)]
    assert headings == ["Overview on the GFMD Report's Chapter on GCM Cluster 3",
                        "Closing remarks"]


def test_a_paragraph_in_another_style_is_kept_and_reported(example_docx):
    def change(document):
        paragraph(document, "The Chair opened").insert_paragraph_before(
            "Typed in the Normal style, this sentence is long enough to be a paragraph.",
            style="Normal")

    back = read(edit(example_docx, change), "x.docx")
    assert back.paragraphs[3].text.startswith("Typed in the Normal style")
    note = next(d for d in back.diagnostics if d.rule == "docx-unplaced")
    assert "'Normal'" in note.message and note.location.line == 12


def test_tracked_changes_read_as_accepted(example_docx):
    def change(document):
        target = paragraph(document, "Mr. Angenendt highlighted")
        run = target.runs[0]._r
        ins = copy.deepcopy(run)
        ins.find(qn("w:t")).text = "Inserted words. "
        wrapper = docx.oxml.OxmlElement("w:ins")
        wrapper.set(qn("w:id"), "1")
        wrapper.set(qn("w:author"), "Officer")
        wrapper.append(ins)
        run.addprevious(wrapper)
        deleted = copy.deepcopy(run)
        text = deleted.find(qn("w:t"))
        text.tag = qn("w:delText")
        text.text = "Deleted words. "
        gone = docx.oxml.OxmlElement("w:del")
        gone.set(qn("w:id"), "2")
        gone.set(qn("w:author"), "Officer")
        gone.append(deleted)
        run.addprevious(gone)

    back = read(edit(example_docx, change))
    text = back.paragraphs[2].text
    assert text.startswith("Inserted words. Mr. Angenendt highlighted")
    assert "Deleted words" not in text
    assert "docx-tracked-changes" in rules(back)


def test_a_damaged_model_part_leaves_the_text_to_read(example, example_docx):
    src = zipfile.ZipFile(io.BytesIO(example_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename.startswith("customXml/item") and b"urn:gfmdreport" in blob:
                blob = blob.replace(b'{"title"', b'{"title" oops', 1)
            zf.writestr(info.filename, blob)
    back = read(out.getvalue())
    note = next(d for d in back.diagnostics if d.rule == "docx-model")
    assert "not valid JSON" in note.message
    assert back.to_dict() == example.to_dict()  # the content says the same


def test_a_french_document_keeps_its_typography_where_it_was_edited():
    summary = load(EXAMPLES / "gcm-cluster-3.fr.yaml")

    def change(document):
        paragraph(document, "À la fin de la séance").insert_paragraph_before(
            "Une phrase ajoutée : pourquoi pas ?", style="GFMD Numbered Paragraph")

    back = read(edit(render(summary, "docx"), change))
    added = [p for p in back.paragraphs if p.text.startswith("Une phrase")]
    assert added[0].text == "Une phrase ajoutée : pourquoi pas ?"
    kept = [p.text for p in back.paragraphs if not p.text.startswith("Une phrase")]
    assert kept == [p.text for p in summary.paragraphs]
    assert back.session == summary.session
    assert back.questions == summary.questions


def test_a_french_question_that_opens_on_a_no_break_space_keeps_it():
    """French typography puts a no-break space before a "»" that opens a question's
    words; after "Question 1 :", the space the writer adds is taken off, the text's own
    no-break space is not."""
    summary = SessionSummary(title="Atelier", session="Séance", date="2017-09-06",
                             language="fr", body=(
                                 Paragraph("Un paragraphe."),
                                 Question(1, "» suite", (Item("Oui."),)),
                                 Question(2, "Et après ?", (Item("Non."),))))
    back = read(without_model(render(summary, "docx")))
    assert [q.text for q in back.questions] == ["\u00a0» suite", "Et après\u202f?"]


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_a_document_saved_again_by_libreoffice_reads_the_same(edited_docx, tmp_path):
    """Another word processor rewrites every part: the content and the model survive."""
    source = tmp_path / "edited.docx"
    source.write_bytes(edited_docx)
    out = tmp_path / "out"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                    str(source)], check=True, capture_output=True, timeout=120)
    resaved = (out / "edited.docx").read_bytes()
    assert resaved != edited_docx
    assert read(resaved).to_dict() == read(edited_docx).to_dict()
    assert read(without_model(resaved)).body == read(edited_docx).body


def test_the_embedded_model_is_found_by_namespace_when_its_relationship_is_lost(
        example, example_docx):
    src = zipfile.ZipFile(io.BytesIO(example_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                blob = re.sub(rb"<Relationship[^>]*customXml[^>]*/>", b"", blob)
            zf.writestr(info.filename, blob)
    data = json.loads(json.dumps(example.to_dict()))
    assert read(out.getvalue()).to_dict() == data


def test_a_word_file_without_a_suffix_is_recognised(example, example_docx, tmp_path):
    path = tmp_path / "summary"
    path.write_bytes(example_docx)
    assert load(path).to_dict() == example.to_dict()


def test_word_files_are_read_when_named_not_found_in_folders(example_docx, tmp_path,
                                                             capsys):
    (tmp_path / "summary.docx").write_bytes(example_docx)
    (tmp_path / "notes.yaml").write_bytes(EXAMPLE_FILES[-1].read_bytes())
    with pytest.raises(SystemExit):
        main(["validate", str(tmp_path)])
    assert "Checked 1 file:" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["validate", str(tmp_path / "summary.docx")])
    assert "Checked 1 file: 0 errors" in capsys.readouterr().out


def test_a_summary_with_its_own_question_label():
    from types import MappingProxyType

    summary = SessionSummary(
        title="Atelier", session="Séance 1 : données", date="2021-01-01", language="fr",
        labels=MappingProxyType({"question": "Thème"}),
        body=(Paragraph("La séance a été ouverte par la présidence."),
              Question(1, "Quelles données ?", (Item("Les retours."),)),
              Question(2, "Pour qui ?", (Item("Les États."),))))
    data = render(summary, "docx")
    assert read(data).to_dict() == summary.to_dict()
    edited = edit(data, lambda d: paragraph(d, "Thème 2").runs[-1].__setattr__(
        "text", "Pour quels pays ?"))
    back = read(edited)
    assert [(q.number, q.text) for q in back.questions] == [(1, "Quelles données ?"),
                                                           (2, "Pour quels pays ?")]
    assert back.labels == summary.labels


def test_the_reader_passes_the_plugin_kit(edited_docx):
    """The conformance kit's reader check: deterministic, survives the Markdown and JSON
    round trips, and damaged input (each sample cut short, garbage) is an InputError
    naming the file."""
    from test_docx_reader_hand import styled

    from gfmdreport.testing import check_reader

    hand = io.BytesIO()
    styled(load(EXAMPLE_FILES[-1])).save(hand)
    samples = [(path.name.replace(".yaml", ".docx"), render(load(path), "docx"))
               for path in EXAMPLE_FILES]
    samples += [("edited.docx", edited_docx), ("typed.docx", hand.getvalue())]
    summaries = check_reader("docx", samples)
    assert len(summaries) == 5
