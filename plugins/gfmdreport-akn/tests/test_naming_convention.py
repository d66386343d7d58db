"""The naming rules themselves, beyond the schema: the Akoma Ntoso Naming Convention
(eIds, FRBR IRIs) and AKN4UN's reading of it (every part of an IRI backed by its
metadata, the Work independent of the language, translations that name their original).

The checks read the XML as any consumer would, knowing nothing of the writer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from gfmdreport_akn.validate import validate
from lxml import etree

from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import load
from gfmdreport import render
from gfmdreport.testing import example_summary

A = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": A}
REPO = Path(__file__).resolve().parents[3]
LANGUAGES = ("en", "fr", "es")
EXAMPLES = {"en": REPO / "examples" / "gcm-cluster-3.yaml",
            "fr": REPO / "examples" / "gcm-cluster-3.fr.yaml",
            "es": REPO / "examples" / "gcm-cluster-3.es.yaml"}
WORK_IRI = re.compile(r"^/akn/(?P<country>[a-z]{2})/(?P<type>[A-Za-z]+)/(?P<subtype>[A-Za-z]+)/"
                      r"(?P<actor>[a-z0-9-]+)/(?P<date>\d{4}-\d{2}-\d{2})/"
                      r"(?P<number>[\w.~-]+)$")
LEVEL = {"paragraph": "para", "division": "dvs", "list": "list", "blockList": "list",
         "point": "point", "item": "item", "intro": "intro", "listIntroduction": "intro",
         "table": "table", "tr": "tr", "th": "th", "td": "td", "content": "content"}
"""The level type of each element's eId: the Naming Convention's abbreviations, element
names of five letters or fewer as they are; an hcontainer's is its name, in lower case."""
UNIQUE = {"intro", "content"}
"""Levels that occur once in their parent, identified without a number."""
DOCUMENT_WIDE = {"paragraph"}
"""Levels numbered through the whole document, whose eId is their own alone."""
SEGMENT = re.compile(r"^(?P<type>[a-z]+)(?:_(?P<number>[^_\s]+))?$")


def local(element) -> str:
    return etree.QName(element).localname


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """The three languages' summaries of the seed session, as Akoma Ntoso."""
    return {lang: render(load(path), "akn") for lang, path in EXAMPLES.items()}


# ---- the checks ------------------------------------------------------------------------------

def eid_problems(root) -> list[str]:
    """Every way an eId of the document breaks the Naming Convention."""
    problems = []
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e.get("eId")]
    seen: dict[str, int] = {}
    for element in elements:
        seen[element.get("eId")] = seen.get(element.get("eId"), 0) + 1
    problems += [f"{eid}: used {n} times" for eid, n in seen.items() if n > 1]
    for element in elements:
        if etree.QName(element).namespace != A or element.getparent() is None:
            continue
        name, eid = local(element), element.get("eId")
        if element.xpath("ancestor::a:meta", namespaces=NS):
            continue  # references: the ids of ontology entries, not of structure
        *prefix, last = eid.split("__")
        m = SEGMENT.match(last)
        expected = (element.get("name") or "").lower() if name == "hcontainer" else \
            LEVEL.get(name)
        if not m:
            problems.append(f"{eid}: '{last}' is not {{type}}_{{number}}")
            continue
        if m.group("type") != expected:
            problems.append(f"{eid}: a {name} is '{expected}', not '{m.group('type')}'")
        if (name in UNIQUE) != (m.group("number") is None):
            problems.append(f"{eid}: a {name} {'has no' if name in UNIQUE else 'needs a'} "
                            f"number")
        # the sublevels are the eIds of the ancestors, except for levels numbered
        # through the document
        outer = next((a.get("eId") for a in element.iterancestors()
                      if a.get("eId") and not a.xpath("ancestor-or-self::a:meta",
                                                      namespaces=NS)), None)
        wanted = [] if name in DOCUMENT_WIDE or outer is None else outer.split("__")
        if prefix != wanted:
            problems.append(f"{eid}: its levels should be {'__'.join(wanted) or 'none'}")
        # the number: from the element's num, or its place among its kind
        number = m.group("number")
        if number is None:
            continue
        num = element.findtext("a:num", namespaces=NS)
        if num is not None:
            words = num.split()
            stated = words[-1] if words[-1] not in (":", ".") else words[-2]
            stated = stated.strip(".:)(;")
            base = number.rsplit("-", 1)[0] if re.search(r"-\d+$", number) and \
                number != stated else number
            if base != stated:
                problems.append(f"{eid}: numbered {number!r}, its num says {num!r}")
            family = "__".join([*prefix, m.group("type")])
            if base != number and f"{family}_{base}" not in seen:
                problems.append(f"{eid}: a repeated number with no first one")
        elif name in DOCUMENT_WIDE or outer is None:
            kin = [e for e in elements if local(e) == name and
                   e.get("name") == element.get("name") and not e.xpath(
                       "ancestor::a:meta", namespaces=NS) and
                   (name in DOCUMENT_WIDE or not [a for a in e.iterancestors()
                                                  if a.get("eId")])]
            if number != str(kin.index(element) + 1):
                problems.append(f"{eid}: number {number}, but it is no. "
                                f"{kin.index(element) + 1} of its kind")
        else:
            siblings = [e for e in element.getparent() if isinstance(e.tag, str) and
                        local(e) == name]
            if number != str(siblings.index(element) + 1):
                problems.append(f"{eid}: number {number}, but it is no. "
                                f"{siblings.index(element) + 1} in its parent")
    return problems


def frbr(root, level: str, prop: str, attr: str = "value") -> list[str]:
    return root.xpath(f"//a:identification/a:{level}/a:{prop}/@{attr}", namespaces=NS)


def iri_problems(root, markup_day: str | None = None) -> list[str]:
    """Every part of the FRBR IRIs that its metadata does not back."""
    problems = []
    doc = root[0]
    (work,) = frbr(root, "FRBRWork", "FRBRuri")
    m = WORK_IRI.match(work)
    if not m:
        return [f"{work}: not /akn/{{country}}/{{type}}/{{subtype}}/{{actor}}/{{date}}/"
                f"{{number}}"]
    parts = m.groupdict()
    (author,) = frbr(root, "FRBRWork", "FRBRauthor", "href")
    body = root.xpath(f"//a:references/*[@eId='{author.lstrip('#')}']", namespaces=NS)
    backing = {
        "country": frbr(root, "FRBRWork", "FRBRcountry"),
        "type": [local(doc)],
        "subtype": frbr(root, "FRBRWork", "FRBRsubtype"),
        "actor": [body[0].get("href").rsplit("/", 1)[-1]] if body else [],
        "date": frbr(root, "FRBRWork", "FRBRdate", "date"),
        "number": frbr(root, "FRBRWork", "FRBRnumber"),
    }
    for part, values in backing.items():
        if values != [parts[part]]:
            problems.append(f"{part} {parts[part]!r} of the Work IRI: its metadata says "
                            f"{values}")
    if body and local(body[0]) != "TLCOrganization":
        problems.append(f"the Work's author is a {local(body[0])}, not the authoring body")
    if frbr(root, "FRBRWork", "FRBRname"):
        problems.append("FRBRname names a title the Work IRI does not hold")
    if frbr(root, "FRBRWork", "FRBRthis") != [f"{work}/!main"]:
        problems.append("the Work's FRBRthis is not its IRI and /!main")
    (language,) = frbr(root, "FRBRExpression", "FRBRlanguage", "language")
    expression = f"{work}/{language}@"
    if frbr(root, "FRBRExpression", "FRBRuri") != [expression]:
        problems.append(f"the Expression IRI is not {expression}")
    if frbr(root, "FRBRExpression", "FRBRthis") != [f"{expression}/!main"]:
        problems.append("the Expression's FRBRthis is not its IRI and /!main")
    (form,) = frbr(root, "FRBRManifestation", "FRBRformat")
    if frbr(root, "FRBRManifestation", "FRBRuri") != [f"{expression}.{form}"]:
        problems.append(f"the Manifestation IRI does not end with its format .{form}")
    if frbr(root, "FRBRManifestation", "FRBRthis") != [f"{expression}/!main.{form}"]:
        problems.append("the Manifestation's FRBRthis is not /!main and its format")
    if markup_day and frbr(root, "FRBRManifestation", "FRBRdate", "date") != [markup_day]:
        problems.append("the Manifestation's date is not the day of the mark-up")
    for translation in root.xpath("//a:FRBRtranslation", namespaces=NS):
        source = translation.get("href")
        if source != f"{work}/{translation.get('fromLanguage')}@":
            problems.append(f"translation of {source}: not an expression of this Work in "
                            f"{translation.get('fromLanguage')}")
    # every reference inside the document resolves to an entry of references
    known = set(root.xpath("//a:references/*/@eId", namespaces=NS))
    for element in root.iter():
        for attr in ("refersTo", "as", "by", "source") + (("href",) if local(element) in (
                "FRBRauthor", "FRBRtranslation") else ()):
            for ref in (element.get(attr) or "").split():
                if ref.startswith("#") and ref[1:] not in known:
                    problems.append(f"{local(element)} @{attr}={ref}: no such reference")
    return problems


# ---- the rules hold … --------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seed_session_follows_the_naming_rules(examples, language):
    data = examples[language]
    root = etree.fromstring(data)
    assert validate(data) == []
    assert eid_problems(root) == []
    assert iri_problems(root, dt.datetime.now(dt.UTC).date().isoformat()) == []


def test_every_example_follows_the_naming_rules(gfmd_example):
    root = etree.fromstring(render(gfmd_example, "akn"))
    assert eid_problems(root) == []
    assert iri_problems(root) == []


def test_the_work_is_one_across_languages(examples):
    roots = {lang: etree.fromstring(data) for lang, data in examples.items()}
    works = {lang: frbr(root, "FRBRWork", "FRBRuri")[0] for lang, root in roots.items()}
    assert len(set(works.values())) == 1, works
    assert works["en"] == "/akn/un/debateReport/report/gfmd/2017-09-06/1030"
    expressions = {lang: frbr(root, "FRBRExpression", "FRBRuri")[0]
                   for lang, root in roots.items()}
    assert expressions == {"en": f"{works['en']}/eng@", "fr": f"{works['en']}/fra@",
                           "es": f"{works['en']}/spa@"}
    # French and Spanish are translations of the English expression, which is none
    assert frbr(roots["en"], "FRBRExpression", "FRBRtranslation", "href") == []
    for lang in ("fr", "es"):
        (translation,) = roots[lang].xpath("//a:FRBRtranslation", namespaces=NS)
        assert (translation.get("href"), translation.get("fromLanguage"),
                translation.get("by")) == (expressions["en"], "eng", "#gfmd")
    # and the text of the Work is structured alike in the three
    shape = {lang: [e.get("eId") for e in root.iter() if e.get("eId") and
                    not e.xpath("ancestor::a:meta", namespaces=NS)]
             for lang, root in roots.items()}
    assert shape["fr"] == shape["en"] == shape["es"]


def test_the_original_language_can_be_another(gfmd_plugins):
    summary = load(EXAMPLES["fr"])
    plugins = gfmd_plugins(only=["akn", "yaml"])
    root = etree.fromstring(render(summary, "akn", plugins=plugins,
                                   akn_original_language="fr"))
    assert root.xpath("//a:FRBRtranslation", namespaces=NS) == []
    english = etree.fromstring(render(load(EXAMPLES["en"]), "akn", plugins=plugins,
                                      akn_original_language="fr"))
    (translation,) = english.xpath("//a:FRBRtranslation", namespaces=NS)
    assert translation.get("href").endswith("/1030/fra@")
    assert iri_problems(english) == []


def test_a_given_number_is_written_as_the_iri_allows(gfmd_plugins):
    summary = load(EXAMPLES["en"])
    data = render(summary, "akn", plugins=gfmd_plugins(only=["akn", "yaml"]),
                  akn_number="GFMD 2017/TW 3")
    root = etree.fromstring(data)
    assert validate(data) == [] and iri_problems(root) == []
    assert frbr(root, "FRBRWork", "FRBRuri") == [
        "/akn/un/debateReport/report/gfmd/2017-09-06/GFMD_2017-TW_3"]
    assert frbr(root, "FRBRWork", "FRBRnumber", "showAs") == ["GFMD 2017/TW 3"]


def test_the_manifestation_is_dated_by_its_mark_up(examples, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01, reproducible builds
    root = etree.fromstring(render(load(EXAMPLES["en"]), "akn"))
    assert iri_problems(root, "2025-01-01") == []
    assert frbr(root, "FRBRWork", "FRBRdate", "date") == ["2017-09-06"]


def test_repeated_question_numbers_still_give_unique_conventional_eids():
    summary = dataclasses.replace(example_summary("every-block"), body=(
        Question(2, "First?", (Item("a", (Item("nested"),)),)),
        Question(2, "Again?", (Item("b"),)),
        Paragraph("Intro:", (Item("x", (Item("deeper"),)), Item("y"))),
    ))
    data = render(summary, "akn")
    root = etree.fromstring(data)
    assert validate(data) == [] and eid_problems(root) == []
    assert [q.get("eId") for q in root.iterfind(".//a:hcontainer", NS)] == [
        "question_2", "question_2-2"]
    assert root.find(".//a:point[@eId='para_1__list_1__point_a__list_1__point_1']",
                     NS) is not None


# ---- … and the checks would see them broken ----------------------------------------------------

def broken(data: bytes, old: str, new: str):
    assert old.encode() in data, old
    return etree.fromstring(data.replace(old.encode(), new.encode()))


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('eId="question_1"', 'eId="hcontainer_2"', "is 'question', not 'hcontainer'"),
    ('eId="para_3__list_1__point_b"', 'eId="para_3__list_1__point_c"', "used 2 times"),
    ('eId="summarytable_1__table_1__tr_2__td_1__list_1"',
     'eId="summarytable_1__table_1__col_1__list_1"', "its levels should be"),
    ('eId="para_4"', 'eId="dvs_1__para_4"', "its levels should be none"),
    ('eId="question_2"', 'eId="question_7"', "its num says"),
    ('<blockList eId="question_1__list_1">', '<blockList eId="question_1__list_2">',
     "no. 1 in its parent"),
])
def test_the_eid_checks_catch_what_they_claim(examples, old, new, problem):
    problems = eid_problems(broken(examples["en"], old, new))
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('<FRBRsubtype value="report"/>', '<FRBRsubtype value="summary"/>', "subtype 'report'"),
    ('<FRBRnumber value="1030"/>', '', "number '1030'"),
    ('<FRBRcountry value="un"/>', '<FRBRcountry value="ch"/>', "country 'un'"),
    ('href="/ontology/organization/gfmd"', 'href="/ontology/organization/iom"',
     "actor 'gfmd'"),
    ('<FRBRauthor href="#gfmd"/>\n          <FRBRcountry',
     '<FRBRauthor href="#ola-henrikson"/>\n          <FRBRcountry', "a TLCPerson"),
    ('<FRBRformat value="xml"/>', '<FRBRformat value="application/akn+xml"/>',
     "does not end with its format"),
    ('eng@.xml"', 'eng@.akn"', "does not end with its format"),
    ('refersTo="#chair"', 'refersTo="#chairperson"', "no such reference"),
])
def test_the_iri_checks_catch_what_they_claim(examples, old, new, problem):
    problems = iri_problems(broken(examples["en"], old, new))
    assert any(problem in p for p in problems), problems


def test_the_language_in_the_work_iri_is_caught(examples):
    data = examples["fr"].replace(b"/1030", b"/groupe-thematique-3")
    problems = iri_problems(etree.fromstring(data))
    assert any("number 'groupe-thematique-3'" in p for p in problems), problems


def test_people_who_share_a_surname_are_not_told_apart_by_it():
    summary = dataclasses.replace(
        example_summary("every-block"), language="en",
        chairs=(Person("Anna Berg", "Ms."),), rapporteurs=(Person("Paul Berg", "Mr."),),
        body=(Paragraph("Ms. Anna Berg thanked Mr. Berg; Paul Berg and `Anna Berg` spoke. "
                        "The chair of the Council and the Special Rapporteur on migrants "
                        "were not the Chair."),))
    root = etree.fromstring(render(summary, "akn"))
    marked = [(local(e), e.get("refersTo"), e.text)
              for e in root.xpath("//a:mainBody//a:person | //a:mainBody//a:role",
                                  namespaces=NS)]
    assert marked == [("person", "#anna-berg", "Ms. Anna Berg"),
                      ("person", "#paul-berg", "Paul Berg"),
                      ("role", "#chair", "Chair")]
