"""One link policy for every writer: full http, https and mailto addresses are links; any
other target (relative paths, anchors, ftp:, tel:, file:, javascript:) is printed as its
text with a warning, in Word as in HTML."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from gfmdreport import Paragraph
from gfmdreport import SessionSummary
from gfmdreport.inline import link_target
from gfmdreport.pipeline import render_report


@pytest.mark.parametrize(("href", "kept"), [
    ("https://www.gfmd.org/", "https://www.gfmd.org/"),
    ("  http://example.org/a?b#c ", "http://example.org/a?b#c"),
    ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
    ("mailto:secretariat@gfmd.org", "mailto:secretariat@gfmd.org"),
    ("ftp://example.org/a", None),
    ("tel:+41227888888", None),
    ("annex/report.pdf", None),
    ("#question-1", None),
    ("javascript:alert(1)", None),
    ("file:///etc/passwd", None),
    ("", None),
])
def test_link_target(href, kept):
    assert link_target(href) == kept


@pytest.mark.parametrize("href", ["ftp://example.org/a", "tel:+41227888888",
                                  "annex/report.pdf", "#question-1", "javascript:alert(1)",
                                  "file:///etc/passwd", "vbscript:msgbox", "data:text/html,x"])
def test_every_writer_refuses_the_same_links(href):
    """Each is written as its text, never as raw brackets or a live link, with a warning
    (markdown-it alone leaves `javascript:` and `file:` links unparsed, as brackets)."""
    summary = SessionSummary(title="T", session="S", body=(
        Paragraph(f"See [the annex]({href}) now."),))
    for to, rule in (("docx", "docx-link"), ("html", "unsafe-link"), ("akn", "akn-link")):
        result = render_report(summary, to)
        if to == "akn":  # (the bare summary has no date or number for its URI: said too)
            assert [d.rule for d in result.diagnostics if "link" in d.rule] == [rule], to
            body = result.data.decode().split("<mainBody", 1)[1]
            assert "<a " not in body and "See the annex now." in re.sub(r"<[^>]+>", "", body)
            continue
        assert [d.rule for d in result.diagnostics] == [rule], to
        assert all(d.hint for d in result.diagnostics), to
        if to == "docx":
            with zipfile.ZipFile(io.BytesIO(result.data)) as package:
                document = package.read("word/document.xml").decode()
                rels = package.read("word/_rels/document.xml.rels").decode()
            assert "<w:hyperlink" not in document and href not in rels
            assert "See the annex now." in re.sub(r"<[^>]+>", "", document)
        else:
            assert "<a " not in result.data.decode().split("<main", 1)[1]


def test_word_and_html_keep_the_same_links():
    summary = SessionSummary(title="T", session="S", body=(
        Paragraph("See [the site](https://www.gfmd.org/) or [write](mailto:a@b.org)."),))
    for to in ("docx", "html"):
        assert render_report(summary, to).diagnostics == (), to
