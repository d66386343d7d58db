"""Properties of every valid model (tests/strategies.py generates them), checked on
each generated model in one test:

- it renders to every built-in format without error, into a complete file of the format;
- YAML, JSON and Markdown give it back exactly, and so does a Word document read back;
- every rule runs on it without a crash, and every writer renders any text at all
  (control characters, unpaired marks, any script), though it may report what it had
  to drop;
- a complete model (what the rules ask for: metadata, people, questions numbered in
  order with takeaways, the closing table) validates without an error.

``GFMDREPORT_PROPERTY_EXAMPLES`` sets the number of examples per property (default 200).
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import html5lib
import yaml
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from strategies import complete_summaries
from strategies import inline_texts
from strategies import people
from strategies import summaries
from strategies import tricky_texts

from gfmdreport import SessionSummary
from gfmdreport import loads
from gfmdreport import render
from gfmdreport import validate
from gfmdreport.diagnostics import Severity

BUILT_IN = ("md", "yaml", "json", "html", "docx")
EXAMPLES = int(os.environ.get("GFMDREPORT_PROPERTY_EXAMPLES", "200"))

# The suite explores a fixed set of examples so a run is reproducible;
# GFMDREPORT_PROPERTY_RANDOM=1 explores new ones each run (for hunting, not for CI).
settings.register_profile(
    "properties", max_examples=EXAMPLES, deadline=None, database=None,
    derandomize=os.environ.get("GFMDREPORT_PROPERTY_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = settings.get_profile("properties")

MODELS = summaries(text=st.one_of(inline_texts(), tricky_texts()))


def complete(fmt: str, data: bytes) -> None:
    """Fail unless ``data`` is a whole file of the format."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None
            assert "word/document.xml" in zf.namelist()
    elif fmt == "json":
        assert "body" in json.loads(data)
    elif fmt == "yaml":
        assert "body" in yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    elif fmt == "html":
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(data)
    else:
        data.decode("utf-8")


def test_the_built_in_formats_are_registered(plugins):
    assert set(BUILT_IN) <= set(plugins.registry.writers)
    assert {"md", "yaml", "json", "docx"} <= set(plugins.registry.readers)


@PROFILE
@given(MODELS)
def test_every_well_formed_model(plugins, summary):
    """One generated model (well formed, not necessarily complete), every property (the
    models are costly to generate): every rule runs on it without a crash; it renders to
    every built-in format into a complete file; YAML, JSON and Markdown give it back
    exactly; so does a Word document read back."""
    found = validate(summary, plugins=plugins, config={})
    assert not [d for d in found if d.rule == "plugin-error"]
    rendered = {fmt: render(summary, fmt, plugins=plugins) for fmt in BUILT_IN}
    for fmt, data in rendered.items():
        complete(fmt, data)
    for fmt in ("yaml", "json", "md"):
        again = loads(rendered[fmt], fmt, plugins=plugins)
        assert again == summary, fmt
        assert again.to_dict() == summary.to_dict(), fmt
    if "docx" in plugins.registry.readers:  # the reader is a plugin: it may be blocked
        again = loads(rendered["docx"], "docx", plugins=plugins)
        assert again.to_dict() == summary.to_dict(), "docx"


# Any text at all: every character UTF-8 can hold, controls and format characters included.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@st.composite
def _any_people(draw):
    person = draw(people())
    return person.__class__(name=draw(ANY_TEXT), honorific=draw(ANY_TEXT),
                            role=person.role, organization=draw(ANY_TEXT))


@PROFILE
@given(summaries(text=ANY_TEXT, every_type=True, max_blocks=2), ANY_TEXT,
       st.lists(_any_people(), max_size=2))
def test_every_writer_renders_any_text(plugins, summary, title, chairs):
    """Any text at all, in any field: validation runs every rule without a crash, and
    every built-in writer renders the summary into a complete file (dropping what its
    format cannot hold, with a warning), never refusing it."""
    summary = SessionSummary(**{**{f: getattr(summary, f) for f in (
        "session", "date", "start_time", "end_time", "venue", "language", "rapporteurs",
        "body")}, "title": title, "chairs": tuple(chairs)})
    found = validate(summary, plugins=plugins, config={})
    assert not [d for d in found if d.rule == "plugin-error"]
    for fmt in BUILT_IN:
        complete(fmt, render(summary, fmt, plugins=plugins))


@PROFILE
@given(complete_summaries())
def test_a_complete_model_validates_without_errors(plugins, summary):
    found = validate(summary, plugins=plugins, config={})
    assert [str(d) for d in found if d.severity is Severity.ERROR] == []

