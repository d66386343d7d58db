"""Every XML part of the Word documents gfmdreport writes is valid against the ISO/IEC
29500 transitional schemas (tests/vendor/ooxml, validated with lxml by
tests/ooxml_schemas.py): the examples in English, French and Spanish, with and without
a table of contents, on the default template and on reference documents made by
python-docx, by LibreOffice and from a previous report; the default template itself;
and generated models of every block type with text of every kind."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from ooxml_schemas import HERE
from ooxml_schemas import validate_package
from ooxml_schemas import validate_part
from strategies import inline_texts
from strategies import summaries
from strategies import tricky_texts

from gfmdreport import load
from gfmdreport import render
from gfmdreport.formats.docx import ooxml as oxml
from gfmdreport.formats.docx.write import default_template_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"en": ROOT / "examples/gcm-cluster-3.yaml",
            "fr": ROOT / "examples/gcm-cluster-3.fr.yaml",
            "es": ROOT / "examples/gcm-cluster-3.es.yaml",
            "md": ROOT / "examples/gcm-cluster-3.md"}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
MODEL_PART = re.compile(r"^customXml/item\d+\.xml$")
"""The custom XML part that carries the model: its schema is gfmdreport's own."""


def assert_valid(data: bytes) -> None:
    errors, unchecked = validate_package(data)
    assert errors == [], "\n".join(errors[:10])
    assert all(MODEL_PART.match(name) for name in unchecked), unchecked


# ---- the schemas and the validator ----------------------------------------------------------

def test_the_vendored_schemas_are_the_published_ones():
    readme = (HERE / "README.md").read_text("utf-8")
    listed = re.findall(r"^\s+([0-9a-f]{64})  (\S+)$", readme, re.M)
    assert len(listed) == 20
    for digest, name in listed:
        assert hashlib.sha256((HERE / name).read_bytes()).hexdigest() == digest, name


def test_the_validator_finds_errors_in_every_kind_of_part():
    members = dict(oxml.zip_parts(render(load(EXAMPLES["en"]), "docx")))
    broken = {
        "word/document.xml": (b"<w:pPr><w:pStyle", b"<w:pPr><w:jc w:val=\"left\"/><w:pStyle"),
        "word/styles.xml": (b"<w:qFormat/>", b"<w:qFormat/><w:qFormat/>"),
        "word/numbering.xml": (b"<w:numFmt ", b"<w:numFmat "),
        "docProps/core.xml": (b"2017-09-06T00:00:00Z", b"6 September 2017"),
        "[Content_Types].xml": (b"<Override ", b"<Overide "),
        "word/_rels/document.xml.rels": (b"Target=", b"Targt="),
    }
    for name, (old, new) in broken.items():
        assert validate_part(name, members[name]) == [], name
        assert old in members[name], name
        assert validate_part(name, members[name].replace(old, new, 1)), name


# ---- reference documents ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, str]:
    """House templates of every origin: the default restyled with python-docx (a header,
    US Letter), python-docx's own template (Word's styles, a theme, w14 markup), the
    default saved by LibreOffice, and a previous report."""
    folder = tmp_path_factory.mktemp("references")
    house = docx.Document(io.BytesIO(default_template_bytes()))
    house.styles["GFMD Numbered Paragraph"].font.name = "Times New Roman"
    section = house.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "GFMD Secretariat"
    house.save(folder / "house.docx")
    docx.Document().save(folder / "python-docx.docx")
    (folder / "previous.docx").write_bytes(render(load(EXAMPLES["en"]), "docx"))
    (folder / "default.docx").write_bytes(default_template_bytes())
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "lo"),
                    str(folder / "default.docx")], capture_output=True, timeout=240,
                   check=True)
    found = {name: str(folder / f"{name}.docx") for name in ("house", "python-docx",
                                                            "previous")}
    found["libreoffice"] = str(folder / "lo" / "default.docx")
    return found


def test_the_default_template_is_valid():
    assert_valid(default_template_bytes())


def test_a_template_against_the_schema_gives_a_valid_report(references):
    """python-docx's own template has a zoom without its percentage, which the schema
    requires: the report made on it has it repaired."""
    errors, _ = validate_package(Path(references["python-docx"]).read_bytes())
    assert [e for e in errors if "zoom" in e]
    assert_valid(render(load(EXAMPLES["en"]), "docx", reference_doc=references["python-docx"]))


# ---- every report -------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr", "es", "md"])
@pytest.mark.parametrize("options", [{}, {"toc": True}, {"author": "GFMD Support Unit"}],
                         ids=["plain", "toc", "author"])
def test_every_part_of_every_example_report_is_valid(language, options):
    assert_valid(render(load(EXAMPLES[language]), "docx", **options))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("reference", ["house", "python-docx", "libreoffice", "previous"])
def test_every_part_of_a_report_on_a_reference_document_is_valid(references, reference,
                                                                 language):
    data = render(load(EXAMPLES[language]), "docx", reference_doc=references[reference],
                  toc=True)
    assert_valid(data)


PROFILE = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROFILE
@given(summaries(text=st.one_of(inline_texts(), tricky_texts()), max_blocks=4),
       st.booleans())
def test_every_part_of_a_report_of_any_model_is_valid(summary, toc):
    assert_valid(render(summary, "docx", toc=toc))
