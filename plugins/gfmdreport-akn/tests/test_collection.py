"""Proceedings as an Akoma Ntoso documentCollection: valid against the OASIS schema, one
component per session holding its meeting report, every eId unique and every local
reference resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from gfmdreport_akn import collection
from gfmdreport_akn.validate import validate
from lxml import etree

from gfmdreport import load_proceedings
from gfmdreport import render_proceedings

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


@pytest.fixture(scope="module")
def proceedings():
    loaded = load_proceedings(EXAMPLES / "proceedings.yaml")
    assert loaded.proceedings is not None
    return loaded.proceedings


def test_the_collection_is_schema_valid(proceedings):
    data = render_proceedings(proceedings, "akn")
    assert validate(data) == []
    root = etree.fromstring(data)
    (collection_,) = root
    assert collection_.tag == f"{NS}documentCollection"
    components = collection_.findall(f"{NS}collectionBody/{NS}component")
    assert [c.get("eId") for c in components] == ["cmp_1", "cmp_2", "cmp_3"]
    for component, chapter in zip(components, proceedings.chapters, strict=True):
        (report,) = component
        assert report.tag == f"{NS}debateReport"
        session = "".join(report.find(f".//{NS}docTitle").itertext())
        assert " ".join(session.split()) in (chapter.summary.title, chapter.summary.session)
    text = " ".join("".join(collection_.find(f"{NS}preface").itertext()).split())
    assert proceedings.title in text and proceedings.subtitle in text


def test_every_reference_in_a_component_resolves_to_its_own_ids(proceedings):
    root = etree.fromstring(render_proceedings(proceedings, "akn"))
    ids = [e.get("eId") for e in root.iter() if isinstance(e.tag, str) and e.get("eId")]
    assert len(ids) == len(set(ids))
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for name in ("refersTo", "as", "href"):
            value = node.get(name) or ""
            if value.startswith("#"):
                assert value[1:] in ids, (node.tag, name, value)


def test_without_the_prefixes_the_schema_refuses_it(proceedings, monkeypatch):
    monkeypatch.setattr(collection, "_prefix", lambda element, prefix: None)
    problems = validate(render_proceedings(proceedings, "akn"))
    assert any("eId" in p.message or "unique" in p.message.lower() for p in problems)
