"""The OOXML layer the DOCX reader and writer share (gfmdreport.formats.docx.ooxml).

What it writes is checked against python-docx, an independent reader and writer of the
same XML: every part of a rendered document reads back and saves again as the same
canonical XML, each part declares its namespaces once (on its root), the children of
every element the layer edits stand in the schema's order, and a child the layer adds
lands where python-docx's own element classes put it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from gfmdreport import render
from gfmdreport.formats.docx.ooxml import package as opc
from gfmdreport.formats.docx.ooxml import schema
from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import PR_NS
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.write import default_template_bytes

VARIANTS = ("default", "toc", "house", "python-docx", "dotx")


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, str]:
    """Reference documents: the default template saved by python-docx, python-docx's own
    default document (no contract styles, other lists), and a Word template (.dotx)."""
    folder = tmp_path_factory.mktemp("references")
    house = folder / "house.docx"
    docx.Document(io.BytesIO(default_template_bytes())).save(house)
    plain = folder / "plain.docx"
    docx.Document().save(plain)
    members = dict(opc.zip_parts(plain.read_bytes()))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
    dotx = folder / "plain.dotx"
    dotx.write_bytes(opc.write_zip(members.items()))
    return {"house": str(house), "python-docx": str(plain), "dotx": str(dotx)}


@pytest.fixture(scope="module")
def rendered(example, references) -> dict[str, bytes]:
    options = {"default": {}, "toc": {"toc": True}, "house": {"reference_doc": "house"},
               "python-docx": {"reference_doc": "python-docx"},
               "dotx": {"reference_doc": "dotx", "toc": True}}
    out = {}
    for name, given in options.items():
        if "reference_doc" in given:
            given = {**given, "reference_doc": references[given["reference_doc"]]}
        out[name] = render(example, "docx", **given)
    return out


def xml_parts(data: bytes) -> dict[str, bytes]:
    return {name: blob for name, blob in opc.zip_parts(data)
            if name.endswith((".xml", ".rels"))}


def canonical(blob: bytes) -> bytes:
    return etree.tostring(etree.fromstring(blob), method="c14n2")


def content_types(parts: dict[str, bytes]) -> dict[str, str]:
    """Each part's content type, from its override or the default for its suffix."""
    root = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {el.get("Extension").lower(): el.get("ContentType")
                for el in root.iter(f"{{{CT_NS}}}Default")}
    overrides = opc.content_type_overrides(root)
    return {name: overrides.get(name) or defaults.get(name.rpartition(".")[2].lower())
            for name in parts if name != "[Content_Types].xml"}


def relationships(blob: bytes) -> set[tuple]:
    return {(rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode"))
            for rel in etree.fromstring(blob).iter(f"{{{PR_NS}}}Relationship")}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_part_reads_back_unchanged_through_python_docx(rendered, variant):
    ours = xml_parts(rendered[variant])
    out = io.BytesIO()
    docx.Document(io.BytesIO(rendered[variant])).save(out)
    theirs = xml_parts(out.getvalue())
    assert set(ours) == set(theirs)
    assert content_types(ours) == content_types(theirs)
    for name, blob in ours.items():
        if name == "[Content_Types].xml":
            continue
        if name.endswith(".rels"):
            assert relationships(blob) == relationships(theirs[name]), name
        else:
            assert canonical(blob) == canonical(theirs[name]), name


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_part_declares_its_namespaces_once_on_its_root(rendered, variant):
    for name, blob in xml_parts(rendered[variant]).items():
        text = blob.split(b"?>", 1)[1] if blob.startswith(b"<?xml") else blob
        assert b"xmlns" not in text[text.index(b">"):], name
        generated = [p for p in etree.fromstring(blob).nsmap if p and re.fullmatch(r"ns\d+", p)]
        assert not generated, name


ORDER = {qn(parent): [qn(child) if child != "*" else "*" for child in children]
         for parent, children in schema.CHILD_ORDER.items()}


def ordered(parent) -> bool:
    """Whether the children of ``parent`` stand in the order :data:`schema.CHILD_ORDER`
    gives (children it does not name, where it has no ``*``, may stand anywhere)."""
    order = ORDER[parent.tag]
    ranks = [order.index(child.tag) if child.tag in order else
             order.index("*") if "*" in order else None
             for child in parent if isinstance(child.tag, str)]
    ranks = [rank for rank in ranks if rank is not None]
    return ranks == sorted(ranks)


@pytest.mark.parametrize("variant", VARIANTS)
def test_children_stand_in_the_schema_order(rendered, variant):
    for name, blob in xml_parts(rendered[variant]).items():
        if name.startswith("word/"):
            for el in etree.fromstring(blob).iter(*ORDER):
                assert ordered(el), (name, el.tag, [c.tag for c in el])


# ---- the insert helper against python-docx's element classes -------------------------------

def _full(tag: str, children: tuple[str, ...]):
    """A python-docx element ``tag`` with one of each child, in schema order."""
    element = parse_xml(f"<{tag} {nsdecls('w', 'm', 'sl')}/>")
    for child in children:
        if child != "*":
            element.append(parse_xml(f"<{child} {nsdecls('w', 'm', 'sl')}/>"))
    return element


@pytest.mark.parametrize(("parent", "child", "method"), [
    ("w:pPr", "w:pStyle", "get_or_add_pStyle"),
    ("w:pPr", "w:numPr", "get_or_add_numPr"),
    ("w:pPr", "w:outlineLvl", "get_or_add_outlineLvl"),
    ("w:rPr", "w:rFonts", "get_or_add_rFonts"),
    ("w:style", "w:pPr", "get_or_add_pPr"),
    ("w:style", "w:rPr", "get_or_add_rPr"),
    ("w:p", "w:pPr", "get_or_add_pPr"),
])
def test_a_child_is_added_where_python_docx_adds_it(parent, child, method):
    children = schema.CHILD_ORDER[parent]
    if parent == "w:p":
        children = ("w:pPr", "w:r", "w:hyperlink", "w:r")
    others = tuple(tag for tag in children if tag != child)
    ours, theirs = _full(parent, others), _full(parent, others)
    schema.get_or_add(ours, child)
    getattr(theirs, method)()
    assert [c.tag for c in ours] == [c.tag for c in theirs]
    assert ours.find(qn(child)) is not None


def test_insert_keeps_unknown_children_and_places_the_rest_by_rank():
    settings = _full("w:settings", ("w:zoom", "w:compat", "w:listSeparator"))
    extension = etree.SubElement(settings, "{urn:example}docId")
    schema.add(settings, "w:updateFields", {"w:val": "true"})
    schema.add(settings, "w:defaultTabStop", {"w:val": 567})
    assert [etree.QName(c).localname for c in settings] == [
        "zoom", "defaultTabStop", "updateFields", "compat", "listSeparator", "docId"]
    assert settings[-1] is extension
    body = _full("w:body", ("w:sectPr",))
    schema.add(body, "w:p")
    schema.add(body, "w:tbl")
    assert [etree.QName(c).localname for c in body] == ["p", "tbl", "sectPr"]


# ---- part names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("folder", "target", "name"), [
    ("word", "styles.xml", "word/styles.xml"),
    ("word", "../customXml/item1.xml", "customXml/item1.xml"),
    ("word", "/docProps/core.xml", "docProps/core.xml"),
    ("", "word/document.xml", "word/document.xml"),
    ("word", "./media/../theme/theme1.xml", "word/theme/theme1.xml"),
    ("word", "../../outside.xml", "../outside.xml"),
])
def test_relationship_targets_resolve_to_member_names(folder, target, name):
    assert opc.resolve(folder, target) == name


@pytest.mark.parametrize("part", ["word/document.xml", "customXml/item1.xml",
                                  "word/glossary/document.xml"])
def test_a_relationships_part_names_its_source(part):
    rels = opc.rels_part_name(part)
    assert rels == posixpath.join(posixpath.dirname(part), "_rels",
                                  posixpath.basename(part) + ".rels")
    assert opc.rels_source(rels) == part
    assert opc.rels_source(opc.rels_part_name("")) == ""


def test_written_zips_are_deterministic_and_valid():
    parts = [("[Content_Types].xml", b"<Types/>"), ("word/é.xml", "<a>é</a>".encode())]
    data = opc.write_zip(parts)
    assert opc.write_zip(parts) == data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert [(i.filename, i.date_time) for i in zf.infolist()] == [
            ("[Content_Types].xml", (1980, 1, 1, 0, 0, 0)), ("word/é.xml", (1980, 1, 1, 0, 0, 0))]
    assert opc.zip_parts(data) == parts


def test_a_text_without_markup_characters_is_one_run_without_a_parse():
    """The Word format's shortcut for plain text gives what the inline parser gives, and
    a text with any character the parser acts on is parsed."""
    from gfmdreport.formats.docx.text import runs_once
    from gfmdreport.inline import runs

    plain_texts = ["São # 100% (a) {b} $c$ ^d^ e-f: «g» 1 + 2 = 3?", "x\u00a0y\u202fz",
                   "tab\tinside", "a  b"]
    for text in plain_texts:
        found = tuple(runs_once(text))
        assert found == tuple(runs(text))
        assert len(found) == 1 and found[0].text == text
    for text in ["**b**", "a_b_", "[l](https://x.org)", "`c`", "a\\*", "&amp;", "a\nb",
                 " lead", "trail ", "<https://x.org>", "a  \nb"]:
        assert tuple(runs_once(text)) == tuple(runs(text)), text


def test_the_writer_keeps_a_bounded_number_of_characters_flattened(monkeypatch):
    from gfmdreport.formats.docx.write import builder

    monkeypatch.setattr(builder, "CACHE_CHARS", 10_000)
    cache = builder._RunsCache()
    texts = [f"**text {n}** " + "x" * 990 for n in range(50)]
    for text in texts:
        assert cache.get(text)[0].bold
    kept = 10_000 // len(texts[0])
    assert 0 < cache._chars <= 10_000 and len(cache._found) == kept
    assert list(cache._found) == texts[-kept:], "the least recently used go first"
    assert cache.get("y" * (builder.CACHED_TEXT + 1))[0].text.startswith("y")
    assert "y" * (builder.CACHED_TEXT + 1) not in cache._found
