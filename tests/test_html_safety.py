"""The HTML writer never lets a note's text run as code: an injection corpus in every
text field, random text, unsafe links and forbidden characters, checked with a strict
HTML5 parser."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import html5lib
import pytest
import yaml
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from gfmdreport import Column
from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import loads
from gfmdreport.formats.html.text import strip_forbidden
from gfmdreport.pipeline import render_report

CORPUS = Path(__file__).parent / "html" / "injection.yaml"
PAYLOADS: list[str] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))

# Everything the writer may produce; anything else came from a text.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "article", "header", "p", "h1",
    "h2", "time", "span", "dl", "div", "dt", "dd", "ol", "ul", "li", "section", "table",
    "caption", "thead", "tbody", "tr", "th", "td", "strong", "em", "a", "code", "br",
}
ALLOWED_ATTRS = {
    "lang", "class", "id", "start", "type", "datetime", "href", "title", "scope", "role",
    "data-label", "aria-labelledby", "charset", "http-equiv", "content", "name",
}
META_NAMES = {"viewport", "description", "author", "date", "generator"}


def strict_parse(data: bytes, fragment: bool = False):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    if fragment:
        return parser.parseFragment(data.decode("utf-8"))
    return parser.parse(data)


def hostile_summary(text: str) -> SessionSummary:
    """``text`` in every text field of a summary."""
    item = Item(text, (Item(text),))
    return SessionSummary(
        title=text, session=text, date=text, start_time=text, end_time=text, venue=text,
        language=text,
        chairs=(Person(text, text, text, text),),
        rapporteurs=(Person(text, text, text, text), Person(text)),
        body=(
            Paragraph(text, (item, item)),
            Heading(text),
            Paragraph(text),
            Question(1, text, (item, item)),
            SummaryTable((Column(text, (item,)), Column(text, (item, item)))),
        ),
    )


def assert_inert(root, fragment: bool = False) -> None:
    """No element, attribute, link or comment the writer did not put there itself."""
    styles = 0
    nodes = (el for child in root for el in child.iter()) if fragment else root.iter()
    for el in nodes:
        if not isinstance(el.tag, str):  # comments, processing instructions
            raise AssertionError(f"unexpected node {el.tag!r}: {el.text!r}")
        assert el.tag in ALLOWED_TAGS, f"foreign element <{el.tag}>"
        for name in el.attrib:
            assert name in ALLOWED_ATTRS, f"foreign attribute {name}= on <{el.tag}>"
            assert not name.lower().startswith("on")
        if el.tag == "a":
            assert re.match(r"^(https?|mailto):", el.get("href", "")), el.get("href")
        if el.tag == "style":
            styles += 1
        if el.tag == "meta":
            assert (el.get("charset") or el.get("name") in META_NAMES
                    or el.get("http-equiv") == "Content-Security-Policy"), el.attrib
    assert styles == (0 if fragment else 1)
    if not fragment:
        csp = [m for m in root.iter("meta") if m.get("http-equiv")]
        assert len(csp) == 1 and "script-src 'none'" in csp[0].get("content")


def render(summary: SessionSummary, **options):
    return render_report(summary, "html", **options)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_injection_corpus_stays_text(payload):
    rendered = render(hostile_summary(payload))
    root = strict_parse(rendered.data)
    assert_inert(root)
    # A plain-text field prints exactly the text (less the characters HTML forbids).
    expected = strip_forbidden(payload)
    event = root.find(".//h1/span[@class='event']")
    venue = root.find(".//span[@class='venue']")
    assert event.text == expected
    assert venue.text == expected
    assert root.find("head/title").text.startswith(" ".join(expected.split()))
    assert root.get("lang") == "en"  # a hostile language is not a language


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_injection_corpus_in_fragment(payload):
    data = render(hostile_summary(payload), fragment=True).data
    root = strict_parse(data, fragment=True)
    assert_inert(root, fragment=True)
    assert root.tag == "DOCUMENT_FRAGMENT" and [el.tag for el in root] == ["article"]
    assert not (root.text or "").strip()


def test_corpus_covers_the_attack_families():
    text = "\n".join(PAYLOADS).lower()
    for needle in ("<script", "onerror=", "javascript:", "<!--", "&lt;", "&#", "</style",
                   "<iframe", "\x00", "{{"):
        assert needle in text


def test_escaped_markup_is_printed_not_parsed(example):
    summary = hostile_summary("&lt;script&gt;alert(1)&lt;/script&gt; <b>x</b>")
    data = render(summary).data.decode()
    assert "<script" not in data.lower().replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in data


def test_template_syntax_in_text_is_not_evaluated():
    data = render(hostile_summary("{{ 7*7 }} {% if true %}yes{% endif %}")).data.decode()
    assert "{{ 7*7 }} {% if true %}yes{% endif %}" in data
    assert "49" not in data


def test_code_span_keeps_its_markup_as_text():
    summary = hostile_summary("`<script>alert(1)</script>`")
    root = strict_parse(render(summary).data)
    codes = root.findall(".//code")
    assert codes and all(c.text == "<script>alert(1)</script>" for c in codes)


# ---- links ----------------------------------------------------------------------------------

NOTES = """\
title: Links
date: 2017-09-06
body:
  - paragraph: See [the report](https://example.org/report?a=1&b=2 "The report") and
      [write to us](mailto:secretariat@example.org).
  - paragraph: An [ftp copy](ftp://example.org/r.pdf) and a [relative one](r.pdf).
  - paragraph: A [script](javascript:alert(1)) link.
"""


def test_safe_links_are_kept_with_escaped_targets():
    rendered = render(loads(NOTES, "yaml", path="notes.yaml"))
    root = strict_parse(rendered.data)
    links = {a.text: a.attrib for a in root.iter("a")}
    assert links["the report"] == {"href": "https://example.org/report?a=1&b=2",
                                   "title": "The report"}
    assert links["write to us"] == {"href": "mailto:secretariat@example.org"}
    assert "&amp;b=2" in rendered.data.decode()


def test_unsafe_links_are_dropped_with_located_warnings():
    rendered = render(loads(NOTES, "yaml", path="notes.yaml"))
    root = strict_parse(rendered.data)
    assert {a.text for a in root.iter("a")} == {"the report", "write to us"}
    paragraphs = [" ".join("".join(li.itertext()).split())
                  for li in root.findall(".//ol[@class='paragraphs']/li")]
    assert paragraphs[1] == "An ftp copy and a relative one."
    assert paragraphs[2] == "A script link."  # its text, as in every writer
    warnings = [str(d) for d in rendered.diagnostics]
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith("notes.yaml:6:") and "[unsafe-link]" in warnings[0]
    assert "'ftp://example.org/r.pdf' dropped" in warnings[0]
    assert "'r.pdf' dropped" in warnings[1]
    assert warnings[2].startswith("notes.yaml:7:")
    assert "'javascript:alert(1)' dropped" in warnings[2]


def test_link_syntax_that_is_no_link_is_printed_as_written_and_said():
    """A destination with a space is no link to markdown-it: the brackets stay text, and
    when they name a scheme other than http(s) or mailto, a warning says so."""
    rendered = render(SessionSummary(title="t", body=(
        Paragraph("See [the file](file:///x y) or [the site](https://a.org/ b)."),)))
    main = rendered.data.decode().split("<main", 1)[1]
    assert "[the file](file:///x y)" in main and "<a " not in main
    (warning,) = [str(d) for d in rendered.diagnostics]
    assert "[unsafe-link]" in warning and "'file:///x' not made" in warning


def test_each_unsafe_link_is_reported_once_per_place():
    summary = SessionSummary(title="t", body=(Paragraph("[a](ftp://x) [a](ftp://x)"),
                                              Paragraph("[a](ftp://x)")))
    rendered = render(summary)
    assert len(rendered.diagnostics) == 1  # same target, same (unknown) place


# ---- forbidden characters -------------------------------------------------------------------

def test_forbidden_characters_are_removed_and_reported():
    notes = ('{"title": "T\\u0007itle", "body": [{"type": "paragraph", '
             '"text": "bell\\u0007 and SURROGATE surrogate"}]}')
    summary = loads(notes, "json", path="notes.json")  # the reader refuses a lone surrogate
    para = dataclasses.replace(summary.body[0],
                               text=summary.body[0].text.replace("SURROGATE", "\ud800"))
    rendered = render(dataclasses.replace(summary, body=(para,)))
    text = rendered.data.decode("utf-8")
    assert "\x07" not in text and "Title" in text and "bell and  surrogate" in text
    rules = sorted({d.rule for d in rendered.diagnostics})
    assert rules == ["control-character"]
    assert any("U+0007" in d.message for d in rendered.diagnostics)
    assert any("U+D800" in d.message for d in rendered.diagnostics)


# ---- random text ----------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(PAYLOADS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, paragraph=texts, item=texts, heading=texts)
def test_any_text_parses_cleanly_and_stays_inert(title, paragraph, item, heading):
    summary = SessionSummary(
        title=title, session=heading,
        body=(Paragraph(paragraph, (Item(item),)), Heading(heading),
              Question(1, item, (Item(paragraph),)),
              SummaryTable((Column(heading, (Item(item),)),))))
    root = strict_parse(render(summary).data)
    assert_inert(root)

    # The title is printed exactly (less the characters HTML forbids): in the h1 beside
    # the session, or alone in the h1 when there is no session; with neither, no h1.
    def shown(text: str) -> str:  # HTML reads a carriage return as a line feed
        return strip_forbidden(text).replace("\r\n", "\n").replace("\r", "\n")

    h1 = root.findall(".//h1")
    event = root.find(".//h1/span[@class='event']")
    if shown(title) and shown(heading):
        assert event is not None and event.text == shown(title)
        assert root.find(".//h1/span[@class='session']").text == shown(heading)
    elif shown(title) or shown(heading):
        assert event is None and len(h1) == 1
        assert h1[0].text == (shown(heading) or shown(title))
    else:
        assert h1 == []


def test_hostile_summary_is_a_real_summary():
    # the corpus test's fixture fills every field the writer prints
    summary = hostile_summary("X")
    printed = render(dataclasses.replace(summary, language="en")).data.decode()
    assert printed.count("X") >= 20
