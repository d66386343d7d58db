"""The Word redline (``gfmdreport diff OLD NEW -o changes.docx``): the new version with
every difference from the old one as tracked changes. Checked both ways: accepting every
change gives the new report and rejecting every change the old one, read back as
models; the changes themselves against golden accounts of hand-made edits of the
example (tests/golden/redline; GFMDREPORT_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from ooxml_schemas import validate_package
from redline_support import DATE
from redline_support import EDITS
from redline_support import OPTIONS
from redline_support import W
from redline_support import account
from redline_support import document
from redline_support import example
from redline_support import revisions
from redline_support import shown

from gfmdreport import loads
from gfmdreport import render
from gfmdreport.formats.docx.ooxml.revisions import resolve_package
from gfmdreport.formats.docx.write import render_redline

from conftest import UPDATE_GOLDEN

GOLDEN = Path(__file__).resolve().parent / "golden" / "redline"
EDITED = ("docx-edited", "docx-model", "docx-model-changed")


@pytest.fixture(scope="module")
def old():
    return example()


@pytest.fixture(scope="module", params=sorted(EDITS))
def case(request, old):
    new = EDITS[request.param](old)
    assert new != old
    return request.param, new, render_redline(old, new, OPTIONS)


def test_the_changes_are_the_golden_ones(case):
    name, _new, data = case
    actual = account(data)
    path = GOLDEN / f"{name}.txt"
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, "utf-8")
    assert actual == path.read_text("utf-8"), f"{name} differs (GFMDREPORT_UPDATE_GOLDEN=1)"


def test_accepting_every_change_gives_the_new_report(case, old):
    _name, new, data = case
    accepted = resolve_package(data, accept=True)
    assert not revisions(accepted)
    again = loads(accepted, "docx")
    assert again.to_dict() == new.to_dict()
    assert not [d for d in again.diagnostics if d.rule in EDITED]  # the text is the model's
    assert shown(accepted) == new.to_dict()  # and the text alone says so


def test_rejecting_every_change_gives_the_old_report(case, old):
    _name, _new, data = case
    rejected = resolve_package(data, accept=False)
    assert not revisions(rejected)
    assert loads(rejected, "docx").to_dict() == old.to_dict()


def test_the_redline_reads_back_as_the_new_version(case):
    _name, new, data = case
    again = loads(data, "docx")
    assert again.to_dict() == new.to_dict()
    if any(etree.QName(el).localname != "rPrChange" for el in revisions(data)):
        assert "docx-tracked-changes" in {d.rule for d in again.diagnostics}


def test_every_revision_has_its_author_and_date(case):
    _name, _new, data = case
    found = revisions(data)
    assert found
    assert {el.get(W + "author") for el in found} == {OPTIONS["author"]}
    assert {el.get(W + "date") for el in found} == {DATE.strftime("%Y-%m-%dT%H:%M:%SZ")}
    ids = [el.get(W + "id") for el in found]
    assert len(ids) == len(set(ids))


def test_the_redline_is_valid_against_the_schemas(case):
    _name, _new, data = case
    errors, unchecked = validate_package(data)
    assert errors == [], "\n".join(errors[:10])
    assert all(name.startswith("customXml/item") for name in unchecked), unchecked


def test_no_change_is_no_revision(old):
    data = render_redline(old, old, OPTIONS)
    assert not revisions(data)
    body = [_canonical(p) for p in document(data).iter(W + "p")]
    assert body == [_canonical(p) for p in document(render(old, "docx")).iter(W + "p")]


def test_the_body_accepted_is_the_new_report_as_written(case):
    """Outside the closing table (whose rows follow the new version's layout either
    way), accepting gives the very paragraphs the new report has, element for element."""
    _name, new, data = case
    accepted = document(resolve_package(data, accept=True))
    plain = document(render(new, "docx"))

    def paragraphs(root):
        body = root.find(W + "body")
        return [_canonical(p) for p in body.iterchildren(W + "p")]

    assert paragraphs(accepted) == paragraphs(plain)


def _canonical(p) -> bytes:
    """A paragraph as it shows: adjacent runs of one look joined (a label and the words
    after it are one run or two), relationship ids left out (they are numbered in
    another order)."""
    p = etree.fromstring(etree.tostring(p))
    for link in p.iter(W + "hyperlink"):
        link.attrib.clear()
    for parent in [p, *p.iter(W + "hyperlink")]:
        previous = None
        for r in list(parent.iterchildren(W + "r")):
            texts = r.findall(W + "t")
            if previous is not None and len(texts) == 1 and len(r) <= 2 \
                    and previous.getnext() is r and _look(previous) == _look(r) \
                    and previous[-1].tag == W + "t":
                previous[-1].text = (previous[-1].text or "") + (texts[0].text or "")
                parent.remove(r)
                continue
            previous = r
        for t in p.iter(W + "t"):
            t.attrib.clear()
    return etree.tostring(p, method="c14n")


def _look(r) -> bytes:
    rpr = r.find(W + "rPr")
    return b"" if rpr is None else etree.tostring(rpr, method="c14n")
