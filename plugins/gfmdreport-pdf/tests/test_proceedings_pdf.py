"""Proceedings as PDF through LibreOffice: the contents filled with each heading's page,
the chapters each starting a page (one conversion for the module)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from gfmdreport_pdf.proceedings import live_contents
from lxml import etree

from gfmdreport import load_proceedings
from gfmdreport import render_proceedings

REPO = Path(__file__).resolve().parents[3]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None,
                       reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="poppler-utils (pdftotext) is not installed"),
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    loaded = load_proceedings(REPO / "examples" / "proceedings.yaml")
    pdf = render_proceedings(loaded.proceedings, "pdf")
    path = tmp_path_factory.mktemp("pdf") / "proceedings.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return loaded.proceedings, text.split("\f")


def test_the_contents_gives_the_page_each_chapter_starts_on(pages):
    proceedings, text = pages
    contents = " ".join(text[1].split())
    for number, chapter in enumerate(proceedings.chapters, 1):
        tail = chapter.summary.session.split()[-1]
        # (a title that fills its last line leaves little room for the dotted leader)
        found = re.search(rf"{number}\. .*?{re.escape(tail)}\s*\.*\s*(\d+)", contents)
        assert found, f"chapter {number} has no page number in the contents"
        page = int(found.group(1))
        first_line = " ".join(text[page - 1].split())
        assert f"{number}. {chapter.summary.session.split(':')[0]}" in first_line
    annex = re.search(r"Annex\s*\.{5,}\s*(\d+)", contents)
    assert annex and text[int(annex.group(1)) - 1].lstrip().startswith("Annex")


def test_live_contents_takes_out_only_the_toc_fields_markers():
    loaded = load_proceedings(REPO / "examples" / "proceedings.yaml")
    document = render_proceedings(loaded.proceedings, "docx")
    import io
    import zipfile

    def fields(data):
        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
        instructions = [" ".join(t.text.split()) for t in root.iter(f"{W}instrText")]
        chars = [c.get(f"{W}fldCharType") for c in root.iter(f"{W}fldChar")]
        return instructions, chars

    before, chars_before = fields(document)
    after, chars_after = fields(live_contents(document))
    assert [i for i in before if not i.startswith("TOC")] == after
    assert any(i.startswith("TOC") for i in before)
    assert len(chars_before) - len(chars_after) == 3
