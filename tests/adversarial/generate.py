"""Inputs of the adversarial corpus that are too big, binary, or not files at all (FIFOs,
symbolic links, folder trees): each function makes one case's input in ``folder`` (the
sandbox's ``in/``) and returns the path to give the tool.

``PORT`` is set by the runner before a function is called: a local port that listens
during the case, so that an input naming ``http://127.0.0.1:PORT/`` shows whether
anything was fetched.

Run ``python tests/adversarial/generate.py NAME FOLDER`` to make one input by hand.
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"
SECRET = "GFMD-SECRET-3f1c9a"
"""A marker in files that hostile inputs try to pull in; no output may contain it."""
PORT = 9

MB = 2**20


def _example(folder: Path, name: str = "notes.yaml") -> Path:
    path = folder / name
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def _secret(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(f"{SECRET}\n", "utf-8")
    return path


HEAD = """title: GFMD Thematic Workshop
session: Adversarial
date: 2017-09-06
time: 10:30-12:30
venue: Geneva
chairs:
  - name: Ola Henrikson
rapporteurs:
  - name: Steffen Angenendt
"""

MD_HEAD = """---
title: GFMD Thematic Workshop
session: Adversarial
date: 2017-09-06
chairs: [{name: Ola Henrikson}]
rapporteurs: [{name: Steffen Angenendt}]
---

The working session was chaired by Mr. Ola Henrikson.

"""


# ---- size -----------------------------------------------------------------------------------

def input_100mb(folder: Path) -> Path:
    """100 MB of notes (sparse: the size limit refuses it before a byte is read)."""
    path = folder / "huge.md"
    with open(path, "wb") as fh:
        fh.write(MD_HEAD.encode())
        fh.truncate(100 * MB)
    return path


def over_custom_limit(folder: Path) -> Path:
    return _example(folder)


def long_line_md(folder: Path) -> Path:
    """One paragraph on a single 5 MB line."""
    words = b"migration governance cooperation development partnership "
    line = (words * (5 * MB // len(words) + 1))[:5 * MB]
    path = folder / "long-line.md"
    path.write_bytes(MD_HEAD.encode() + line + b"\n")
    return path


def long_line_yaml(folder: Path) -> Path:
    """A 5 MB question text on one line of YAML."""
    words = "migration governance cooperation development partnership "
    text = (words * (5 * MB // len(words) + 1))[:5 * MB].strip()
    path = folder / "long-line.yaml"
    path.write_text(HEAD + f"body:\n  - question:\n      text: {text}\n      takeaways: [x]\n",
                    "utf-8")
    return path


def bullets_100k_md(folder: Path) -> Path:
    path = folder / "bullets.md"
    path.write_text(MD_HEAD + "## Question 1: How?\n\n"
                    + "".join(f"- point {i}\n" for i in range(100_000)), "utf-8")
    return path


def bullets_30k_yaml(folder: Path) -> Path:
    path = folder / "bullets.yaml"
    path.write_text(HEAD + "body:\n  - question:\n      text: How?\n      takeaways:\n"
                    + "".join(f"        - point {i}\n" for i in range(30_000)), "utf-8")
    return path


def paragraphs_20k_json(folder: Path) -> Path:
    """20,000 paragraphs: over the blocks limit."""
    import json

    data = {"title": "t", "body": [{"type": "paragraph", "text": f"p {i}"}
                                   for i in range(20_000)]}
    path = folder / "many.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def markup_notes_49mb(folder: Path) -> Path:
    """49 MB of Markdown notes heavy with inline markup: 5,600 paragraphs of 9 KB, every
    other word bold, italic, code or a link (some 7 million formatted runs)."""
    words = ("**migration**", "*governance*", "`GCM`", "[cooperation](https://gfmd.org/a)",
             "***partnership***", "development")
    line = " ".join(words[i % len(words)] + f" w{i}" for i in range(420))
    para = (line + " ")[:8_750].rsplit(" ", 1)[0] + "\n\n"
    path = folder / "markup.md"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(MD_HEAD)
        for n in range(5_600):  # each paragraph its own text
            fh.write(f"Paragraph {n}: {para}")
    return path


def docx_million_runs(folder: Path) -> Path:
    """A Word file of some 225 KB holding 1.15 million formatted runs (bold and plain in
    turn, a letter each) in 100 numbered paragraphs: it unpacks to some 50 MB of XML."""
    parts = _word_parts()
    run = (b'<w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t></w:r>'
           b'<w:r><w:t xml:space="preserve">b </w:t></w:r>')
    body = parts["word/document.xml"].decode("utf-8")
    paragraph = ('<w:p><w:pPr><w:pStyle w:val="GFMDNumberedParagraph"/></w:pPr>'
                 + (run * 5_750).decode() + "</w:p>")
    first = body.index("<w:body>") + len("<w:body>")
    last = body.rindex("<w:sectPr")
    body = body[:first] + paragraph * 100 + body[last:]
    parts["word/document.xml"] = body.encode("utf-8")
    parts = {name: blob for name, blob in parts.items()
             if not name.startswith("customXml/")}
    return _docx(folder, parts, "million-runs.docx")


# ---- nesting --------------------------------------------------------------------------------

def yaml_deep_flow(folder: Path) -> Path:
    path = folder / "deep-flow.yaml"
    path.write_text("title: t\nbody: " + "[" * 10_000 + "]" * 10_000 + "\n", "utf-8")
    return path


def yaml_deep_block(folder: Path) -> Path:
    """10,000 levels of block sequences, one per line (``- - - …``)."""
    path = folder / "deep-block.yaml"
    path.write_text("title: t\nbody:\n" + "- " * 10_000 + "x\n", "utf-8")
    return path


def yaml_deep_maps(folder: Path) -> Path:
    path = folder / "deep-maps.yaml"
    path.write_text("title: t\nbody: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n", "utf-8")
    return path


def json_deep_arrays(folder: Path) -> Path:
    path = folder / "deep.json"
    path.write_text('{"title": "t", "body": ' + "[" * 10_000 + "]" * 10_000 + "}", "utf-8")
    return path


def json_deep_objects(folder: Path) -> Path:
    path = folder / "deep-objects.json"
    path.write_text('{"body": [' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "]}", "utf-8")
    return path


def _nested_items(levels: int) -> str:
    lines = []
    for level in range(levels):
        pad = "        " + "    " * level
        lines.append(f"{pad}- text: level {level + 1}\n")
        lines.append(f"{pad}  items:\n")
    lines.append("        " + "    " * levels + "- the deepest\n")
    return "".join(lines)


def items_25_deep(folder: Path) -> Path:
    """Takeaways nested 26 levels: valid YAML, over the nesting-depth limit."""
    path = folder / "deep-items.yaml"
    path.write_text(HEAD + "body:\n  - question:\n      text: How?\n      takeaways:\n"
                    + _nested_items(25), "utf-8")
    return path


def md_deep_lists(folder: Path) -> Path:
    """10,000 levels of lists on one line (``- - - … x``)."""
    path = folder / "deep-lists.md"
    path.write_text(MD_HEAD + "## Question 1: How?\n\n" + "- " * 10_000 + "x\n", "utf-8")
    return path


def md_deep_indented(folder: Path) -> Path:
    """300 levels of indented sub-lists, one per line."""
    path = folder / "deep-indented.md"
    path.write_text(MD_HEAD + "## Question 1: How?\n\n"
                    + "".join("  " * i + f"- level {i}\n" for i in range(300)), "utf-8")
    return path


def md_deep_quotes(folder: Path) -> Path:
    path = folder / "deep-quotes.md"
    path.write_text(MD_HEAD + ">" * 10_000 + " x\n", "utf-8")
    return path


def md_deep_emphasis(folder: Path) -> Path:
    path = folder / "deep-emphasis.md"
    path.write_text(MD_HEAD + "*" * 50_000 + "x" + "*" * 50_000 + "\n", "utf-8")
    return path


def md_brackets(folder: Path) -> Path:
    """Link syntax that backtracks: 50,000 unclosed brackets, then as many closed."""
    path = folder / "brackets.md"
    path.write_text(MD_HEAD + "[" * 50_000 + "x" + "](" * 20_000 + "\n\n"
                    + "[a](b " * 20_000 + "\n", "utf-8")
    return path


def md_backticks(folder: Path) -> Path:
    """Code spans that never close, of every length up to 1,000 backticks."""
    path = folder / "backticks.md"
    path.write_text(MD_HEAD + " ".join("`" * n for n in range(1, 1000)) + "\n", "utf-8")
    return path


def md_wide_table(folder: Path) -> Path:
    """A pipe table of 2,000 columns."""
    n = 2_000
    path = folder / "wide-table.md"
    path.write_text(MD_HEAD + "## Question 1: How?\n\n- x\n\n"
                    + "| " + " | ".join(f"h{i}" for i in range(n)) + " |\n"
                    + "|" + "---|" * n + "\n"
                    + "| " + " | ".join(f"c{i}" for i in range(n)) + " |\n", "utf-8")
    return path


# ---- encodings and bytes --------------------------------------------------------------------

def binary_garbage(folder: Path) -> Path:
    path = folder / "garbage.yaml"
    path.write_bytes(random.Random(11).randbytes(64 * 1024))
    return path


def binary_garbage_md(folder: Path) -> Path:
    path = folder / "garbage.md"
    path.write_bytes(random.Random(12).randbytes(64 * 1024))
    return path


def docx_named_yaml(folder: Path) -> Path:
    """A Word document renamed to .yaml."""
    from gfmdreport.formats.docx.write.template import default_template_bytes

    path = folder / "report.yaml"
    path.write_bytes(default_template_bytes())
    return path


def utf16_le_bom(folder: Path) -> Path:
    path = folder / "utf16.yaml"
    path.write_bytes(EXAMPLE.read_text("utf-8").encode("utf-16"))
    return path


def utf16_be_bom_md(folder: Path) -> Path:
    path = folder / "utf16be.md"
    text = (ROOT / "examples" / "gcm-cluster-3.md").read_text("utf-8")
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    return path


def utf16_no_bom(folder: Path) -> Path:
    path = folder / "utf16-nobom.yaml"
    path.write_bytes(EXAMPLE.read_text("utf-8").encode("utf-16-le"))
    return path


def utf16_no_bom_md(folder: Path) -> Path:
    path = folder / "utf16-nobom.md"
    path.write_bytes((ROOT / "examples" / "gcm-cluster-3.md").read_text("utf-8")
                     .encode("utf-16-be"))
    return path


def utf16_bad(folder: Path) -> Path:
    """A UTF-16 byte-order mark, then a lone surrogate."""
    path = folder / "utf16-bad.yaml"
    path.write_bytes(b"\xff\xfe" + "title: t\n".encode("utf-16-le") + b"\x00\xd8x\x00")
    return path


# ---- not regular files ----------------------------------------------------------------------

def fifo(folder: Path) -> Path:
    path = folder / "notes.yaml"
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path) -> Path:
    a, b = folder / "a.yaml", folder / "b.yaml"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return a


def dev_zero(folder: Path) -> Path:
    path = folder / "zero.yaml"
    path.symlink_to("/dev/zero")
    return path


def folder_named_yaml(folder: Path) -> Path:
    path = folder / "notes.yaml"
    path.mkdir()
    (path / "inside.yaml").write_bytes(EXAMPLE.read_bytes())
    return path


# ---- Word packages: reference documents and (read back) notes ---------------------------------

def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
    return out.getvalue()


def _word_parts() -> dict[str, bytes]:
    from gfmdreport import load
    from gfmdreport import render

    data = render(load(EXAMPLE), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _zip_bomb(path: Path, parts: dict[str, bytes], megabytes: int) -> None:
    """The package with one more member: ``megabytes`` MB of zeros (deflated to a few
    hundred KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
        with zf.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = bytes(MB)
            for _ in range(megabytes):
                fh.write(chunk)


def _lying(data: bytes, member: str, claimed: int) -> bytes:
    """The package with ``member``'s uncompressed size rewritten as ``claimed`` in its
    local header and in the central directory (it inflates to far more)."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", buf, info.header_offset + 22, claimed)
    name = member.encode()
    at = 0
    while (at := buf.find(b"PK\x01\x02", at)) != -1:
        length = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", buf, at + 24, claimed)
        at += 4
    return bytes(buf)


_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE w:styles [\n <!ENTITY lol "lol">\n'
           + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                     for i in range(1, 10))
           + "]>\n")


def _entity_bomb_xml(xml: bytes) -> bytes:
    """``xml`` with a billion-laughs DOCTYPE and the top entity used in its first text
    (or attribute value)."""
    text = xml.decode("utf-8")
    body = text[text.index("?>") + 2:].lstrip() if text.startswith("<?xml") else text
    if "<w:t>" in body:
        body = body.replace("<w:t>", "<w:t>&lol9;", 1)
    else:
        body = body.replace('w:val="', 'w:val="&lol9;', 1)
    return (_LAUGHS.replace("w:styles", _root(body)) + body).encode("utf-8")


def _root(xml: str) -> str:
    start = xml.index("<w:")
    return xml[start + 1:xml.index(" ", start)]


def _xxe_xml(xml: bytes, url: str) -> bytes:
    text = xml.decode("utf-8")
    body = text[text.index("?>") + 2:].lstrip() if text.startswith("<?xml") else text
    doctype = f'<!DOCTYPE {_root(body)} [\n <!ENTITY xxe SYSTEM "{url}">\n]>\n'
    if "<w:t>" in body:
        body = body.replace("<w:t>", "<w:t>&xxe;", 1)
    return ('<?xml version="1.0"?>\n' + doctype + body).encode("utf-8")


def refdoc_zip_bomb(folder: Path) -> Path:
    from gfmdreport.formats.docx.write.template import default_template_bytes

    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    _zip_bomb(folder / "house.docx", parts, 300)
    return _example(folder)


def refdoc_lying_size(folder: Path) -> Path:
    from gfmdreport.formats.docx.write.template import default_template_bytes

    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["word/styles.xml"] = parts["word/styles.xml"] + b" " * (40 * MB)
    data = _lying(_package(parts), "word/styles.xml", 4096)
    (folder / "house.docx").write_bytes(data)
    return _example(folder)


def _refdoc_with(folder: Path, part: str, change) -> Path:
    from gfmdreport.formats.docx.write.template import default_template_bytes

    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts[part] = change(parts[part])
    (folder / "house.docx").write_bytes(_package(parts))
    return _example(folder)


def refdoc_entity_bomb(folder: Path) -> Path:
    return _refdoc_with(folder, "word/styles.xml", _entity_bomb_xml)


def refdoc_xxe(folder: Path) -> Path:
    secret = _secret(folder)
    return _refdoc_with(folder, "word/document.xml",
                        lambda xml: _xxe_xml(xml, secret.as_uri()))


def refdoc_xxe_network(folder: Path) -> Path:
    return _refdoc_with(folder, "word/styles.xml",
                        lambda xml: _xxe_xml(xml, f"http://127.0.0.1:{PORT}/styles"))


def refdoc_external_relationship(folder: Path) -> Path:
    """Relationships to an external template, an image and a header on a local server."""
    def change(rels: bytes) -> bytes:
        extra = (
            f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/attachedTemplate" '
            f'Target="http://127.0.0.1:{PORT}/template.dotm" TargetMode="External"/>'
            f'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" '
            f'Target="http://127.0.0.1:{PORT}/logo.png" TargetMode="External"/>'
            f'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/oleObject" '
            f'Target="file:///etc/passwd" TargetMode="External"/>')
        return rels.replace(b"</Relationships>", extra.encode() + b"</Relationships>")

    return _refdoc_with(folder, "word/_rels/document.xml.rels", change)


def refdoc_not_zip(folder: Path) -> Path:
    (folder / "house.docx").write_text("not a Word document\n", "utf-8")
    return _example(folder)


def refdoc_truncated(folder: Path) -> Path:
    from gfmdreport.formats.docx.write.template import default_template_bytes

    data = default_template_bytes()
    (folder / "house.docx").write_bytes(data[:len(data) // 2])
    return _example(folder)


def refdoc_many_members(folder: Path) -> Path:
    from gfmdreport.formats.docx.write.template import default_template_bytes

    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    for i in range(20_000):
        parts[f"customXml/item{i}.xml"] = b"<a/>"
    (folder / "house.docx").write_bytes(_package(parts))
    return _example(folder)


def refdoc_traversal_names(folder: Path) -> Path:
    """Members named ``../../escaped.xml`` and ``/abs.xml``: never extracted anywhere."""
    from gfmdreport.formats.docx.write.template import default_template_bytes

    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["../../escaped.xml"] = b"<a/>"
    parts["/abs.xml"] = b"<a/>"
    (folder / "house.docx").write_bytes(_package(parts))
    return _example(folder)


# -- Word documents to read back (the docx reader) --

def _docx(folder: Path, parts: dict[str, bytes], name: str = "report.docx") -> Path:
    path = folder / name
    path.write_bytes(_package(parts))
    return path


def docx_zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.docx"
    _zip_bomb(path, _word_parts(), 300)
    return path


def docx_lying_size(folder: Path) -> Path:
    parts = _word_parts()
    parts["word/document.xml"] += b" " * (40 * MB)
    path = folder / "lying.docx"
    path.write_bytes(_lying(_package(parts), "word/document.xml", 4096))
    return path


def docx_entity_bomb(folder: Path) -> Path:
    parts = _word_parts()
    parts["word/document.xml"] = _entity_bomb_xml(parts["word/document.xml"])
    return _docx(folder, parts, "laughs.docx")


def docx_xxe(folder: Path) -> Path:
    secret = _secret(folder)
    parts = _word_parts()
    parts["word/document.xml"] = _xxe_xml(parts["word/document.xml"], secret.as_uri())
    return _docx(folder, parts, "xxe.docx")


def docx_xxe_network(folder: Path) -> Path:
    parts = _word_parts()
    parts["word/document.xml"] = _xxe_xml(parts["word/document.xml"],
                                          f"http://127.0.0.1:{PORT}/doc")
    return _docx(folder, parts, "xxe-net.docx")


def docx_external_relationship(folder: Path) -> Path:
    parts = _word_parts()
    extra = (f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/'
             f'officeDocument/2006/relationships/attachedTemplate" '
             f'Target="http://127.0.0.1:{PORT}/template.dotm" TargetMode="External"/>'
             f'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/'
             f'officeDocument/2006/relationships/subDocument" '
             f'Target="http://127.0.0.1:{PORT}/sub.docx" TargetMode="External"/>'
             f'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/'
             f'officeDocument/2006/relationships/image" '
             f'Target="../../../{SECRET}.png"/>')
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>",
                                      extra.encode() + b"</Relationships>")
    return _docx(folder, parts, "external.docx")


def docx_many_members(folder: Path) -> Path:
    parts = _word_parts()
    for i in range(20_000):
        parts[f"customXml/item{i}.xml"] = b"<a/>"
    return _docx(folder, parts, "many.docx")


def docx_deep_xml(folder: Path) -> Path:
    """10,000 nested elements in the body."""
    parts = _word_parts()
    xml = parts["word/document.xml"].decode("utf-8")
    deep = "<w:sdt><w:sdtContent>" * 10_000 + "</w:sdtContent></w:sdt>" * 10_000
    parts["word/document.xml"] = xml.replace("<w:body>", "<w:body>" + deep, 1).encode()
    return _docx(folder, parts, "deep.docx")


def docx_hyperlink_local_server(folder: Path) -> Path:
    """A report with links to a local server and to a file: read back, never fetched."""
    from gfmdreport import load
    from gfmdreport import render

    text = EXAMPLE.read_text("utf-8").replace(
        "The working session was chaired", f"The [working session](http://127.0.0.1:{PORT}/"
        f"session) ([notes](file:///etc/passwd)) was chaired", 1)
    source = folder / "source.yaml"
    source.write_text(text, "utf-8")
    path = folder / "links.docx"
    path.write_bytes(render(load(source), "docx"))
    source.unlink()
    return path


def docx_not_zip(folder: Path) -> Path:
    path = folder / "fake.docx"
    path.write_bytes(random.Random(5).randbytes(4096))
    return path


def docx_legacy_doc(folder: Path) -> Path:
    path = folder / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    return path


# ---- templates --------------------------------------------------------------------------------

def _with_template(folder: Path, text: str, name: str = "page.html.j2") -> Path:
    (folder / name).write_text(text, "utf-8")
    _secret(folder)
    return _example(folder)


def template_ssti(folder: Path) -> Path:
    return _with_template(
        folder, "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}")


def template_include_traversal(folder: Path) -> Path:
    (folder / "sub").mkdir()
    (folder / "sub" / "page.html.j2").write_text(
        "{% include '../secret.txt' %}{% include '/etc/passwd' %}", "utf-8")
    _secret(folder)
    return _example(folder)


def template_range(folder: Path) -> Path:
    return _with_template(folder, "{% for i in range(10**9) %}{{ i }}{% endfor %}")


def template_include_link(folder: Path) -> Path:
    """A template including, by a symbolic link and by a hidden folder, a secret kept
    beside it (as /proc/self/environ or ~/.ssh/id_rsa would be)."""
    _secret(folder)
    (folder / "env").symlink_to(folder / "secret.txt")
    (folder / ".ssh").mkdir()
    (folder / ".ssh" / "id_rsa").write_text(f"{SECRET}\n", "utf-8")
    (folder / "page.html.j2").write_text(
        "{% include 'env' ignore missing %}{% include '.ssh/id_rsa' ignore missing %}"
        "{% include 'env' %}", "utf-8")
    return _example(folder)


def template_repeat(folder: Path) -> Path:
    return _with_template(folder, "{{ 'A' * 10**9 }}")


def template_widths(folder: Path) -> Path:
    return _with_template(folder, "{{ '%1000000000d' % 1 }}{{ '{:>1000000000}'.format(1) }}")


def template_center(folder: Path) -> Path:
    return _with_template(folder, "{{ 'x'|center(10**9) }}")


def template_power(folder: Path) -> Path:
    return _with_template(folder, "{{ 9 ** 999999999 }}")


def template_flood(folder: Path) -> Path:
    return _with_template(folder, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                  "{{ summary.title }}{% endfor %}{% endfor %}")


def template_spin(folder: Path) -> Path:
    return _with_template(folder, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                  "{% endfor %}{% endfor %}")


def template_attribute(folder: Path) -> Path:
    return _with_template(folder, "{{ summary.__class__.__init__.__globals__ }}"
                                  "{{ summary.to_dict.__func__.__code__ }}")


def css_breakout(folder: Path) -> Path:
    (folder / "house.css").write_text(
        "body { color: red }\n</style><script>alert(1)</script>\n", "utf-8")
    return _example(folder)


def css_import(folder: Path) -> Path:
    (folder / "house.css").write_text(
        f"@import url(http://127.0.0.1:{PORT}/x.css);\nbody {{ background: "
        f"url(file:///etc/passwd) }}\n", "utf-8")
    return _example(folder)


# ---- command-line and batch situations ------------------------------------------------------

def example_yaml(folder: Path) -> Path:
    return _example(folder)


def example_md(folder: Path) -> Path:
    path = folder / "notes.md"
    path.write_bytes((ROOT / "examples" / "gcm-cluster-3.md").read_bytes())
    return path


def notes_tree(folder: Path) -> Path:
    """A folder of notes: two good ones and one with a syntax error."""
    (folder / "2024").mkdir()
    _example(folder, "a.yaml")
    example_md(folder / "2024")
    (folder / "2024" / "broken.yaml").write_text("title: [unclosed\n", "utf-8")
    return folder


def tree_with_symlink_loops(folder: Path) -> Path:
    notes_tree(folder)
    (folder / "2024" / "loop").symlink_to("..")
    (folder / "self").symlink_to(".")
    (folder / "x.yaml").symlink_to("y.yaml")
    (folder / "y.yaml").symlink_to("x.yaml")
    return folder


def tree_with_outside_links(folder: Path) -> Path:
    notes_tree(folder)
    outside = folder.parent / "cwd" / "private.yaml"
    outside.write_bytes(EXAMPLE.read_bytes())
    (folder / "private.yaml").symlink_to(outside)
    (folder / "etc").symlink_to("/etc")
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    return folder


def tree_with_fifo(folder: Path) -> Path:
    notes_tree(folder)
    os.mkfifo(folder / "stuck.yaml")
    (folder / "zero.md").symlink_to("/dev/zero")
    return folder


def tree_with_big_input(folder: Path) -> Path:
    notes_tree(folder)
    input_100mb(folder)
    return folder


def tree_and_out_escape(folder: Path) -> Path:
    """OUTDIR/2024 is a symbolic link to a folder outside OUTDIR (in WORK/cwd)."""
    notes_tree(folder)
    elsewhere = folder.parent / "cwd" / "elsewhere"
    elsewhere.mkdir()
    (folder.parent / "out" / "2024").symlink_to(elsewhere)
    return folder


def _victim(folder: Path) -> Path:
    victim = folder.parent / "cwd" / "victim.txt"
    victim.write_text("keep me\n", "utf-8")
    return victim


def tree_and_out_link(folder: Path) -> Path:
    """An output in OUTDIR is a symbolic link to a victim file outside."""
    notes_tree(folder)
    (folder.parent / "out" / "a.md").symlink_to(_victim(folder))
    return folder


def tree_and_lock_link(folder: Path) -> Path:
    """The lock file in OUTDIR is a symbolic link to a victim file outside."""
    notes_tree(folder)
    (folder.parent / "out" / ".gfmdreport.lock").symlink_to(_victim(folder))
    return folder


def tree_and_hostile_manifest(folder: Path) -> Path:
    import json

    notes_tree(folder)
    victim = folder.parent / "cwd" / "victim.txt"
    victim.write_text("keep me\n", "utf-8")
    manifest = {"version": 1, "builds": {"k": {"format": "md"}},
                "outputs": {"../cwd/victim.txt": {"input": str(victim), "build": "k"},
                            "/etc/passwd": {"build": "k"}, "a.md": "nonsense"}}
    (folder.parent / "out" / ".gfmdreport-manifest.json").write_text(
        json.dumps(manifest), "utf-8")
    return folder


def tree_and_corrupt_manifest(folder: Path) -> Path:
    notes_tree(folder)
    (folder.parent / "out" / ".gfmdreport-manifest.json").write_bytes(
        b"[" * 100_000 + b"\xff\xfe")
    return folder


def tree_and_fifo_manifest(folder: Path) -> Path:
    """The manifest in OUTDIR is a named pipe."""
    notes_tree(folder)
    os.mkfifo(folder.parent / "out" / ".gfmdreport-manifest.json")
    return folder


def tree_and_endless_manifest(folder: Path) -> Path:
    """The manifest in OUTDIR is a link to /dev/zero."""
    notes_tree(folder)
    (folder.parent / "out" / ".gfmdreport-manifest.json").symlink_to("/dev/zero")
    return folder


def out_is_a_file(folder: Path) -> Path:
    notes_tree(folder)
    out = folder.parent / "out"
    out.rmdir()
    out.write_text("a file where the output folder should be\n", "utf-8")
    return folder


def many_notes(folder: Path) -> Path:
    """40 notes, so that a run takes long enough for a second one to meet it."""
    for i in range(40):
        _example(folder, f"n{i:02d}.yaml")
    return folder


def output_link_to_victim(folder: Path) -> Path:
    """Notes, and WORK/out/report.md a symbolic link to a file outside the output folder."""
    (folder.parent / "out" / "report.md").symlink_to(_victim(folder))
    return _example(folder)


def huge_config(folder: Path) -> Path:
    """Notes beside a 100 MB gfmdreport.toml (sparse)."""
    with open(folder / "gfmdreport.toml", "wb") as fh:
        fh.truncate(100 * MB)
    return _example(folder)


def fifo_config(folder: Path) -> Path:
    """Notes, and a named pipe to give as --config."""
    os.mkfifo(folder / "settings.toml")
    return _example(folder)


def output_over_input(folder: Path) -> Path:
    return _example(folder)


def name_escapes(folder: Path) -> Path:
    """Notes whose file name retitles and clears the terminal when printed raw."""
    path = folder / "evil\x1b]0;PWNED\x07\x1b[2J.yaml"
    path.write_text(EXAMPLE.read_text("utf-8").replace("venue:", "venu:", 1), "utf-8")
    return path


def name_newline(folder: Path) -> Path:
    """Notes whose file name holds a line break and a forged diagnostic."""
    path = folder / "notes\nforged.yaml:1:1: error[forged]: x.yaml"
    path.write_text(EXAMPLE.read_text("utf-8").replace("venue:", "venu:", 1), "utf-8")
    return path



# ---- batch runs under attack (issue #17) ------------------------------------------------------

SMALL = HEAD + "body:\n  - question:\n      text: How?\n      takeaways: [x]\n"
"""Short notes, quick to convert (validation finds errors in them: convert them with
--no-validate)."""


def _small_notes(folder: Path, count: int, sub: str = "") -> Path:
    where = folder / sub if sub else folder
    where.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (where / f"n{i:03d}.yaml").write_text(SMALL, "utf-8")
    return folder


def notes_800_and_outside(folder: Path) -> Path:
    """800 short notes in sub/ (their outputs go to OUTDIR/sub/), and an empty folder
    outside the output folder (WORK/cwd/outside) that a link may point at."""
    (folder.parent / "cwd" / "outside").mkdir()
    return _small_notes(folder, 800, "sub")


def notes_300(folder: Path) -> Path:
    return _small_notes(folder, 300)


def examples_300(folder: Path) -> Path:
    """300 copies of the example session (valid notes of 12 KB)."""
    for i in range(300):
        _example(folder, f"n{i:03d}.yaml")
    return folder


def names_not_utf8(folder: Path) -> Path:
    """Notes named with bytes that are not UTF-8 (Latin-1 é, a lone 0xff), in a folder
    so named too."""
    _example(folder, os.fsdecode(b"caf\xe9.yaml"))
    (folder / os.fsdecode(b"r\xe9union")).mkdir()
    _example(folder / os.fsdecode(b"r\xe9union"), os.fsdecode(b"notes-\xff.yaml"))
    return folder


def names_hostile(folder: Path) -> Path:
    """Notes whose names hold a line break with a forged log line, and terminal escape
    sequences."""
    _example(folder, "a\nconverted  forged.yaml -> md\nb.yaml")
    _example(folder, "evil\x1b]0;PWNED\x07\x1b[2J.yaml")
    _example(folder, "plain.yaml")
    return folder


def tree_with_locked_folder(folder: Path) -> Path:
    """Good notes, and a folder of notes (locked/) that the setup makes unreadable."""
    _example(folder, "a.yaml")
    (folder / "locked").mkdir()
    _example(folder / "locked", "b.yaml")
    return folder


def tree_with_outside_secret(folder: Path) -> Path:
    """Good notes, and a link to notes outside the folder whose settings hold a secret
    (what validate would echo in 'unknown key' warnings if it followed the link)."""
    _example(folder, "a.yaml")
    outside = folder.parent / "cwd" / "private.yaml"
    outside.write_text(EXAMPLE.read_text("utf-8") + f"password: {SECRET}\n", "utf-8")
    (folder / "private.yaml").symlink_to(outside)
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    return folder


if __name__ == "__main__":
    name, target = sys.argv[1], Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    print(globals()[name](target))
