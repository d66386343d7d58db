"""The Word proceedings, read back with python-docx and lxml: the cover, the contents
(a TOC field whose entries point at bookmarks on their headings), chapters on new pages
with their headings one level below, Word's own numbering restarting, continuing or
prefixed by the chapter, the consolidated annex traceable to its sessions, the index,
and a reference document's styles. LibreOffice's rendering is tested with the PDF
plugin (plugins/gfmdreport-pdf/tests)."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from lxml import etree
from ooxml_schemas import validate_package

from gfmdreport.proceedings.build import compile_proceedings
from gfmdreport.proceedings.build import load_proceedings

from conftest import EXAMPLES
from proceedings_support import generated

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def compiled(path, **options):
    loaded = load_proceedings(path, numbering=options.pop("numbering", None))
    return loaded.proceedings, compile_proceedings(loaded.proceedings, "docx",
                                                   **options).data


@pytest.fixture(scope="module")
def example():
    return compiled(EXAMPLES / "proceedings.yaml")


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    folder = tmp_path_factory.mktemp("four")
    path = generated(folder, 4)
    return {n: compiled(path, numbering=n) for n in ("restart", "continuous", "prefixed")}


def part(data: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def styled(data: bytes) -> list[tuple[str, str, object]]:
    """(style name, text, paragraph element) of every body paragraph, in order."""
    doc = Document(io.BytesIO(data))
    return [(p.style.name, p.text, p._p) for p in doc.paragraphs]


def test_cover_then_contents_then_front_matter_then_chapters(example):
    proceedings, data = example
    paragraphs = styled(data)
    names = [name for name, _, _ in paragraphs]
    assert paragraphs[0][:2] == ("GFMD Cover Title", proceedings.title)
    assert paragraphs[1][:2] == ("GFMD Cover Subtitle", "Report of the proceedings")
    assert [t for n, t, _ in paragraphs if n == "GFMD Cover Details"][:2] == \
        ["6–7 September 2017", "Hotel Savoyen, Vienna, Austria"]
    chapters = [t for n, t, _ in paragraphs if n == "GFMD Chapter"]
    assert chapters == ["Foreword", "Introduction",
                        *(f"{i}. {c.summary.session}" for i, c in
                          enumerate(proceedings.chapters, 1)), "Annex"]
    assert [t for n, t, _ in paragraphs if n == "GFMD Part"] == \
        ["Day 1: 6 September 2017", "Day 2: 7 September 2017"]
    body = part(data, "word/document.xml").find(f"{W}body")
    kinds = [child.tag.rsplit("}", 1)[1] for child in body]
    first_chapter = next(i for i, child in enumerate(body) if child.find(
        f"{W}pPr/{W}pStyle[@{W}val='GFMDChapter']") is not None)
    assert kinds.index("sdt") < first_chapter
    assert names.index("GFMD Cover Title") == 0


def test_chapters_start_on_new_pages_but_not_right_after_their_part(example):
    _, data = example
    styles = part(data, "word/styles.xml")
    chapter = styles.find(f"{W}style[@{W}styleId='GFMDChapter']")
    assert chapter.find(f"{W}pPr/{W}pageBreakBefore") is not None
    assert chapter.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"
    paragraphs = styled(data)
    for i, (name, _, p) in enumerate(paragraphs):
        if name == "GFMD Chapter" and paragraphs[i - 1][0] == "GFMD Part":
            assert p.find(f"{W}pPr/{W}pageBreakBefore").get(f"{W}val") == "0"
        elif name == "GFMD Chapter":
            assert p.find(f"{W}pPr/{W}pageBreakBefore") is None


def test_a_sessions_headings_are_one_level_below_its_chapter(example):
    """Section headings and questions, siblings as in a report (Heading 2, a question's
    words in their own look), one outline level below the chapter."""
    proceedings, data = example
    found = {"section": set(), "question": set()}
    for name, _text, p in styled(data):
        if name == "Heading 2" and p.find(f"{W}pPr/{W}outlineLvl") is not None:
            look = {r.get(f"{W}val") for r in p.iter(f"{W}rStyle")}
            kind = "question" if "GFMDQuestionText" in look else "section"
            found[kind].add(p.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val"))
    assert found == {"section": {"1"}, "question": {"1", "2"}}  # (2: the annex's tables)
    questions = sum(len(c.summary.questions) for c in proceedings.chapters)
    assert questions > 0


def test_each_chapter_has_its_header_block_and_people(example):
    proceedings, data = example
    texts = [t for _, t, _ in styled(data)]
    for chapter in proceedings.chapters:
        s = chapter.summary
        start = texts.index(next(t for t in texts if t.endswith(s.session)))
        block = texts[start + 1:start + 4]
        assert block[0].endswith(s.venue)
        chairs = "Chair: " if len(s.chairs) == 1 else "Co-Chairs: "
        assert block[1].startswith(chairs + s.chairs[0].display_name)
        assert s.rapporteurs[0].display_name in block[2]


def test_the_contents_is_a_toc_field_whose_entries_point_at_their_headings(example):
    proceedings, data = example
    document = part(data, "word/document.xml")
    instructions = [t.text for t in document.iter(f"{W}instrText")]
    assert any(t.strip().startswith('TOC \\o "1-2"') for t in instructions)
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in document.iter(f"{W}bookmarkStart")}
    links = [link for link in document.iter(f"{W}hyperlink") if link.get(f"{W}anchor")]
    shown = []
    for link in links:
        anchor = link.get(f"{W}anchor")
        heading = bookmarks[anchor]
        text = "".join(t.text for t in link.iter(f"{W}t"))
        title = "".join(t.text for t in heading.iter(f"{W}t"))
        assert text.rstrip("\t") == title
        assert f"PAGEREF {anchor} \\h" in "".join(t.text for t in link.iter(f"{W}instrText"))
        shown.append(title)
    assert shown[0] == "Foreword" and shown[-1] == "Index of chairs and rapporteurs"
    assert f"3. {proceedings.chapters[2].summary.session}" in shown
    # each entry in Word's contents style of its level: chapters toc 1, below them toc 2
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
             for s in part(data, "word/styles.xml").iter(f"{W}style")}
    level = {}
    for link in links:
        entry = link.getparent()
        style = entry.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        heading = bookmarks[link.get(f"{W}anchor")]
        kind = heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        level.setdefault(names[kind], set()).add(names[style])
    assert level["GFMD Chapter"] == {"toc 1"} and level["heading 2"] == {"toc 2"}
    settings = part(data, "word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"


def numbered_lists(data: bytes) -> list[list[str]]:
    """The numId of each chapter's numbered paragraphs, chapter by chapter."""
    out: list[list[str]] = []
    for name, _, p in styled(data):
        if name == "GFMD Chapter":
            out.append([])
        elif name == "GFMD Numbered Paragraph" and out:
            out[-1].append(p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val"))
    return [ids for ids in out if ids]


def test_restart_gives_each_chapter_a_list_restarting_at_one(four):
    _, data = four["restart"]
    lists = numbered_lists(data)
    assert len(lists) == 4 and all(len(set(ids)) == 1 for ids in lists)
    ids = [ids[0] for ids in lists]
    assert len(set(ids)) == 4
    numbering = part(data, "word/numbering.xml")
    abstracts = set()
    for num_id in ids:
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
        abstracts.add(num.find(f"{W}abstractNumId").get(f"{W}val"))
    assert len(abstracts) == 1, "one list definition, restarted"


def test_continuous_numbering_is_one_list_through_the_report(four):
    _, data = four["continuous"]
    lists = numbered_lists(data)
    assert len(lists) == 4
    assert len({i for ids in lists for i in ids}) == 1


def test_prefixed_numbering_carries_the_chapters_number(four):
    _, data = four["prefixed"]
    numbering = part(data, "word/numbering.xml")
    for chapter, ids in enumerate(numbered_lists(data), 1):
        num = numbering.find(f"{W}num[@{W}numId='{ids[0]}']")
        abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
        abstract = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract_id}']")
        level = abstract.find(f"{W}lvl[@{W}ilvl='0']")
        assert level.find(f"{W}lvlText").get(f"{W}val") == f"{chapter}.%1."
        assert abstract.find(f"{W}lvl[@{W}ilvl='1']/{W}lvlText") is not None


def test_every_annex_item_names_the_session_it_came_from(four):
    proceedings, data = four["restart"]
    doc = Document(io.BytesIO(data))
    annex_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Item"]
    assert len(annex_tables) == 3
    count = 0
    for table in annex_tables:
        for row in table.rows[1:]:
            item, where = row.cells[0].text, row.cells[1].text
            number = int(where.split(".")[0])
            closing = proceedings.chapters[number - 1].summary.table
            assert item in [i.text for c in closing.columns for i in c.items]
            assert where == f"{number}. Roundtable {number}"
            count += 1
    assert count == sum(len(c.items) for ch in proceedings.chapters
                        for c in ch.summary.table.columns)


def test_the_index_lists_each_person_once_with_their_sessions(four):
    _, data = four["restart"]
    doc = Document(io.BytesIO(data))
    (index,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Name"]
    rows = {r.cells[0].text.split(",")[0]: r.cells[1].text for r in index.rows[1:]}
    assert rows["Dr. Rapporteur Shared"] == "Rapporteur: 1, 2, 3, 4"
    assert rows["Ms. ChairC Person3"] == "Chair: 3"
    assert len(rows) == 5


def test_every_part_of_the_package_is_valid_against_the_schemas(four, example):
    """Every XML part, against the vendored ISO/IEC 29500 transitional schemas (as every
    single report is, tests/test_docx_schema.py)."""
    for _, data in [*four.values(), example]:
        errors, _unchecked = validate_package(data)
        assert errors == []


def test_a_reference_documents_proceedings_styles_are_used(tmp_path, four):
    from docx.enum.style import WD_STYLE_TYPE

    reference = tmp_path / "reference.docx"
    doc = Document(io.BytesIO(four["restart"][1]))
    doc.styles["GFMD Chapter"].font.size = None
    doc.styles["GFMD Chapter"].font.name = "Georgia"
    doc.styles.add_style("Unrelated", WD_STYLE_TYPE.PARAGRAPH)
    doc.save(reference)
    path = EXAMPLES / "proceedings.yaml"
    _, data = compiled(path, reference_doc=str(reference))
    styles = part(data, "word/styles.xml")
    chapter = styles.find(f"{W}style[@{W}styleId='GFMDChapter']")
    assert chapter.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Georgia"
    assert len(styles.findall(f"{W}style[@{W}styleId='GFMDChapter']")) == 1


def test_the_cover_has_no_page_footer(example):
    _, data = example
    section = part(data, "word/document.xml").find(f"{W}body/{W}sectPr")
    assert section.find(f"{W}titlePg") is not None
    assert section.find(f"{W}footerReference[@{W}type='first']") is None
