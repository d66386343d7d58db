"""Word documents gfmdreport did not write: typed by hand with Word's built-in Title,
Heading and List styles, with Word lists of other formats, or with numbers, letters and
bullets typed in the text. Read best effort, with warnings; the seed's session typed
these ways reads back as the example."""

from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from gfmdreport import InputError
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.inline import plain
from gfmdreport.inline import runs
from gfmdreport.model import Heading
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable


def read(document) -> SessionSummary:
    out = io.BytesIO()
    document.save(out)
    return loads(out.getvalue(), "docx", path="hand.docx")


def add_runs(p, source: str) -> None:
    for run in runs(source):
        r = p.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None


def styled(example) -> docx.Document:
    """The session typed with Word's built-in styles."""
    d = docx.Document()
    d.add_paragraph(example.title, style="Title")
    d.add_paragraph(example.session, style="Subtitle")
    d.add_paragraph(f"6 September 2017, 10:30-12:30, {example.venue}")
    for block in example.body:
        if isinstance(block, Paragraph):
            add_runs(d.add_paragraph(style="List Number"), block.text)
            for item in block.items:
                add_runs(d.add_paragraph(style="List Number 2"), item.text)
        elif isinstance(block, Heading):
            d.add_heading(plain(block.text), level=1)
        elif isinstance(block, Question):
            d.add_heading(f"Question {block.number}: {plain(block.text)}", level=2)
            for item in block.takeaways:
                add_runs(d.add_paragraph(style="List Bullet"), item.text)
        elif isinstance(block, SummaryTable):
            table = d.add_table(rows=2, cols=len(block.columns))
            table.style = "Table Grid"
            for j, column in enumerate(block.columns):
                table.rows[0].cells[j].text = column.heading
                cell = table.rows[1].cells[j]
                for k, item in enumerate(column.items):
                    p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    p.text = item.text
                    p.style = "List Bullet"
    return d


def typed(example) -> docx.Document:
    """The session typed in the Normal style: numbers, letters, bullets and "Question N:"
    typed in the text, headings in bold, date and venue on lines of their own."""
    d = docx.Document()
    d.add_paragraph().add_run(example.title).bold = True
    d.add_paragraph().add_run(example.session).bold = True
    d.add_paragraph("6 September 2017, 10:30-12:30")
    d.add_paragraph(example.venue)
    number = 0
    for block in example.body:
        if isinstance(block, Paragraph):
            number += 1
            add_runs(d.add_paragraph(f"{number}.\t"), block.text)
            for k, item in enumerate(block.items):
                p = d.add_paragraph(f"{'abcd'[k]})\t")
                add_runs(p, item.text)
                p.paragraph_format.left_indent = Cm(1)
        elif isinstance(block, Heading):
            d.add_paragraph().add_run(plain(block.text)).bold = True
        elif isinstance(block, Question):
            d.add_paragraph().add_run(f"Question {block.number}: {plain(block.text)}").bold = True
            for item in block.takeaways:
                add_runs(d.add_paragraph("•\t"), item.text)
        elif isinstance(block, SummaryTable):
            table = d.add_table(rows=2, cols=len(block.columns))
            for j, column in enumerate(block.columns):
                table.rows[0].cells[j].paragraphs[0].add_run(column.heading).bold = True
                cell = table.rows[1].cells[j]
                for k, item in enumerate(column.items):
                    p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    p.text = "- " + item.text
    return d


@pytest.mark.parametrize("make", [styled, typed], ids=["built-in styles", "typed"])
def test_the_session_typed_by_hand_reads_as_the_example(example, make):
    back = read(make(example))
    assert back.to_dict() == example.to_dict()
    rules = {d.rule for d in back.diagnostics}
    assert "docx-guessed" in rules
    assert back.diagnostics[0].location.path == "hand.docx"


def _with_list(document, levels: list[tuple[str, str]]) -> str:
    """Add a list definition with these ``(numFmt, lvlText)`` levels; its w:numId."""
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in
                   enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f"{lvls}</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId '
                               'w:val="90"/></w:num>'))
    return "90"


def _listed(document, text: str, num_id: str, level: int):
    p = document.add_paragraph(text, style="List Paragraph")
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
        "</w:numPr>"))
    return p


def test_word_list_levels_give_paragraphs_letters_and_nested_bullets():
    d = docx.Document()
    d.add_paragraph("Workshop on migration data", style="Title")
    d.add_paragraph("Session 2: Data for policy")
    d.add_paragraph("12 March 2021, 09:00-10:30, Room 4")
    num = _with_list(d, [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3)")])
    _listed(d, "The session was chaired by Ms. Ana Pérez, Director of Statistics at the "
            "National Institute of Statistics.", num, 0)
    _listed(d, "first point;", num, 1)
    _listed(d, "a detail of it;", num, 2)
    _listed(d, "second point.", num, 1)
    d.add_heading("Question 1: What data is missing?", level=2)
    d.add_paragraph("Data on returns.", style="List Bullet")
    d.add_paragraph("Especially reintegration.", style="List Bullet 2")
    d.add_paragraph("Data on remittances.", style="List Bullet")
    _listed(d, "The rapporteur summed up the discussion at the end of the session.", num, 0)
    back = read(d)
    assert (back.title, back.session) == ("Workshop on migration data",
                                          "Session 2: Data for policy")
    assert (back.date, back.time, back.venue) == ("2021-03-12", "09:00-10:30", "Room 4")
    first, second = back.paragraphs
    assert [i.text for i in first.items] == ["first point;", "second point."]
    assert first.items[0].items[0].text == "a detail of it;"
    question = back.questions[0]
    assert question.text == "What data is missing?"
    assert [t.text for t in question.takeaways] == ["Data on returns.",
                                                   "Data on remittances."]
    assert question.takeaways[0].items[0].text == "Especially reintegration."
    assert second.text.startswith("The rapporteur summed up")
    assert [c.name for c in back.chairs] == ["Ana Pérez"]
    assert back.chairs[0].loc.line == 4


def test_typed_numbers_out_of_order_and_unplaced_text_are_reported():
    d = docx.Document()
    d.add_paragraph("Annual meeting")
    d.add_paragraph("Roundtable 1: Labour mobility")
    d.add_paragraph("1. The roundtable was co-chaired by Mr. Kofi Mensah (Ghana) and "
                    "Ms. Claire Dupont (Canada), who opened the discussion.")
    d.add_paragraph("3. Participants then discussed recruitment costs at length.")
    d.add_paragraph("A loose sentence without a number that goes on for a while here.")
    d.add_paragraph("o\ta bullet outside any paragraph or question")
    back = read(d)
    messages = {(d.rule, d.location.line): d.message for d in back.diagnostics}
    assert "paragraph numbered 3 where 2 was expected" in messages[("docx-numbering", 4)]
    assert ("docx-unplaced", 5) in messages
    assert [p.text for p in back.paragraphs][:3] == [
        "The roundtable was co-chaired by Mr. Kofi Mensah (Ghana) and Ms. Claire Dupont "
        "(Canada), who opened the discussion.",
        "Participants then discussed recruitment costs at length.",
        "A loose sentence without a number that goes on for a while here."]
    assert [c.name for c in back.chairs] == ["Kofi Mensah", "Claire Dupont"]


def test_typed_roman_numerals_nest_under_letters_and_bullets_under_paragraphs():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    d.add_paragraph("1.\tThe points made were these, in the order given by the chair:")
    d.add_paragraph("a)\tthe first;")
    d.add_paragraph("i)\tone detail;")
    d.add_paragraph("ii)\tanother;")
    d.add_paragraph("b)\tthe second.")
    d.add_paragraph("2.\tA second paragraph that also has a list under it, with bullets:")
    d.add_paragraph("•\tbulleted;")
    p = d.add_paragraph("–\tmore deeply;")
    p.paragraph_format.left_indent = Cm(2)
    d.add_paragraph("•\tand back.")
    back = read(d)
    first, second = back.paragraphs
    assert [i.text for i in first.items] == ["the first;", "the second."]
    assert [i.text for i in first.items[0].items] == ["one detail;", "another;"]
    assert [i.text for i in second.items] == ["bulleted;", "and back."]
    assert second.items[0].items[0].text == "more deeply;"
    assert "docx-list" in {d.rule for d in back.diagnostics}


def test_a_letter_is_not_a_session_summary():
    d = docx.Document()
    d.add_paragraph("Dear colleagues,")
    d.add_paragraph("Thank you for your participation in last week's workshop. The "
                    "summary will follow in due course.")
    d.add_paragraph("Kind regards,")
    with pytest.raises(InputError) as caught:
        read(d)
    (problem,) = caught.value.diagnostics
    assert problem.rule == "docx-not-a-summary"
    assert "does not look like a session summary" in problem.message
    assert problem.location.line == 1


def test_an_empty_document_says_so():
    with pytest.raises(InputError) as caught:
        read(docx.Document())
    assert caught.value.diagnostics[0].rule == "docx-empty"


def test_footnote_marks_and_hidden_text_are_left_out():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    p = d.add_paragraph("1. The session was opened by the chair and went on as planned.")
    p.runs[0]._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr>'
                          "<w:t>hidden words</w:t></w:r>"))
    back = read(d)
    assert back.paragraphs[0].text == ("The session was opened by the chair and went on as "
                                       "planned.")
    left = next(d for d in back.diagnostics if d.rule == "docx-left-out")
    assert "footnotes" in left.message and "hidden text" in left.message


def test_a_hyperlink_becomes_a_markdown_link():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    p = d.add_paragraph("1. See ")
    r_id = p.part.relate_to("https://www.gfmd.org/docs", docx.opc.constants.RELATIONSHIP_TYPE
                            .HYPERLINK, is_external=True)
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t>the GFMD '
                     "site</w:t></w:r></w:hyperlink>")
    p._p.append(link)
    p.add_run(" for the report.")
    back = read(d)
    assert back.paragraphs[0].text == "See [the GFMD site](https://www.gfmd.org/docs) for " \
        "the report."


def test_question_headings_in_spanish_and_a_table_in_another_style():
    d = docx.Document()
    d.add_paragraph("Taller temático", style="Title")
    d.add_paragraph("Mesa redonda 2: Datos", style="Subtitle")
    d.add_paragraph("6 de septiembre de 2017, 10:30-12:30")
    d.add_paragraph("La sesión fue presidida por el Sr. Juan Díaz, Director de Migraciones "
                    "del Ministerio del Interior.", style="List Number")
    d.add_heading("Pregunta 1: ¿Qué datos faltan para las políticas?", level=2)
    d.add_paragraph("Los datos de retorno.", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Puntos de convergencia"
    table.rows[0].cells[1].text = "Recomendaciones prácticas"
    table.rows[1].cells[0].text = "los datos"
    table.rows[1].cells[1].text = "• compartir los datos"
    back = read(d)
    assert back.language == "es"
    assert back.questions[0].number == 1
    assert back.questions[0].text == "¿Qué datos faltan para las políticas?"
    assert [c.heading for c in back.table.columns] == ["Puntos de convergencia",
                                                       "Recomendaciones prácticas"]
    assert [i.text for i in back.table.columns[1].items] == ["compartir los datos"]
    assert back.date == "2017-09-06"


def test_word_heading_levels_and_merged_cells():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    d.add_paragraph("1. A first paragraph that says enough to be one, as they do.")
    d.add_heading("A section", level=3)
    d.add_paragraph("2. A second paragraph that says enough to be one, as they do.")
    table = d.add_table(rows=3, cols=3)
    for j, heading in enumerate(("One", "Two", "Three")):
        table.rows[0].cells[j].text = heading
    merged = table.rows[1].cells[0].merge(table.rows[1].cells[1])
    merged.text = "spans two columns"
    table.rows[1].cells[2].text = "third"
    table.rows[2].cells[1].text = "second row"
    back = read(d)
    assert isinstance(back.body[1], Heading) and back.body[1].text == "A section"
    columns = back.table.columns
    assert [c.heading for c in columns] == ["One", "Two", "Three"]
    assert [i.text for i in columns[0].items] == ["spans two columns"]
    assert [i.text for i in columns[1].items] == ["second row"]
    assert [i.text for i in columns[2].items] == ["third"]


def test_questions_numbered_by_word_and_a_form_prompt():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    num = _with_list(d, [("decimal", "Question %1:")])
    d.add_paragraph("1. The session was opened by the chair and went on as planned.")
    _listed(d, "Why now?", num, 0)
    d.add_paragraph("Because.", style="List Bullet")
    _listed(d, "Why here?", num, 0)
    d.add_paragraph("Because here.", style="List Bullet")
    prompt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:showingPlcHdr/></w:sdtPr>'
                       "<w:sdtContent><w:p><w:r><w:t>Click or tap here to enter text."
                       "</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    d.element.body.insert(len(d.element.body) - 1, prompt)
    back = read(d)
    assert [(q.number, q.text) for q in back.questions] == [(1, "Why now?"), (2, "Why here?")]
    assert [t.text for t in back.questions[1].takeaways] == ["Because here."]
    assert "Click or tap" not in str(back.to_dict())


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed")
def test_markdown_notes_converted_by_pandoc_read_back(example, tmp_path):
    """Another program's Word output: the Markdown notes through pandoc. Its lists
    inside list items, headings and "Summary table" section with a heading and a list
    per column come back as the example's body."""
    notes = tmp_path / "notes.md"
    notes.write_bytes(render(example, "md"))
    out = tmp_path / "notes.docx"
    subprocess.run(["pandoc", "-f", "markdown-smart", str(notes), "-o", str(out)],
                   check=True, timeout=60)
    back = loads(out.read_bytes(), "docx")
    assert back.body == example.body
    assert (back.title, back.date) == (example.title, example.date)
    assert back.chairs == example.chairs and back.rapporteurs == example.rapporteurs


def test_a_closing_table_typed_as_headings_and_lists():
    d = docx.Document()
    d.add_paragraph("Title")
    d.add_paragraph("Session 1: Things")
    d.add_paragraph("1. The session was opened by the chair and went on as planned.")
    for heading, items in (("Points of Convergence", ["one", "two"]),
                           ("Practical Recommendations", ["three"]),
                           ("Challenges / Issues for further discussion", ["four"])):
        d.add_paragraph().add_run(heading).bold = True
        for item in items:
            d.add_paragraph(item, style="List Bullet")
    back = read(d)
    table = back.table
    assert [c.heading for c in table.columns] == [
        "Points of Convergence", "Practical Recommendations",
        "Challenges / Issues for further discussion"]
    assert [[i.text for i in c.items] for c in table.columns] == [["one", "two"], ["three"],
                                                                  ["four"]]
    assert len(back.body) == 2
