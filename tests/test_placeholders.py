"""The placeholders of ``gfmdreport new``'s templates: the recogniser knows every one of
them, in every language, and the unfilled template is refused."""

from __future__ import annotations

import re

import pytest

from gfmdreport import loads
from gfmdreport import validate
from gfmdreport.formats.markdown.reader import TEMPLATE_LANGUAGES
from gfmdreport.formats.markdown.reader import notes_template
from gfmdreport.recognize.placeholders import PLACEHOLDERS
from gfmdreport.recognize.placeholders import placeholders


def _template_placeholders(text: str) -> set[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"(?m)(^|\s)#(?!#).*$", "", text)  # YAML comments, not '## headings'
    return {" ".join(m.group(1).split()) for m in re.finditer(r"\[([^\[\]]+)\](?!\()", text)}


def test_the_list_is_the_templates_own():
    found = set().union(
        *(_template_placeholders(notes_template(language)) for language in TEMPLATE_LANGUAGES)
    )
    assert found == PLACEHOLDERS


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_the_unfilled_template_is_refused_naming_each_field(language, plugins):
    summary = loads(notes_template(language), "md", plugins=plugins)
    found = [d for d in validate(summary, plugins=plugins, config={}) if d.rule == "GFMD112"]
    assert found and all(d.severity.value == "error" for d in found)
    messages = " ".join(d.message for d in found)
    for field in (
        "the title",
        "the session",
        "the venue",
        "the chair's name",
        "the rapporteur's honorific",
        "paragraph 1",
        "question 1",
        "takeaway 1 of question 1",
    ):
        assert field in messages, field
    lines = {d.location.line for d in found}
    assert len(lines) >= 20  # each at its own line


def test_the_filled_template_passes(plugins):
    text = notes_template("en")
    for placeholder in sorted(PLACEHOLDERS, key=len, reverse=True):
        text = text.replace(f"[{placeholder}]", "Filled in")
    text = re.sub(r"\[([^\]]+)\]", lambda m: " ".join(m.group(1).split()), text)
    summary = loads(text, "md", plugins=plugins)
    assert not [d for d in validate(summary, plugins=plugins, config={}) if d.rule == "GFMD112"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Full name]", ["[Full name]"]),
        ("Dear [Nom complet], see [sic] and [a link](https://example.org)", ["[Nom complet]"]),
        ("[Mr./Ms./Dr./H.E.] [Full  name]", ["[Mr./Ms./Dr./H.E.]", "[Full  name]"]),
        ("[sic]", []),
        ("[Full name](https://example.org)", []),
    ],
)
def test_placeholders_in_text(text, expected):
    assert list(placeholders(text)) == expected
