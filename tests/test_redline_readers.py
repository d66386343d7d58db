"""The Word redline in independent readers: pandoc, which reads tracked changes
(``--track-changes=accept|reject|all``), and LibreOffice, which shows them when it
prints the document (checked in the PDF's text)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from redline_support import EDITS
from redline_support import OPTIONS
from redline_support import example

from gfmdreport import render
from gfmdreport.formats.docx.write import render_redline

PANDOC = shutil.which("pandoc")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


def pandoc(data: bytes, changes: str) -> str:
    done = subprocess.run([PANDOC, "-f", "docx", "-t", "html", "--wrap=none",
                           f"--track-changes={changes}"], input=data, capture_output=True,
                          timeout=120, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")
@pytest.mark.parametrize("name", sorted(EDITS))
def test_pandoc_accepting_reads_the_new_report_and_rejecting_the_old(name):
    old = example()
    new = EDITS[name](old)
    data = render_redline(old, new, OPTIONS)
    # pandoc keeps a list item whose paragraph mark it resolves away, emptied (an
    # inserted one rejected, a deleted one accepted), where Word and LibreOffice remove
    # it: the words are compared
    assert words(pandoc(data, "accept")) == words(pandoc(render(new, "docx"), "accept"))
    assert words(pandoc(data, "reject")) == words(pandoc(render(old, "docx"), "accept"))


def words(text: str) -> list[str]:
    """The words of pandoc's HTML, without the markup (empty list items vanish)."""
    text = re.sub(r"</?(strong|em|a|code|span)\b[^>]*>", "", text)  # pandoc does not
    return html.unescape(re.sub(r"<[^>]*>", " ", text)).split()  # undo w:rPrChange


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")
def test_pandoc_sees_each_change_with_its_author():
    old = example()
    data = render_redline(old, EDITS["one_word"](EDITS["question_deleted"](old)), OPTIONS)
    done = subprocess.run([PANDOC, "-f", "docx", "-t", "native", "--track-changes=all"],
                          input=data, capture_output=True, timeout=120, check=True)
    native = done.stdout.decode("utf-8")
    assert native.count('"insertion"') >= 1
    assert native.count('"deletion"') >= 2
    assert '"paragraph-deletion"' in native
    assert '"author" , "A. Reviewer"' in native


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                    reason="LibreOffice or pdftotext is not installed")
def test_libreoffice_prints_the_insertions_and_the_deletions(tmp_path):
    old = example()
    new = EDITS["header_field_changed"](EDITS["one_word"](old))
    (tmp_path / "changes.docx").write_bytes(render_redline(old, new, OPTIONS))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "changes.docx")], capture_output=True, timeout=240,
                   check=True)
    text = subprocess.run([PDFTOTEXT, str(tmp_path / "changes.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    words = " ".join(text.split())
    assert "major recentnew advancements" in words  # deleted, then inserted
    assert "Hotel Savoyen – Mancini 3b" in words and "Palais des Nations" in words
    # and the unchanged report prints the new words alone
    (tmp_path / "new.docx").write_bytes(render(new, "docx"))
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "new.docx")], capture_output=True, timeout=240,
                   check=True)
    plain = subprocess.run([PDFTOTEXT, str(tmp_path / "new.pdf"), "-"],
                           capture_output=True, check=True).stdout.decode("utf-8")
    assert "Hotel Savoyen" not in plain and "major new advancements" in " ".join(
        plain.split())
