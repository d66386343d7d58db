"""The DOCX writer, checked by reopening its output with python-docx and reading the XML:
styles, Word list numbering, the table, text runs, links, properties, the model part."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from gfmdreport import Column
from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import render
from gfmdreport.diagnostics import Location
from gfmdreport.formats.docx import ooxml as oxml
from gfmdreport.formats.docx.write.contract import CONTRACT
from gfmdreport.pipeline import render_report


def reopen(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def numbering_levels(document, num_id: str) -> list[tuple[str, str]]:
    numbering = document.part.numbering_part.element
    return oxml.list_levels(numbering, int(num_id))


def num_pr(paragraph) -> tuple[str, str] | None:
    """(numId, ilvl) of a paragraph's own numbering properties."""
    pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if pr is None:
        return None
    return (pr.find(qn("w:numId")).get(qn("w:val")), pr.find(qn("w:ilvl")).get(qn("w:val")))


def body_styles(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


@pytest.fixture(scope="module")
def rendered(example) -> bytes:
    return render(example, "docx")


@pytest.fixture(scope="module")
def document(rendered):
    return reopen(rendered)


def small(**changes) -> SessionSummary:
    base = SessionSummary(title="Workshop", session="Session A", date="2017-09-06",
                          start_time="10:30", end_time="12:30", venue="Room 1",
                          body=(Paragraph("First paragraph."),))
    return replace(base, **changes)


# ---- layout of the genre ------------------------------------------------------------------

def test_every_paragraph_has_a_contract_style_in_document_order(document):
    assert body_styles(document) == [
        "Heading 1", "GFMD Session", "GFMD Session Details",
        "GFMD Numbered Paragraph", "GFMD Numbered Paragraph", "Heading 2",
        "GFMD Numbered Paragraph", *["GFMD Lettered Item"] * 4, "GFMD Numbered Paragraph",
        "Heading 2", *["GFMD Takeaway"] * 3,
        "Heading 2", *["GFMD Takeaway"] * 4,
        "Heading 2", *["GFMD Takeaway"] * 2,
        "GFMD Numbered Paragraph",
    ]


def test_front_matter_prints_date_in_words_time_and_venue(document):
    title, session, details = document.paragraphs[:3]
    assert title.text == "GFMD Thematic Workshop on GFMD's contribution to the GCM"
    assert session.text.startswith("GCM Cluster 3: International cooperation")
    assert details.text == "6 September 2017, 10:30–12:30\nHotel Savoyen – Mancini 3b"


def test_numbered_paragraphs_use_one_word_list_across_headings_and_questions(document):
    numbered = [p for p in document.paragraphs if p.style.name == "GFMD Numbered Paragraph"]
    assert len(numbered) == 5
    ids = {num_pr(p) for p in numbered}
    assert len(ids) == 1, "one list instance keeps the numbering continuous"
    num_id, level = ids.pop()
    assert level == "0"
    levels = numbering_levels(document, num_id)
    assert levels[0] == ("decimal", "%1.")
    assert levels[1] == ("lowerLetter", "%2)")


def test_lettered_items_are_the_second_level_of_the_paragraph_list(document):
    paragraph_list = num_pr(next(p for p in document.paragraphs
                                 if p.style.name == "GFMD Numbered Paragraph"))[0]
    lettered = [p for p in document.paragraphs if p.style.name == "GFMD Lettered Item"]
    assert [num_pr(p) for p in lettered] == [(paragraph_list, "1")] * 4
    assert lettered[0].text.startswith("Policy and institutional coherence")


def test_takeaways_are_bullets(document):
    takeaways = [p for p in document.paragraphs if p.style.name == "GFMD Takeaway"]
    assert len(takeaways) == 9
    (num_id, level), = {num_pr(p) for p in takeaways}
    assert level == "0"
    assert {fmt for fmt, _ in numbering_levels(document, num_id)} == {"bullet"}


def test_no_paragraph_carries_a_typed_number_or_bullet(document):
    typed = re.compile(r"^\s*(\d+[.)]|[a-z][.)]|\([a-z0-9]+\)|[•\-–*])\s")
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for cell in document.tables[0]._cells for p in cell.paragraphs]
    assert not [t for t in texts if typed.match(t)]


def test_styles_link_to_their_lists_so_new_paragraphs_are_numbered(document):
    styles = document.styles
    for name, level in (("GFMD Numbered Paragraph", None), ("GFMD Lettered Item", "1"),
                        ("GFMD Takeaway", None), ("GFMD Table Item", None)):
        pr = styles[name].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        assert pr is not None, name
        ilvl = pr.find(qn("w:ilvl"))
        assert (ilvl.get(qn("w:val")) if ilvl is not None else None) == level
    assert styles["GFMD Numbered Paragraph"].next_paragraph_style.name == \
        "GFMD Numbered Paragraph"


def test_question_headings_read_question_n_and_keep_inline_markup():
    summary = small(body=(Question(2, "Is *this* right?", (Item("Yes."),)),))
    doc = reopen(render(summary, "docx"))
    question = next(p for p in doc.paragraphs if p.style.name == "Heading 2")
    assert question.text == "Question 2: Is this right?"
    assert [r.text for r in question.runs if r.italic] == ["this"]
    assert {r.style.name for r in question.runs} == {"GFMD Question Text"}, \
        "a question's words have the question's look"


def test_a_question_looks_unlike_a_section_heading(document):
    """Both are Heading 2 (siblings in the outline); a question's words take the size
    and colour of GFMD Question Text, which differ from the heading's own."""
    heading = next(p for p in document.paragraphs if p.text.startswith("Overview"))
    question = next(p for p in document.paragraphs if p.text.startswith("Question 1"))
    assert heading.style.name == question.style.name == "Heading 2"

    def look(p):
        run_style = p.runs[0].style
        size = (run_style.font.size if run_style.name != "Default Paragraph Font" else None) \
            or p.style.font.size
        color = (run_style.font.color.rgb if run_style.name != "Default Paragraph Font"
                 else None) or p.style.font.color.rgb
        return size, str(color)

    assert look(heading) != look(question)
    assert look(heading)[0] > look(question)[0], "a section heading is the larger"


def test_bold_runs_come_from_inline_markup(document):
    second = [p for p in document.paragraphs if p.style.name == "GFMD Numbered Paragraph"][1]
    assert [r.text for r in second.runs if r.bold] == ["Mr. Ola Henrikson"]
    assert all(r.bold is None for r in second.runs if r.text != "Mr. Ola Henrikson")


def test_nested_items_go_one_list_level_deeper_and_stop_at_the_last():
    deep = Item("level 10")
    for n in range(9, -1, -1):
        deep = Item(f"level {n}", (deep,))
    summary = small(body=(Question(1, "Q?", (deep,)), Paragraph("P", (Item("a", (
        Item("i"),)),))))
    doc = reopen(render(summary, "docx"))
    takeaways = [p for p in doc.paragraphs if p.style.name == "GFMD Takeaway"]
    assert [num_pr(p)[1] for p in takeaways] == ["0", "1", "2", "3", "4", "5", "6", "7",
                                                 "8", "8", "8"]
    lettered = [p for p in doc.paragraphs if p.style.name == "GFMD Lettered Item"]
    assert [num_pr(p)[1] for p in lettered] == ["1", "2"]


# ---- the closing table ---------------------------------------------------------------------

def test_closing_table_shape_style_and_row_options(document, example):
    table, = document.tables
    assert table.style.name == "GFMD Summary Table"
    assert len(table.columns) == 3 and len(table.rows) == 2
    assert [c.text for c in table.rows[0].cells] == [c.heading for c in example.table.columns]
    for row in table.rows:
        tr_pr = row._tr.trPr
        assert tr_pr.find(qn("w:cantSplit")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    first_cell = table.rows[1].cells[0]
    assert [p.style.name for p in first_cell.paragraphs] == ["GFMD Table Item"] * 2
    assert [p.text for p in first_cell.paragraphs] == [
        "role of actors and institutions at the national, regional and global level",
        "migration as a genuine choice"]
    assert all(num_pr(p) for p in first_cell.paragraphs)


def test_closing_table_fills_the_text_area_with_fixed_columns(document):
    tbl = document.tables[0]._tbl
    tbl_pr = tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    section = document.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - \
        section.right_margin.twips
    grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert sum(grid) == text_width and max(grid) - min(grid) <= 2


def test_first_row_is_shaded_by_the_table_style(document):
    style = document.styles["GFMD Summary Table"].element
    first_row = style.find(qn("w:tblStylePr"))
    assert first_row.get(qn("w:type")) == "firstRow"
    assert first_row.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill"))
    look = document.tables[0]._tbl.tblPr.find(qn("w:tblLook"))
    assert look.get(qn("w:firstRow")) == "1"


def test_empty_column_gets_an_empty_cell_and_no_columns_no_table():
    summary = small(body=(SummaryTable((Column("A", (Item("x"),)), Column("B", ()))),))
    doc = reopen(render(summary, "docx"))
    cells = doc.tables[0].rows[1].cells
    assert [p.style.name for p in cells[1].paragraphs] == ["GFMD Table Text"]
    assert reopen(render(small(body=(SummaryTable(()),)), "docx")).tables == []


def test_a_long_table_is_split_into_rows_that_each_fit_a_page():
    words = "a recommendation that runs over several lines of a narrow column " * 3
    columns = tuple(Column(f"Heading {n}", tuple(Item(f"{n}.{i} {words}") for i in range(30)))
                    for n in range(3))
    doc = reopen(render(small(body=(SummaryTable(columns),)), "docx"))
    table = doc.tables[0]
    assert len(table.rows) > 3
    items = [p.text.split()[0] for row in table.rows[1:] for p in row.cells[0].paragraphs]
    assert items == [f"0.{i}" for i in range(30)], "every item once, in order"
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


# ---- links ---------------------------------------------------------------------------------

def test_links_are_word_hyperlinks_with_external_relationships():
    url = "https://www.gfmd.org/docs/summary?x=1&y=2"
    summary = small(body=(Paragraph(f"See [the **GFMD** site]({url}) and [again]({url})."),))
    data = render(summary, "docx")
    doc = reopen(data)
    p = doc.paragraphs[-1]
    links = p._p.findall(qn("w:hyperlink"))
    assert len(links) == 2
    r_ids = {link.get(qn("r:id")) for link in links}
    assert len(r_ids) == 1, "one relationship per target"
    rel = doc.part.rels[r_ids.pop()]
    assert rel.is_external and rel.target_ref == url
    assert [h.text for h in p.hyperlinks] == ["the GFMD site", "again"]
    runs = links[0].findall(qn("w:r"))
    assert {r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) for r in runs} == \
        {"Hyperlink"}
    assert p.text == "See the GFMD site and again."


def test_links_to_other_schemes_are_written_as_text_with_a_warning():
    summary = small(body=(Paragraph("Click [here](shell:startup) now."),))
    result = render_report(summary, "docx")
    doc = reopen(result.data)
    assert doc.paragraphs[-1].text == "Click here now."
    assert doc.paragraphs[-1]._p.findall(qn("w:hyperlink")) == []
    assert [d.rule for d in result.diagnostics] == ["docx-link"]


# ---- furniture -----------------------------------------------------------------------------

def test_page_is_a4_portrait_with_a_page_x_of_y_footer(document):
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.left_margin.twips >= 1134 and section.top_margin.twips >= 1134
    footer = section.footer.paragraphs[0]
    assert footer.style.name == "GFMD Footer"
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ") and " of " in footer.text


def test_core_properties(document, example):
    props = document.core_properties
    assert props.title == example.title
    assert props.subject == example.session
    assert props.author == "Dr. Steffen Angenendt; Ms. Michelle Klein-Solomon"
    assert "GFMD" in props.keywords
    assert props.language == "en-GB"
    # stamped with the session's date, so the same summary always gives the same file
    assert props.created.isoformat() == props.modified.isoformat() == "2017-09-06T00:00:00+00:00"


def test_author_option_and_long_properties_are_cut_to_word_limits(example):
    doc = reopen(render(replace(example, session="x" * 400), "docx", author="GFMD Unit"))
    assert doc.core_properties.author == "GFMD Unit"
    assert len(doc.core_properties.subject) == 255


def test_document_language_follows_the_summary():
    doc = reopen(render(small(language="fr", body=(Question(1, "Quoi ?"),)), "docx"))
    lang = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "fr-FR"
    assert doc.core_properties.language == "fr-FR"
    assert doc.paragraphs[2].text.startswith(
        "6 septembre 2017, 10\u00a0h\u00a030 – 12\u00a0h\u00a030")
    # French typography: no-break space before ':' and a narrow one before '?'
    assert doc.paragraphs[3].text == "Question 1\u00a0: Quoi\u202f?"
    assert doc.sections[0].footer.paragraphs[0].text.startswith("Page 1 sur ")


def test_table_of_contents_is_a_field_refreshed_on_opening(example):
    data = render(example, "docx", toc=True)
    doc = reopen(data)
    body = doc.element.body
    sdt = body.find(qn("w:sdt"))
    assert sdt is not None
    gallery = sdt.find(f".//{qn('w:docPartGallery')}")
    assert gallery.get(qn("w:val")) == "Table of Contents"
    instr = "".join(t.text for t in sdt.iter(qn("w:instrText")))
    assert instr.strip().startswith("TOC ") and "\\u" in instr
    begin = sdt.find(f".//{qn('w:fldChar')}")
    assert begin.get(qn("w:dirty")) == "true"
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    entries = ["".join(t.text for t in p.iter(qn("w:t"))) for p in sdt.iter(qn("w:p"))]
    assert entries[0] == "Contents"
    assert entries[2].startswith("Question 1: How can the GCM")
    assert reopen(render(example, "docx")).element.body.find(qn("w:sdt")) is None


def test_output_is_reproducible_with_source_date_epoch(example, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1504700000")
    first, second = render(example, "docx"), render(example, "docx")
    assert first == second
    assert reopen(first).core_properties.created.isoformat() == "2017-09-06T12:13:20+00:00"


def test_missing_or_impossible_dates_do_not_stop_the_document():
    doc = reopen(render(small(date="", start_time="", end_time="", venue="Hall"), "docx"))
    assert doc.paragraphs[2].text == "Hall"
    doc = reopen(render(small(date="2017-02-30"), "docx"))
    assert doc.paragraphs[2].text.startswith("2017-02-30, 10:30")


# ---- the model part ------------------------------------------------------------------------

def model_part(data: bytes) -> tuple[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"customXml/item\d+\.xml", n)]
        assert len(names) == 1
        return names[0], etree.fromstring(zf.read(names[0]))


def test_model_is_embedded_as_custom_xml_and_parses_back(rendered, example):
    name, root = model_part(rendered)
    assert root.tag == "{urn:gfmdreport:summary:1}summary"
    assert json.loads(root.text) == example.to_dict()
    doc = reopen(rendered)
    rels = [r for r in doc.part.rels.values() if r.reltype.endswith("/customXml")]
    assert len(rels) == 1 and rels[0].target_part.partname == "/" + name
    props = [r.target_part for r in rels[0].target_part.rels.values()]
    assert props[0].content_type.endswith("customXmlProperties+xml")


def test_model_digest_matches_the_text_of_the_document(rendered, example):
    doc = reopen(rendered)
    part, = (r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/customXml"))
    model, digest = oxml.read_model_part(part.blob)
    assert json.loads(model) == example.to_dict()
    assert digest == oxml.body_digest(doc.element.body)


def test_digest_changes_when_the_text_is_edited(rendered):
    doc = reopen(rendered)
    before = oxml.body_digest(doc.element.body)
    doc.paragraphs[4].runs[0].text = "Edited."
    assert oxml.body_digest(doc.element.body) != before


# ---- bad input -----------------------------------------------------------------------------

def test_control_characters_are_removed_with_located_warnings():
    where = Location("notes.yaml", 12, 5)
    summary = small(title="Work\x00shop", body=(
        Paragraph("Bad\x07 text\x1b here.", loc=where),
        SummaryTable((Column("A\x0b", (Item("cell\x00 text\ufffe"),)),))))
    result = render_report(summary, "docx")
    doc = reopen(result.data)
    assert doc.paragraphs[0].text == "Workshop"
    assert doc.paragraphs[3].text == "Bad text here."
    assert doc.tables[0].rows[1].cells[0].text == "cell text"
    rules = {d.rule for d in result.diagnostics}
    assert rules == {"docx-control-characters"}
    located = [d for d in result.diagnostics if d.location == where]
    assert located and "U+0007" in located[0].message and "U+001B" in located[0].message
    assert len(result.diagnostics) == 4
    _, root = model_part(result.data)
    assert json.loads(root.text) == summary.to_dict(), "the model keeps the original text"


def test_every_contract_style_exists_in_every_output(document):
    names = {s.name for s in document.styles}
    assert {spec.label for spec in CONTRACT} <= names


def test_the_package_is_a_sound_zip_with_the_parts_word_needs(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        assert zf.testzip() is None, "every member's CRC checks"
        names = zf.namelist()
    assert names[0] == "[Content_Types].xml"
    for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml",
                 "word/settings.xml", "docProps/core.xml", "_rels/.rels"):
        assert part in names


def test_a_summary_with_no_body_is_still_a_document():
    doc = reopen(render(small(body=()), "docx"))
    assert body_styles(doc) == ["Heading 1", "GFMD Session", "GFMD Session Details"]


def test_control_characters_in_headings_are_reported_once_even_with_a_toc():
    summary = small(body=(Heading("Bad\x01 heading", loc=Location("n.md", 3, 1)),))
    result = render_report(summary, "docx", toc=True)
    assert [str(d.location) for d in result.diagnostics] == ["n.md:3:1"]
    assert "Bad heading" in [p.text for p in reopen(result.data).paragraphs]


def test_a_long_subject_is_cut_at_a_word_with_an_ellipsis():
    words = " ".join(f"cooperation{n}" for n in range(40))  # some 520 characters
    props = reopen(render(small(session=words), "docx")).core_properties
    assert len(props.subject) <= 255 and props.subject.endswith("…")
    kept = props.subject[:-1]
    assert words.startswith(kept + " "), "cut where a word ends"
    assert len(kept) > 200
    assert reopen(render(small(session="Short"), "docx")).core_properties.subject == "Short"


@pytest.mark.parametrize("language, keywords, category", [
    ("en", "GFMD; session summary", "Session summary"),
    ("fr", "FMMD; résumé de séance", "Résumé de séance"),
    ("es", "FMMD; resumen de la sesión", "Resumen de la sesión")])
def test_keywords_and_category_are_in_the_report_language(language, keywords, category):
    props = reopen(render(small(language=language), "docx")).core_properties
    assert (props.keywords, props.category) == (keywords, category)
