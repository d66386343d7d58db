"""Bad DOCX inputs: each refused with one clear error naming the file, never a
traceback, never an output file; nothing in them is expanded or fetched."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from gfmdreport import InputError
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.cli import main
from gfmdreport.formats.docx.ooxml import package

HERE = Path(__file__).resolve().parent / "docx"


@pytest.fixture(scope="module")
def good(example) -> bytes:
    return render(example, "docx")


def rewrite(data: bytes, change=lambda name, blob: blob, extra=()) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            blob = change(info.filename, src.read(info))
            if blob is not None:
                zf.writestr(info.filename, blob)
        for name, blob in extra:
            zf.writestr(name, blob)
    return out.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        loads(data, "docx", path="bad.docx")
    (problem,) = caught.value.diagnostics
    assert problem.location.path == "bad.docx"
    assert "\n" not in str(problem)
    return str(problem)


def test_text_that_is_not_a_zip():
    message = refusal(b"Session summary\n\n1. The session was chaired by ...\n")
    assert "not a Word document (.docx): it is not a ZIP package" in message
    assert refusal(b"%PDF-1.7\n...").count("pdftotext") == 1


def test_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("notes.txt", "hello")
    assert "a ZIP archive, but not a Word document" in refusal(out.getvalue())


def test_a_spreadsheet_is_named(good):
    sheet = rewrite(good, lambda name, blob: blob.replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
        if name == "[Content_Types].xml" else blob)
    assert "this is an Excel workbook (.xlsx)" in refusal(sheet)


def test_a_password_protected_document():
    message = refusal((HERE / "password.docx").read_bytes())
    assert "password-protected (encrypted)" in message
    assert "remove the password" in message


def test_a_legacy_word_file():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    assert "Word 97-2003 file (.doc)" in refusal(ole)


def test_an_external_relationship_is_refused_and_never_fetched(good):
    linked = rewrite(good, lambda name, blob: blob.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/attachedTemplate" Target="http://127.0.0.1:9/t.dotm" '
        b'TargetMode="External"/></Relationships>')
        if name == "word/_rels/document.xml.rels" else blob)
    message = refusal(linked)
    assert "external relationship (attachedTemplate → http://127.0.0.1:9/t.dotm)" in message
    assert "nothing is fetched" in message


def test_an_external_hyperlink_is_a_link_not_a_refusal():
    from gfmdreport import Paragraph
    from gfmdreport import SessionSummary

    summary = SessionSummary(title="T", body=(Paragraph("[GFMD](https://www.gfmd.org/)"),))
    back = loads(render(summary, "docx"), "docx")
    assert back.body[0].text == "[GFMD](https://www.gfmd.org/)"


@pytest.mark.parametrize("declaration", [
    b'<!DOCTYPE w:document [<!ENTITY x "expanded">]>',
    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
], ids=["internal", "external-file", "billion-laughs"])
def test_an_entity_declaration_is_refused(good, declaration):
    def change(name, blob):
        if name != "word/document.xml":
            return blob
        blob = blob.replace(b"<w:document", declaration + b"<w:document", 1)
        return blob.replace(b"Hotel Savoyen", b"&x;&b; Hotel Savoyen", 1)

    message = refusal(rewrite(good, change))
    assert "word/document.xml declares a document type or entities" in message


def test_an_entity_declaration_after_the_first_kilobytes_is_still_refused(good):
    """A parser would read a declaration anywhere in the prolog; so does the check."""
    def change(name, blob):
        if name != "word/document.xml":
            return blob
        declaration = b'<!DOCTYPE w:document [<!ENTITY x "y">]>'
        return blob.replace(b"?>", b"?>" + b"<!--" + b" " * 5000 + b"-->" + declaration, 1)

    message = refusal(rewrite(good, change))
    assert "declares a document type or entities" in message


def test_a_zip_bomb_is_refused_from_its_declared_size(good, monkeypatch):
    monkeypatch.setenv("GFMDREPORT_MAX_DOCX_BYTES", str(2**20))
    bomb = rewrite(good, extra=[("word/media/zeros.bin", bytes(2 * 2**20))])
    assert len(bomb) < 60_000
    message = refusal(bomb)
    assert "over the DOCX unpacked size limit of 1,048,576" in message
    assert "ZIP bomb" in message
    assert "GFMDREPORT_MAX_DOCX_BYTES=" in message


def test_a_zip_that_lies_about_its_sizes_stops_at_what_it_declares(good):
    """A member declaring less than it holds is never unpacked past its declared size:
    its CRC check fails and the package is reported as damaged."""
    bomb = rewrite(good, lambda name, blob: blob + b" " * (4 * 2**20)
                   if name == "word/document.xml" else blob)
    data = bytearray(bomb)
    zf = zipfile.ZipFile(io.BytesIO(bomb))
    target = zf.getinfo("word/document.xml")
    struct.pack_into("<I", data, target.header_offset + 22, 1000)  # local header
    at = zf.start_dir
    for info in zf.infolist():  # central directory entries, in order
        if info.filename == target.filename:
            struct.pack_into("<I", data, at + 24, 1000)
        at += 46 + len(info.orig_filename.encode()) + len(info.extra) + len(info.comment)
    message = refusal(bytes(data))
    assert "the part word/document.xml is damaged" in message


def test_too_many_members(good, monkeypatch):
    monkeypatch.setattr(package, "MAX_MEMBERS", 20)
    crowded = rewrite(good, extra=[(f"word/media/m{i}.bin", b"x") for i in range(30)])
    assert "more than the 20 a Word document could have" in refusal(crowded)


def test_a_damaged_zip(good):
    assert "the ZIP package is damaged" in refusal(good[: len(good) // 2])


def test_a_part_that_is_not_xml(good):
    broken = rewrite(good, lambda name, blob: blob[:-40] if name == "word/document.xml"
                     else blob)
    assert "word/document.xml is not well-formed XML" in refusal(broken)


def test_the_cli_prints_one_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "summary.docx"
    bad.write_bytes((HERE / "password.docx").read_bytes())
    out = tmp_path / "notes.md"
    with pytest.raises(SystemExit) as done:
        main(["render", str(bad), "-o", str(out)])
    assert done.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{bad}: error[docx-package]: ")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_a_paragraph_whose_formatting_changes_past_the_limit_keeps_its_text(good):
    """A paragraph of thousands of one-letter runs, bold and plain in turn: its text is
    read whole, without its formatting, with a warning at its paragraph; a paragraph just
    under the limit keeps its bold."""
    from gfmdreport.formats.docx.read.document import MAX_PIECES

    def with_runs(count: int) -> bytes:
        runs = (b'<w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t></w:r>'
                b'<w:r><w:t xml:space="preserve">b </w:t></w:r>') * (count // 2)
        paragraph = (b'<w:p><w:pPr><w:pStyle w:val="GFMDNumberedParagraph"/></w:pPr>'
                     + runs + b"</w:p>")

        def change(name, blob):
            if name.startswith("customXml/"):
                return None
            if name == "word/document.xml":
                at = blob.rindex(b"<w:sectPr")
                return blob[:at] + paragraph + blob[at:]
            return blob
        return rewrite(good, change)

    over = loads(with_runs(MAX_PIECES + 2), "docx", path="many.docx")
    last = [b for b in over.body if type(b).__name__ == "Paragraph"][-1]
    assert last.text == ("ab " * ((MAX_PIECES + 2) // 2)).strip()
    warned = [d for d in over.diagnostics if d.rule == "docx-markup"]
    assert len(warned) == 1 and f"more than {MAX_PIECES:,} times" in warned[0].message
    assert warned[0].location.path == "many.docx"

    under = loads(with_runs(MAX_PIECES - 100), "docx", path="fewer.docx")
    last = [b for b in under.body if type(b).__name__ == "Paragraph"][-1]
    assert last.text.startswith("**a**b **a**b ")
    assert not [d for d in under.diagnostics if "more than" in d.message]
