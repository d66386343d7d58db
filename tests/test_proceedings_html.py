"""The HTML proceedings: a valid page (html5lib, strict), navigable (every link of the
contents and the annex reaches an element, ids unique), chapters as h2 with the
sessions' headings as h3, the three numberings, the annex traceable to its sessions."""

from __future__ import annotations

import html5lib
import pytest

from gfmdreport.proceedings.build import compile_proceedings
from gfmdreport.proceedings.build import load_proceedings

from conftest import EXAMPLES
from proceedings_support import generated


def page(path, numbering=None):
    loaded = load_proceedings(path, numbering=numbering)
    data = compile_proceedings(loaded.proceedings, "html").data
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return loaded.proceedings, parser.parse(data)


@pytest.fixture(scope="module")
def example():
    return page(EXAMPLES / "proceedings.yaml")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return generated(tmp_path_factory.mktemp("html"), 3)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_every_link_reaches_an_element_and_ids_are_unique(example):
    _, doc = example
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    links = [a.get("href")[1:] for a in doc.iter("a") if a.get("href", "").startswith("#")]
    assert links and set(links) <= set(ids)


def test_the_nav_lists_the_chapters_and_their_headings(example):
    proceedings, doc = example
    (nav,) = doc.iter("nav")
    entries = [text(a) for a in nav.iter("a")]
    for number, chapter in enumerate(proceedings.chapters, 1):
        assert f"{number}. {chapter.summary.session}" in entries
    assert entries[0] == "Foreword" and entries[-1] == "Index of chairs and rapporteurs"
    nested = [text(a) for ol in nav.iter("ol") for li in ol for a in li.iter("a")
              if ol is not next(nav.iter("ol"))]
    assert "Overview on the GFMD Report's Chapter on GCM Cluster 3" in nested


def test_chapters_are_h2_and_their_headings_h3(example):
    proceedings, doc = example
    assert [text(h) for h in doc.iter("h1")] == [proceedings.title]
    h2 = [text(h) for h in doc.iter("h2")]
    assert f"1. {proceedings.chapters[0].summary.session}" in h2
    h3 = [text(h) for h in doc.iter("h3")]
    assert "Question 1: How can the GCM make remittances cheaper, safer and more " \
           "productive for migrants and their families?" in h3
    assert not any("Overview" in t for t in h2)


@pytest.mark.parametrize(("numbering", "expected"), [
    ("restart", ["1", "1", "1"]), ("continuous", ["1", "4", "7"]),
    ("prefixed", ["1.1.", "2.1.", "3.1."])])
def test_numbering(folder, numbering, expected):
    _, doc = page(folder, numbering)
    firsts = []
    for article in doc.iter("article"):
        ol = next(o for o in article.iter("ol") if "paragraphs" in o.get("class", ""))
        if numbering == "prefixed":
            firsts.append(ol[0].get("data-number"))
        else:
            firsts.append(ol.get("start", "1"))
    assert firsts == expected


def test_annex_rows_link_to_the_session_they_came_from(folder):
    proceedings, doc = page(folder)
    tables = [t for t in doc.iter("table") if "annex-table" in t.get("class", "")]
    rows = 0
    for table in tables[:-1]:
        for tr in table.find("tbody"):
            item, where = tr
            number = int(where.find("a").get("href").removeprefix("#chapter-"))
            closing = proceedings.chapters[number - 1].summary.table
            assert text(item) in [i.text for c in closing.columns for i in c.items]
            rows += 1
    assert rows == 12
