"""YAML and JSON in: short forms, canonical forms, and every bad input with its location."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gfmdreport import InputError
from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render

MINIMAL = """\
title: T
session: S
body:
  - paragraph: One.
"""


def diagnostics_of(text: str, fmt: str = "yaml") -> list[str]:
    with pytest.raises(InputError) as info:
        loads(text, fmt, path="notes.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_short_and_canonical_forms_give_the_same_model():
    short = loads("""\
chair: {name: Ann Lee, honorific: Ms.}
body:
  - paragraph: Text *here*.
    items: [first, {text: second, items: [nested]}]
  - heading: A section
  - question: {text: Why?, takeaways: [one, two]}
  - question: {text: How?, takeaways: [three]}
  - table: [{heading: A, items: [x]}, {heading: B, items: []}]
""", "yaml")
    canonical = loads(json.dumps({
        "language": "en",
        "chairs": [{"honorific": "Ms.", "name": "Ann Lee"}],
        "body": [
            {"type": "paragraph", "text": "Text *here*.",
             "items": ["first", {"text": "second", "items": ["nested"]}]},
            {"type": "heading", "text": "A section"},
            {"type": "question", "number": 1, "text": "Why?", "takeaways": ["one", "two"]},
            {"type": "question", "number": 2, "text": "How?", "takeaways": ["three"]},
            {"type": "table", "columns": [{"heading": "A", "items": ["x"]},
                                          {"heading": "B", "items": []}]},
        ]}), "json")
    assert short == canonical
    assert [q.number for q in short.questions] == [1, 2]


def test_folded_text_collapses_white_space():
    summary = loads("body:\n  - paragraph: >-\n      one\n      two   three\n", "yaml")
    assert summary.body[0].text == "one two three"


def test_unquoted_date_stays_iso_text():
    summary = loads("date: 2017-09-06\ntime: 10:30-12:30\nbody: []\n", "yaml")
    assert summary.date == "2017-09-06"
    assert summary.time == "10:30-12:30"


def test_json_reads_like_yaml(example):
    data = render(example, "json")
    assert loads(data, "json") == example


def test_yaml_output_reads_back(example):
    assert loads(render(example, "yaml"), "yaml") == example


def test_block_locations_point_at_their_lines(example):
    text = Path(example.source).read_text(encoding="utf-8").splitlines()
    heading = example.body[2]
    assert "heading: Overview on the GFMD" in text[heading.loc.line - 1]
    question = example.questions[1]
    assert text[question.loc.line - 1].strip().startswith("- question:")
    takeaway = question.takeaways[3]
    assert text[takeaway.loc.line - 1].strip() == "- >-"
    assert text[takeaway.loc.line].strip().startswith("Participants supported the view")
    assert example.location_of("venue").line == 13


def test_syntax_error_has_line_and_column():
    (message,) = diagnostics_of("title: [unclosed\nbody: []\n")
    assert message.startswith("notes.yaml:1:8:")  # where the [ is opened
    assert "error[yaml-syntax]" in message


def test_every_shape_error_is_reported_at_once():
    messages = diagnostics_of("""\
title: T
venu: Geneva
date: 6 Septober 2017
body:
  - paragraf: text
  - question: {number: 1, text: q, takeawys: []}
  - heading: [not, text]
""")
    assert messages == [
        "notes.yaml:2:1: error[unknown-key]: unknown key 'venu' in the summary "
        "(did you mean 'venue'?)",
        "notes.yaml:3:7: error[bad-value]: date '6 Septober 2017' is not valid: "
        "ISO date YYYY-MM-DD (write the date as 2017-09-06, 6 September 2017 or "
        "6 septembre 2017)",
        "notes.yaml:5:5: error[unknown-block]: body[1] is not a known block ('paragraf') "
        "(did you mean 'paragraph'?)",
        "notes.yaml:6:15: error[missing-key]: body[2].question has no 'takeaways' "
        "(add 'takeaways:')",
        "notes.yaml:6:36: error[unknown-key]: unknown key 'takeawys' in body[2].question "
        "(did you mean 'takeaways'?)",
        "notes.yaml:7:14: error[wrong-type]: body[3].heading must be text, not a list "
        "(write text here; quote it if it starts with a special character)",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n- b\n", "notes.yaml:1:1: error[wrong-type]: the file must hold a mapping"),
    ("just a sentence\n", "notes.yaml:1:1: error[wrong-type]: the file must hold a mapping"),
    ("title: T\n", "notes.yaml:1:1: error[missing-key]: the summary has no 'body'"),
    ("body: []\ntime: 25:00-26:00\n", "notes.yaml:2:7: error[bad-value]: time"),
    ("body: []\nbody: []\n", "notes.yaml:2:1: error[duplicate-key]: duplicate key 'body'"),
    ("a: &x [1]\nbody: *x\n", "notes.yaml:2:1: error[yaml-alias]"),
    ("chair: {name: A}\nchairs: [{name: B}]\nbody: []\n",
     "notes.yaml:1:1: error[duplicate-key]: give either 'chair' or 'chairs'"),
    ("chairs: [{role: Chair}]\nbody: []\n", "notes.yaml:1:10: error[missing-key]: "
     "chairs[1] has no 'name'"),
    ("body:\n  - question: {number: 0, text: q, takeaways: []}\n",
     "notes.yaml:2:24: error[bad-value]: body[1].question.number must be at least 1"),
    ("body:\n  - {type: table, columns: [{heading: A}]}\n",
     "notes.yaml:2:29: error[missing-key]: body[1].columns[1] has no 'items'"),
])
def test_bad_shapes(text, expected):
    messages = diagnostics_of(text)
    assert any(m.startswith(expected) for m in messages), messages


def test_json_syntax_error_location():
    (message,) = diagnostics_of('{\n  "body": [,]\n}\n', "json")
    assert message.startswith("notes.yaml:2:12: error[json-syntax]")


def test_no_python_objects_from_tags(tmp_path):
    bad = tmp_path / "evil.yaml"
    bad.write_text("title: !!python/object/apply:os.system ['echo hacked']\nbody: []\n")
    with pytest.raises(InputError) as info:
        load(bad)
    assert "evil.yaml:1:8" in str(info.value)
