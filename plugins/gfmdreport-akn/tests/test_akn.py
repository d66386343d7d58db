"""The Akoma Ntoso writer and its validator, checked with gfmdreport's conformance kit
and against the official schema."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from gfmdreport_akn.validate import validate
from lxml import etree

from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import labels_for
from gfmdreport import load
from gfmdreport import render
from gfmdreport.testing import check_writer
from gfmdreport.testing import example_summary

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SEED_EXAMPLE = REPO / "examples" / "gcm-cluster-3.yaml"
SHARED_SCHEMA = REPO.parent / "shared" / "schemas" / "akomantoso30"


@pytest.fixture
def akn(gfmd_plugins):
    """Render to AKN with the akn plugin and the built-in formats only; parse it."""
    plugins = gfmd_plugins(only=["akn", "yaml", "json", "markdown"])

    def make(summary):
        data = render(summary, "akn", plugins=plugins)
        return data, etree.fromstring(data)

    return make


def texts(root, path):
    """The text of each element found, indentation collapsed (no-break spaces kept)."""
    return [re.sub(r"[ \t\n]+", " ", "".join(e.itertext())).strip()
            for e in root.xpath(path, namespaces=NS)]


def test_conformance(gfmd_plugins):
    check_writer("akn", plugins=gfmd_plugins(only=["akn"]))


def test_every_example_is_valid_akoma_ntoso(gfmd_example, akn):
    data, _ = akn(gfmd_example)
    assert validate(data) == []


def repository_examples():
    """The example summaries (the proceedings manifest is tested as a collection, in
    test_collection.py)."""
    return sorted(p for p in (REPO / "examples").glob("*") if p.suffix in (".yaml", ".json")
                  and p.name != "proceedings.yaml")


@pytest.mark.parametrize("path", repository_examples(), ids=lambda p: p.name)
def test_every_repository_example_is_valid_akoma_ntoso(path, akn):
    summary = load(path)
    data, root = akn(summary)
    assert validate(data) == []
    language = {"en": "eng", "fr": "fra", "es": "spa"}[summary.language]
    assert root.xpath("//a:FRBRlanguage/@language", namespaces=NS) == [language]
    assert len(root.findall(".//a:mainBody//a:paragraph", NS)) == len(summary.paragraphs)


@pytest.fixture(scope="module")
def seed():
    if not SEED_EXAMPLE.exists():
        pytest.skip("the gfmdreport examples are not beside this plugin")
    return load(SEED_EXAMPLE)


def test_the_seed_session(seed, akn):
    data, root = akn(seed)
    assert validate(data) == []
    doc = root.find("a:debateReport", NS)
    assert doc.get("name") == "meetingReport"
    work = "/akn/un/debateReport/report/gfmd/2017-09-06/1030"
    assert root.xpath("//a:FRBRWork/a:FRBRuri/@value", namespaces=NS) == [work]
    assert root.xpath("//a:FRBRExpression/a:FRBRthis/@value", namespaces=NS) == [
        f"{work}/eng@/!main"]
    assert root.xpath("//a:FRBRManifestation/a:FRBRthis/@value", namespaces=NS) == [
        f"{work}/eng@/!main.xml"]
    assert root.xpath("//a:FRBRManifestation/a:FRBRuri/@value", namespaces=NS) == [
        f"{work}/eng@.xml"]
    assert root.xpath("//a:FRBRformat/@value", namespaces=NS) == ["xml"]
    assert root.xpath("//a:FRBRExpression/a:FRBRlanguage/@language", namespaces=NS) == ["eng"]
    assert root.xpath("//a:FRBRWork/a:FRBRdate/@date", namespaces=NS) == ["2017-09-06"]
    assert root.xpath("//a:FRBRExpression/a:FRBRtranslation", namespaces=NS) == []
    # people and roles
    people = {e.get("eId"): e.get("showAs") for e in root.iterfind(".//a:TLCPerson", NS)}
    assert people == {"ola-henrikson": "Mr. Ola Henrikson",
                      "steffen-angenendt": "Dr. Steffen Angenendt",
                      "michelle-klein-solomon": "Ms. Michelle Klein-Solomon"}
    assert [e.get("eId") for e in root.iterfind(".//a:TLCRole", NS)] == ["chair", "rapporteur"]
    # the Work is the Forum's; the English expression its rapporteurs'
    assert root.xpath("//a:FRBRWork/a:FRBRauthor/@href", namespaces=NS) == ["#gfmd"]
    assert root.xpath("//a:TLCOrganization[@eId='gfmd']/@href", namespaces=NS) == [
        "/ontology/organization/gfmd"]
    assert root.xpath("//a:FRBRExpression/a:FRBRauthor/@href", namespaces=NS) == [
        "#steffen-angenendt", "#michelle-klein-solomon"]
    chair = root.find(".//a:preface//a:person[@as='#chair']", NS)
    assert (chair.get("refersTo"), chair.text) == ("#ola-henrikson", "Mr. Ola Henrikson")
    assert texts(root, "//a:preface/a:p[@class='dateline']") == [
        "6 September 2017, 10:30–12:30, Hotel Savoyen – Mancini 3b"]
    assert root.xpath("//a:preface//a:time/@time", namespaces=NS) == ["10:30:00", "12:30:00"]
    # numbered paragraphs, continuous through headings and questions; the heading's
    # division holds the two paragraphs it titles
    paragraphs = root.findall(".//a:mainBody//a:paragraph", NS)
    assert [p.get("eId") for p in paragraphs] == [f"para_{n}" for n in range(1, 6)]
    assert [p.findtext("a:num", namespaces=NS) for p in paragraphs] == ["1.", "2.", "3.", "4.",
                                                                        "5."]
    body = root.find(".//a:mainBody", NS)
    assert [(etree.QName(c).localname, c.get("eId")) for c in body] == [
        ("paragraph", "para_1"), ("paragraph", "para_2"), ("division", "dvs_1"),
        ("hcontainer", "question_1"), ("hcontainer", "question_2"),
        ("hcontainer", "question_3"), ("paragraph", "para_5"),
        ("hcontainer", "summarytable_1")]
    division = body.find("a:division", NS)
    assert division.findtext("a:heading", namespaces=NS) == \
        "Overview on the GFMD Report's Chapter on GCM Cluster 3"
    assert [p.get("eId") for p in division.findall("a:paragraph", NS)] == ["para_3", "para_4"]
    assert root.xpath("//a:paragraph[@eId='para_2']//a:b/a:person/text()", namespaces=NS) == [
        "Mr. Ola Henrikson"]
    # the lettered sub-list: list, intro, points
    listing = root.find(".//a:paragraph[@eId='para_3']/a:list", NS)
    assert listing.get("eId") == "para_3__list_1"
    assert texts(listing, "a:intro")[0].startswith("Mr. Angenendt highlighted")
    points = listing.findall("a:point", NS)
    assert [p.findtext("a:num", namespaces=NS) for p in points] == ["a)", "b)", "c)", "d)"]
    assert [p.get("eId") for p in points] == [f"para_3__list_1__point_{x}" for x in "abcd"]
    assert root.find(".//a:blockList[@eId='para_3__list_1']", NS) is None
    # the questions and their takeaways
    questions = body.findall("a:hcontainer[@name='question']", NS)
    assert [q.findtext("a:num", namespaces=NS) for q in questions] == [
        "Question 1:", "Question 2:", "Question 3:"]
    assert [len(q.findall(".//a:item", NS)) for q in questions] == [3, 4, 2]
    assert questions[0].find(".//a:item", NS).get("eId") == "question_1__list_1__item_1"
    # the closing table: a caption, a header row of headings, then each column's items
    table = body.find("a:hcontainer[@name='summaryTable']/a:content/a:table", NS)
    assert table.findtext("a:caption", namespaces=NS) == "Summary table"
    assert [r.get("class") for r in table.findall("a:tr", NS)] == ["header", None]
    assert texts(table, "a:tr[1]/a:th") == ["Points of Convergence", "Practical Recommendations",
                                            "Challenges / Issues for further discussion"]
    cells = table.findall("a:tr[2]/a:td", NS)
    assert [len(c.findall("a:blockList/a:item", NS)) for c in cells] == [
        len(column.items) for column in seed.table.columns]
    assert cells[0].find("a:blockList", NS).get("eId") == \
        "summarytable_1__table_1__tr_2__td_1__list_1"
    assert "migration as a genuine choice" in texts(table, "a:tr[2]/a:td[1]")[0]


def marks(root):
    """(element, refersTo, as, text) of every person and role the body marks."""
    return [(etree.QName(e).localname, e.get("refersTo"), e.get("as"), e.text)
            for e in root.xpath("//a:mainBody//a:person | //a:mainBody//a:role",
                                namespaces=NS)]


def test_the_seed_session_marks_its_people_and_roles(seed, akn):
    _, root = akn(seed)
    assert marks(root) == [
        ("person", "#ola-henrikson", "#chair", "Mr. Ola Henrikson"),
        ("role", "#rapporteur", None, "GCM rapporteur"),
        ("person", "#steffen-angenendt", "#rapporteur", "Dr. Steffen Angenendt"),
        ("person", "#michelle-klein-solomon", "#rapporteur", "Ms. Michelle Klein-Solomon"),
        ("role", "#rapporteur", None, "expert rapporteur"),
        ("person", "#ola-henrikson", "#chair", "Mr. Ola Henrikson"),
        ("person", "#steffen-angenendt", "#rapporteur", "Mr. Angenendt"),
        ("role", "#chair", None, "Chair"),
        ("role", "#rapporteur", None, "thematic expert rapporteur"),
    ]
    assert texts(root, "//a:paragraph[@eId='para_4']/a:content/a:p")[0].startswith(
        "The Chair opened the floor")


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", [("person", "#ola-henrikson", "#chair", "M. Ola Henrikson"),
            ("role", "#rapporteur", None, "rapporteur"),
            ("person", "#steffen-angenendt", "#rapporteur", "Dr Steffen Angenendt"),
            ("person", "#michelle-klein-solomon", "#rapporteur", "Mme Michelle Klein-Solomon"),
            ("role", "#rapporteur", None, "rapporteuse experte"),
            ("person", "#ola-henrikson", "#chair", "M. Ola Henrikson"),
            ("person", "#steffen-angenendt", "#rapporteur", "M. Angenendt"),
            ("role", "#chair", None, "Président"),
            ("role", "#rapporteur", None, "rapporteuse experte thématique")]),
    ("es", [("person", "#ola-henrikson", "#chair", "Sr. Ola Henrikson"),
            ("role", "#rapporteur", None, "relator"),
            ("person", "#steffen-angenendt", "#rapporteur", "Dr. Steffen Angenendt"),
            ("person", "#michelle-klein-solomon", "#rapporteur", "Sra. Michelle Klein-Solomon"),
            ("role", "#rapporteur", None, "relatora experta"),
            ("person", "#ola-henrikson", "#chair", "Sr. Ola Henrikson"),
            ("person", "#steffen-angenendt", "#rapporteur", "Sr. Angenendt"),
            ("role", "#chair", None, "Presidencia"),
            ("role", "#rapporteur", None, "relatora temática experta")]),
])
def test_french_and_spanish_summaries_mark_their_people_and_roles(akn, language, expected):
    _, root = akn(load(REPO / "examples" / f"gcm-cluster-3.{language}.yaml"))
    assert marks(root) == expected


def test_french_and_spanish(akn):
    _, fr = akn(example_summary("fr"))
    assert fr.xpath("//a:FRBRlanguage/@language", namespaces=NS) == ["fra"]
    assert fr.xpath("//a:FRBRExpression/a:FRBRuri/@value", namespaces=NS)[0].endswith("/fra@")
    assert fr.findtext(".//a:hcontainer[@name='question']/a:num", namespaces=NS) == \
        "Question 1\u00a0:"
    assert texts(fr, "//a:preface/a:p[@class='dateline']") == [
        "7 septembre 2017, 14\u00a0h\u00a000 – 16\u00a0h\u00a030, Hôtel Savoyen – Salle Mancini"]
    assert texts(fr, "//a:container[@name='chairs']/a:p")[0].startswith(
        f"{labels_for('fr')['chair']}: Mme Élise Moreau-Lefèvre, Directrice")
    _, es = akn(example_summary("es"))
    assert es.xpath("//a:FRBRlanguage/@language", namespaces=NS) == ["spa"]
    assert es.findtext(".//a:hcontainer[@name='question']/a:num", namespaces=NS) == \
        "Pregunta 1:"
    assert es.findtext(".//a:docDate", namespaces=NS) == "6 de diciembre de 2018"


def test_inline_markup(akn):
    summary = dataclasses.replace(example_summary("minimal"), date="2020-02-02", body=(
        Paragraph("See [the **GCM** text](https://example.org/gcm?a=1&b=2), `code` and "
                  "***both*** here."),))
    data, root = akn(summary)
    assert validate(data) == []
    (p,) = root.findall(".//a:paragraph/a:content/a:p", NS)
    inner = etree.tostring(p, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0]
    assert inner == ('See <a href="https://example.org/gcm?a=1&amp;b=2">the <b>GCM</b> '
                     'text</a>, <inline name="code">code</inline> and <b><i>both</i></b> here.')


def test_characters_xml_cannot_hold_are_left_out_and_reported(gfmd_plugins):
    from gfmdreport.pipeline import render_report

    plugins = gfmd_plugins(only=["akn"])
    summary = dataclasses.replace(example_summary("minimal"), date="2020-02-02",
                                  start_time="09:00", body=(
        Paragraph("Bell\u0007 and form\u000cfeed.", (Item("Vertical\u000btab"),)),))
    rendered = render_report(summary, "akn", plugins=plugins)
    assert validate(rendered.data) == []
    assert b"Bell and formfeed." in rendered.data and b"Verticaltab" in rendered.data
    assert [d.rule for d in rendered.diagnostics] == ["akn-control-character"] * 2
    assert "left out U+0007, U+000C in body[0]" in rendered.diagnostics[0].message


def test_an_undated_summary_is_still_valid_and_says_why(gfmd_plugins, monkeypatch):
    from gfmdreport.pipeline import render_report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    rendered = render_report(example_summary("minimal"), "akn", plugins=gfmd_plugins(
        only=["akn"]))
    assert validate(rendered.data) == []
    assert sorted(d.rule for d in rendered.diagnostics) == ["akn-no-date", "akn-no-number"]
    root = etree.fromstring(rendered.data)
    assert root.xpath("//a:FRBRWork/a:FRBRuri/@value", namespaces=NS) == [
        "/akn/un/debateReport/report/gfmd/0001-01-01/nn"]
    assert set(root.xpath("//a:FRBRWork/a:FRBRdate/@date | //a:FRBRExpression/a:FRBRdate/@date",
                          namespaces=NS)) == {"0001-01-01"}
    # the mark-up has a date of its own
    assert root.xpath("//a:FRBRManifestation/a:FRBRdate/@date", namespaces=NS) == [
        "2023-11-14"]
    assert root.find(".//a:preface", NS) is None  # nothing to put there


def test_person_ids_are_unique_and_ascii(akn):
    summary = dataclasses.replace(
        example_summary("every-block"),
        chairs=(Person("José Pérez", "Mr."), Person("محمد الأمين")),
        rapporteurs=(Person("José Perez", "Dr."), Person("José Pérez", "Mr.")))
    data, root = akn(summary)
    assert validate(data) == []
    ids = [e.get("eId") for e in root.iterfind(".//a:TLCPerson", NS)]
    assert ids == ["jose-perez", "person-2", "jose-perez-2"]
    refs = root.xpath("//a:preface//a:person/@refersTo", namespaces=NS)
    assert refs == ["#jose-perez", "#person-2", "#jose-perez-2", "#jose-perez"]


def test_the_validator_reports_schema_errors_with_their_line(tmp_path):
    bad = render(example_summary("every-block"), "akn").replace(
        b"<FRBRcountry", b"<FRBRnation", 1).replace(b"</FRBRcountry", b"</FRBRnation", 1)
    (problem,) = [d for d in validate(bad, "bad.xml") if "FRBRnation" in d.message]
    line = bad[:bad.index(b"<FRBRnation")].count(b"\n") + 1
    assert str(problem).startswith(f"bad.xml:{line}:") and "error[akn-schema]" in str(problem)
    (broken,) = validate(b"<akomaNtoso><doc>", "cut.xml")
    assert str(broken).startswith("cut.xml:1:") and "error[akn-xml]: not well-formed XML" in \
        str(broken)


def test_akn_validate_command(gfmd_cli, gfmd_plugins, tmp_path):
    plugins = gfmd_plugins(only=["akn", "yaml"])
    good = tmp_path / "good.xml"
    good.write_bytes(render(example_summary("every-block"), "akn", plugins=plugins))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b'name="meetingReport"', b'nom="meetingReport"'))
    result = gfmd_cli("akn-validate", good, plugins=plugins)
    assert (result.exit_code, result.stdout) == (0, f"{good}: valid Akoma Ntoso 3.0\n")
    result = gfmd_cli("akn-validate", good, bad, tmp_path / "missing.xml", plugins=plugins)
    assert result.exit_code == 1
    assert result.stdout == f"{good}: valid Akoma Ntoso 3.0\n"
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{bad}:3:") and "error[akn-schema]" in errors[0]
    assert "attribute 'nom' is not allowed" in errors[0]
    assert errors[-1] == f"{tmp_path / 'missing.xml'}: error[io]: No such file or directory"


def test_render_through_the_command_line(gfmd_cli, gfmd_plugins, seed, tmp_path):
    out = tmp_path / "summary.xml"
    result = gfmd_cli("render", SEED_EXAMPLE, "-t", "akn", "-o", out,
                      plugins=gfmd_plugins(only=["akn", "yaml"]))
    assert result.exit_code == 0, result.stderr
    assert validate(out.read_bytes()) == []


OS_SHA256 = "6f61fe84cbb6f8cb0e8418cd67b74a63da9990e6573b5a3491f623184f45c4fd"


def without_documentation(path):
    """The schema as elements and attributes, its annotations left out."""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    tree = etree.parse(str(path), parser)
    for note in tree.getroot().findall(".//{http://www.w3.org/2001/XMLSchema}annotation"):
        note.getparent().remove(note)
    return etree.tostring(tree, method="c14n")


def test_the_shipped_schema_is_the_oasis_standard():
    folder = resources.files("gfmdreport_akn") / "schema"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".xsd"))
    assert names == ["akomantoso30.xsd", "xml.xsd"]
    main = (folder / "akomantoso30.xsd").read_bytes()
    assert hashlib.sha256(main).hexdigest() == OS_SHA256  # as schema/README.md records
    head = main[:600].decode()
    assert "Akoma Ntoso Version 1.0. Part 2: Specifications" in head
    assert "OASIS Standard" in head and "29 August 2018" in head
    assert "akn-core/v1.0/os/part2-specs/schemas/" in head
    assert OS_SHA256 in (folder / "README.md").read_text(encoding="utf-8")
    if SHARED_SCHEMA.exists():
        # the Committee Specification 01 beside the project: the same schema, only its
        # documentation differs
        assert b"Committee Specification 01" in (SHARED_SCHEMA / names[0]).read_bytes()
        with resources.as_file(folder / names[0]) as shipped:
            assert without_documentation(shipped) == \
                without_documentation(SHARED_SCHEMA / names[0])
        assert (folder / "xml.xsd").read_bytes() == (SHARED_SCHEMA / "xml.xsd").read_bytes()


def test_the_plugin_module_does_not_import_lxml():
    code = "import sys, gfmdreport_akn; print('lxml' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_question_without_takeaways_and_empty_column(akn):
    data, root = akn(example_summary("sparse"))
    assert validate(data) == []
    question = root.find(".//a:hcontainer[@name='question']", NS)
    assert question.find("a:content", NS) is None
    cells = root.findall(".//a:table/a:tr[2]/a:td", NS)
    assert [len(c) for c in cells] == [1, 0]
