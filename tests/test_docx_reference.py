"""A house reference document reduced to what a template may give (issue #17, item 3):
an externally linked picture in its header, a remote attached template and macros are
left out of every report made with it, each with a warning; what a template may give
(the header's text and its hyperlink) is kept, every part stays schema-valid, and no
relationship of the report reaches outside it but a hyperlink."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from ooxml_schemas import validate_package

from gfmdreport import load
from gfmdreport.formats.docx.write import default_template_bytes
from gfmdreport.pipeline import render_report

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "gcm-cluster-3.yaml"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL = '<Relationship Id="{}" Type="{}" Target="{}"{}/>'

def hostile_reference() -> bytes:
    z = zipfile.ZipFile(io.BytesIO(default_template_bytes()))
    parts = {n: z.read(n) for n in z.namelist()}
    header = (f'<w:hdr xmlns:w="{W}" xmlns:r="{R}" xmlns:v="urn:schemas-microsoft-com:vml" '
              'xmlns:o="urn:schemas-microsoft-com:office:office"><w:p><w:r><w:t>GFMD '
              'Secretariat</w:t></w:r><w:hyperlink r:id="rLink"><w:r><w:t>gfmd.org</w:t>'
              '</w:r></w:hyperlink><w:r><w:pict><v:shape id="logo" style="width:20pt;'
              'height:20pt"><v:imagedata r:id="rImg" o:title=""/></v:shape></w:pict></w:r>'
              '</w:p></w:hdr>').encode()
    parts["word/header1.xml"] = header
    parts["word/_rels/header1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        + REL.format("rImg", RT + "image", "http://127.0.0.1:9/logo.png",
                     ' TargetMode="External"')
        + REL.format("rLink", RT + "hyperlink", "https://www.gfmd.org/",
                     ' TargetMode="External"') + "</Relationships>").encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        REL.format("rHdr", RT + "header", "header1.xml", "")
                        + REL.format("rVba", "http://schemas.microsoft.com/office/2006/"
                                     "relationships/vbaProject", "vbaProject.bin", "")
                        + "</Relationships>")
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro bytes"
    doc = parts["word/document.xml"].decode()
    doc = re.sub(r"<w:sectPr([^>]*)>", r'<w:sectPr\1><w:headerReference w:type="default" '
                 r'r:id="rHdr"/>', doc, count=1)
    if 'xmlns:r=' not in doc[:600]:
        doc = doc.replace("<w:document ", f'<w:document xmlns:r="{R}" ', 1)
    parts["word/document.xml"] = doc.encode()
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rTpl"/>',
                      settings, count=1)
    if 'xmlns:r=' not in settings[:600]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{R}" ', 1)
    parts["word/settings.xml"] = settings.encode()
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        + REL.format("rTpl", RT + "attachedTemplate", "http://127.0.0.1:9/house.dotm",
                     ' TargetMode="External"') + "</Relationships>").encode()
    ct = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/word/header1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>'))
    parts["[Content_Types].xml"] = ct.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return out.getvalue()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "house.docx"
    path.write_bytes(hostile_reference())
    result = render_report(load(EXAMPLE), "docx", reference_doc=str(path))
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    return result, members


def test_each_drop_is_a_warning_naming_it(report):
    result, _ = report
    said = [d.message for d in result.diagnostics if d.rule == "reference-doc"]
    assert len(said) == 3
    assert any("attached template http://127.0.0.1:9/house.dotm" in m for m in said)
    assert any("picture to http://127.0.0.1:9/logo.png" in m and "header1.xml" in m
               for m in said)
    assert any("macros (word/vbaProject.bin)" in m for m in said)


def test_nothing_of_it_reaches_the_report(report):
    _, members = report
    assert not [n for n in members if "vbaproject" in n.lower()]
    assert b"vbaProject" not in members["[Content_Types].xml"]
    assert b"attachedTemplate" not in members["word/settings.xml"]
    header = members["word/header1.xml"]
    assert b"imagedata" not in header and b"pict" not in header
    for name, blob in members.items():
        if not name.endswith(".rels"):
            continue
        for rel in etree.fromstring(blob).iter(f"{PR}Relationship"):
            if rel.get("TargetMode") == "External":
                assert rel.get("Type").endswith("/hyperlink"), (name, rel.get("Target"))
            assert "127.0.0.1" not in rel.get("Target"), (name, rel.get("Target"))


def test_what_a_template_may_give_is_kept_and_every_reference_resolves(report):
    _, members = report
    header = etree.fromstring(members["word/header1.xml"])
    assert "GFMD Secretariat" in "".join(header.itertext())
    assert "gfmd.org" in "".join(header.itertext())
    for name, blob in members.items():
        if not name.endswith(".xml") or name.startswith("customXml/"):
            continue
        used = {v for el in etree.fromstring(blob).iter()
                for k, v in el.attrib.items() if k.startswith(R_ID)}
        if not used:
            continue
        folder, base = name.rsplit("/", 1) if "/" in name else ("", name)
        rels = members.get(f"{folder}/_rels/{base}.rels".lstrip("/"))
        have = {r.get("Id") for r in etree.fromstring(rels).iter(f"{PR}Relationship")} \
            if rels else set()
        assert used <= have, (name, used - have)
    errors, _ = validate_package(pack(members))
    assert errors == [], errors[:5]


def pack(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()
