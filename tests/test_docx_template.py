"""Templates: the shipped default, a secretariat's --reference-doc, bad reference documents,
and the docx-template command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches
from docx.shared import Pt
from lxml import etree

from gfmdreport import InputError
from gfmdreport import render
from gfmdreport.cli import build_cli
from gfmdreport.formats.docx import ooxml as oxml
from gfmdreport.formats.docx.write import default_template_bytes
from gfmdreport.formats.docx.write.contract import CONTRACT
from gfmdreport.formats.docx.write.make_template import build_template
from gfmdreport.formats.docx.write.template import load_template

EXAMPLE_YAML = Path(__file__).resolve().parent.parent / "examples" / "gcm-cluster-3.yaml"


def reopen(data: bytes):
    return docx.Document(io.BytesIO(data))


def save(doc, path) -> str:
    doc.save(path)
    return str(path)


def parts(data: bytes) -> dict[str, bytes]:
    return dict(oxml.zip_parts(data))


@pytest.fixture
def house(tmp_path) -> str:
    """A secretariat's template: the default restyled in Word, on US Letter, with a
    header and some leftover text."""
    doc = reopen(default_template_bytes())
    numbered = doc.styles["GFMD Numbered Paragraph"]
    numbered.font.name = "Times New Roman"
    numbered.font.size = Pt(12)
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1)
    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "GFMD Secretariat house header"
    doc.add_paragraph("Leftover text of the template")
    return save(doc, tmp_path / "house.docx")


# ---- the shipped default -------------------------------------------------------------------

def canonical(blob: bytes) -> bytes:
    return etree.tostring(etree.fromstring(blob), method="c14n")


def test_shipped_template_is_what_the_script_builds():
    shipped, built = parts(default_template_bytes()), parts(build_template())
    assert sorted(shipped) == sorted(built)
    for name in shipped:
        assert canonical(shipped[name]) == canonical(built[name]), name


def test_shipped_template_is_lean_and_holds_the_whole_contract():
    data = default_template_bytes()
    assert len(data) < 20_000
    doc = reopen(data)
    types = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character",
             WD_STYLE_TYPE.TABLE: "table"}
    have = {s.name: types.get(s.type) for s in doc.styles}
    for spec in CONTRACT:
        assert have.get(spec.label) == spec.type, spec.name
    assert doc.paragraphs == []


# ---- --reference-doc -----------------------------------------------------------------------

def test_reference_doc_brings_its_styles_page_setup_and_header(example, house):
    doc = reopen(render(example, "docx", reference_doc=house))
    assert "Leftover text of the template" not in [p.text for p in doc.paragraphs]
    numbered = doc.styles["GFMD Numbered Paragraph"]
    assert numbered.font.name == "Times New Roman" and numbered.font.size == Pt(12)
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert section.header.paragraphs[0].text == "GFMD Secretariat house header"
    assert section.footer.paragraphs[0].text.startswith("Page "), "no footer: ours is added"
    grid = [int(c.get(qn("w:w"))) for c in
            doc.tables[0]._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert sum(grid) == Inches(6.5).twips


def test_reference_doc_footer_is_kept(example, tmp_path):
    doc = reopen(default_template_bytes())
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = "Confidential – house footer"
    path = save(doc, tmp_path / "footer.docx")
    out = reopen(render(example, "docx", reference_doc=path))
    assert out.sections[0].footer.paragraphs[0].text == "Confidential – house footer"


def test_styles_missing_from_the_reference_are_added_with_their_lists(example, tmp_path):
    path = save(docx.Document(), tmp_path / "plain.docx")  # python-docx's own template
    doc = reopen(render(example, "docx", reference_doc=path))
    names = {s.name for s in doc.styles}
    assert {spec.label for spec in CONTRACT} <= names
    heading = next(p for p in doc.paragraphs if p.text.startswith("Overview"))
    assert heading.style.name == "Heading 2" and heading.style.font.size == Pt(13), \
        "the template's own heading (python-docx's, 13 pt), not the default's"
    title = next(p for p in doc.paragraphs if p.text == example.title)
    assert title.style.name == "Heading 1" and title.style.font.size == Pt(14)
    numbering = doc.part.numbering_part.element
    for style, expected in (("GFMD Numbered Paragraph", ("decimal", "%1.")),
                            ("GFMD Lettered Item", ("lowerLetter", "%2)")),
                            ("GFMD Takeaway", ("bullet", "•"))):
        p = next(p for p in doc.paragraphs if p.style.name == style)
        pr = p._p.pPr.numPr
        levels = oxml.list_levels(numbering, pr.numId.val)
        assert levels[pr.ilvl.val] == expected, style


def test_a_list_the_reference_defines_is_kept(example, tmp_path):
    doc = reopen(default_template_bytes())
    numbering = doc.part.numbering_part.element
    num_id = oxml.style_num_id(doc.styles["GFMD Numbered Paragraph"].element)
    oxml.list_definition(numbering, num_id).find(
        f"{qn('w:lvl')}/{qn('w:lvlText')}").set(qn("w:val"), "(%1)")
    path = save(doc, tmp_path / "own-list.docx")
    out = reopen(render(example, "docx", reference_doc=path))
    p = next(p for p in out.paragraphs if p.style.name == "GFMD Numbered Paragraph")
    assert oxml.list_levels(out.part.numbering_part.element, p._p.pPr.numPr.numId.val)[0] \
        == ("decimal", "(%1)")


def test_lettered_items_of_a_house_template_with_their_own_list_are_relinked(example,
                                                                           tmp_path):
    """A house template whose GFMD Lettered Item has a list of its own (the takeaways'
    bullets here, as a style restyled in Word may get): in the report the style is the
    second level of the paragraphs' list again, that level names the style back, and the
    lettered items show letters, starting again under each paragraph."""
    doc = reopen(default_template_bytes())
    styles = {s.name: s for s in doc.styles}
    bullets = oxml.style_num_id(styles["GFMD Takeaway"].element)
    lettered_pr = styles["GFMD Lettered Item"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    lettered_pr.find(qn("w:numId")).set(qn("w:val"), str(bullets))
    lettered_pr.find(qn("w:ilvl")).set(qn("w:val"), "0")
    path = save(doc, tmp_path / "own-lettered-list.docx")
    assert oxml.style_num_id(reopen(Path(path).read_bytes()).styles[
        "GFMD Lettered Item"].element) == bullets

    out = reopen(render(example, "docx", reference_doc=path))
    numbering = out.part.numbering_part.element
    paragraphs = oxml.style_num_id(out.styles["GFMD Numbered Paragraph"].element)
    lettered = out.styles["GFMD Lettered Item"]
    style_pr = lettered.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    assert int(style_pr.find(qn("w:numId")).get(qn("w:val"))) == paragraphs
    assert style_pr.find(qn("w:ilvl")).get(qn("w:val")) == "1"
    second = next(lvl for lvl in oxml.list_definition(numbering, paragraphs).iter(qn("w:lvl"))
                  if lvl.get(qn("w:ilvl")) == "1")
    assert second.find(qn("w:pStyle")).get(qn("w:val")) == lettered.style_id
    assert oxml.list_levels(numbering, paragraphs)[1] == ("lowerLetter", "%2)")


def test_a_word_template_dotx_is_accepted(example, tmp_path):
    members = parts(default_template_bytes())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        oxml.CT_DOCUMENT.encode(), oxml.CT_TEMPLATE.encode())
    path = tmp_path / "house.dotx"
    path.write_bytes(oxml.write_zip(members.items()))
    data = render(example, "docx", reference_doc=str(path))
    assert oxml.CT_DOCUMENT.encode() in parts(data)["[Content_Types].xml"]


def test_a_previous_output_as_reference_keeps_one_model_part(example, tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(render(example, "docx"))
    data = render(example, "docx", reference_doc=str(path))
    models = [n for n in parts(data) if n.startswith("customXml/item")
              and "Props" not in n]
    assert len(models) == 1
    assert len(reopen(data).paragraphs) == len(reopen(path.read_bytes()).paragraphs)


def test_prepared_templates_are_cached_until_the_file_changes(house):
    first = load_template(house, "en")
    assert load_template(house, "en") is first
    assert load_template(house, "fr") is not first
    stat = os.stat(house)
    os.utime(house, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert load_template(house, "en") is not first


# ---- bad reference documents ----------------------------------------------------------------

def zip_of(members: dict[str, bytes]) -> bytes:
    return oxml.write_zip(members.items())


BAD = {
    "not-a-zip.docx": (b"Just some notes, not Word.", "not a ZIP package"),
    "legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "legacy Word 97-2003"),
    "truncated.docx": (None, "damaged"),
    "empty-zip.docx": (zip_of({"a.txt": b"x"}), "no [Content_Types].xml"),
    "bad-styles.docx": (None, "its part word/styles.xml is not well-formed XML"),
    "macro.docm": (None, "macro-enabled"),
}


def bad_reference(name: str, tmp_path) -> str:
    data, _ = BAD[name]
    if name == "truncated.docx":
        data = default_template_bytes()[:2000]
    elif name == "bad-styles.docx":
        members = parts(default_template_bytes())
        members["word/styles.xml"] = b"<w:styles><unclosed>"
        data = zip_of(members)
    elif name == "macro.docm":
        members = parts(default_template_bytes())
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            oxml.CT_DOCUMENT.encode(), oxml.CT_MACRO[0].encode())
        data = zip_of(members)
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_reference_doc_is_a_located_error(example, tmp_path, name):
    path = bad_reference(name, tmp_path)
    with pytest.raises(InputError) as caught:
        render(example, "docx", reference_doc=path)
    diagnostic, = caught.value.diagnostics
    assert diagnostic.rule == "reference-doc"
    assert diagnostic.location.path == path
    assert BAD[name][1] in diagnostic.message
    assert str(diagnostic).startswith(f"{path}: error[reference-doc]: ")


def test_a_style_of_the_wrong_type_is_a_clear_error(example, tmp_path):
    doc = docx.Document()
    doc.styles.add_style("GFMD Summary Table", WD_STYLE_TYPE.PARAGRAPH)
    path = save(doc, tmp_path / "wrong.docx")
    with pytest.raises(InputError, match="'GFMD Summary Table' is a paragraph style"):
        render(example, "docx", reference_doc=path)


def test_cli_reports_a_missing_reference_doc_and_writes_nothing(plugins, tmp_path):
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(build_cli(plugins), [
        "render", str(EXAMPLE_YAML), "-t", "docx", "-o", str(out),
        "--reference-doc", str(tmp_path / "missing.docx")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing.docx'}: error[io]: no such file" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and os.listdir(tmp_path) == []


def test_cli_reports_a_corrupt_reference_doc_without_traceback(plugins, tmp_path):
    path = bad_reference("truncated.docx", tmp_path)
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(build_cli(plugins), [
        "render", str(EXAMPLE_YAML), "-o", str(out), "--reference-doc", path])
    assert result.exit_code == 1
    assert "error[reference-doc]" in result.output and "Traceback" not in result.output
    assert not out.exists()


# ---- the docx-template command --------------------------------------------------------------

def test_docx_template_writes_the_default(plugins, tmp_path):
    out = tmp_path / "reference.docx"
    result = CliRunner().invoke(build_cli(plugins), ["docx-template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == default_template_bytes()


def test_docx_template_check_lists_what_a_template_lacks(plugins, tmp_path):
    doc = docx.Document()  # python-docx's template has Word's Heading 1 and Heading 2
    doc.styles.add_style("GFMD Session", WD_STYLE_TYPE.PARAGRAPH)
    doc.styles.add_style("GFMD Takeaway", WD_STYLE_TYPE.CHARACTER)
    doc.styles.add_style("GFMD Question", WD_STYLE_TYPE.PARAGRAPH)
    path = save(doc, tmp_path / "partial.docx")
    result = CliRunner().invoke(build_cli(plugins), ["docx-template", "--check", path])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert f"{path}: character style 'GFMD Question Text' missing" in "\n".join(lines)
    assert any("'GFMD Takeaway' is a character style, not a paragraph style" in line
               for line in lines)
    assert not any("'GFMD Session'" in line or "'Heading 1'" in line or "'Heading 2'" in line
                   for line in lines)
    assert len(lines) == len(CONTRACT) - 3
    assert f"{path}: style 'GFMD Question' is no longer used: restyle Heading 2" in \
        result.stderr


def test_docx_template_check_passes_the_default_and_needs_one_option(plugins, tmp_path):
    path = tmp_path / "reference.docx"
    path.write_bytes(default_template_bytes())
    cli = build_cli(plugins)
    result = CliRunner().invoke(cli, ["docx-template", "--check", str(path)])
    assert result.exit_code == 0 and "has all" in result.output
    assert CliRunner().invoke(cli, ["docx-template"]).exit_code == 2


def test_plugin_module_does_not_import_python_docx():
    code = ("import sys, gfmdreport.formats.docx.writer; "
            "print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_docx_writer_is_registered_with_its_options(plugins):
    writer = plugins.registry.writer("docx")
    assert writer.binary and writer.suffix == ".docx"
    assert [(o.name, o.kind) for o in writer.options] == [
        ("reference-doc", "path"), ("toc", "flag"), ("author", "text")]


def test_zip_members_written_by_the_package_helpers_are_valid(tmp_path):
    data = oxml.write_zip([("a.xml", b"<a/>")])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None and zf.read("a.xml") == b"<a/>"


def test_styles_taken_from_the_default_are_reported_once_per_render(example, house,
                                                                    tmp_path):
    from gfmdreport.pipeline import render_report

    assert render_report(example, "docx", reference_doc=house).diagnostics == ()
    path = save(docx.Document(), tmp_path / "plain.docx")
    diagnostic, = render_report(example, "docx", reference_doc=path).diagnostics
    assert diagnostic.severity.value == "info" and diagnostic.location.path == path
    assert "lacks 14 of the 16 contract styles" in diagnostic.message, \
        "python-docx's template has Word's Heading 1 and Heading 2"
    assert "taken from the default: GFMD Session, GFMD Session Details," in \
        diagnostic.message


def test_a_reference_without_page_setup_gets_the_default_a4(example, tmp_path):
    members = parts(default_template_bytes())
    members["word/document.xml"] = re.sub(rb"<w:sectPr>.*</w:sectPr>", b"",
                                          members["word/document.xml"])
    path = tmp_path / "no-section.docx"
    path.write_bytes(zip_of(members))
    doc = reopen(render(example, "docx", reference_doc=str(path)))
    assert doc.sections[0].page_width.twips == 11906
    assert doc.sections[0].footer.paragraphs[0].text.startswith("Page ")


def test_the_summary_language_overrides_a_language_in_the_template_styles(example,
                                                                          tmp_path):
    doc = reopen(default_template_bytes())
    doc.styles["Normal"].element.get_or_add_rPr().append(
        etree.fromstring(f'<w:lang xmlns:w="{oxml.W_NS}" w:val="fr-FR" w:bidi="ar-SA"/>'))
    path = save(doc, tmp_path / "french-house.docx")
    out = reopen(render(example, "docx", reference_doc=path))
    langs = out.styles.element.findall(f".//{qn('w:lang')}")
    assert [lang.get(qn("w:val")) for lang in langs] == ["en-GB", None]
    assert langs[1].get(qn("w:bidi")) == "ar-SA"
