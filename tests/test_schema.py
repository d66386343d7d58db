"""The published JSON Schema: generated from schema.py, and accepting what we write."""

from __future__ import annotations

import json

import jsonschema
import pytest

from gfmdreport import render
from gfmdreport.formats.interchange.schema import json_schema
from gfmdreport.formats.interchange.shape import compose_yaml

from conftest import EXAMPLE_YAML
from conftest import ROOT


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_output_validates_against_the_schema(example, validator):
    data = json.loads(render(example, "json"))
    errors = list(validator.iter_errors(data))
    assert errors == []


def test_hand_written_example_validates_too(validator):
    raw = compose_yaml(EXAMPLE_YAML.read_text(encoding="utf-8"), str(EXAMPLE_YAML)).data
    assert list(validator.iter_errors(raw)) == []


def test_schema_rejects_what_the_reader_rejects(validator):
    assert list(validator.iter_errors({"body": [{"type": "paragraf", "text": "x"}]}))
    assert list(validator.iter_errors({"body": [], "venu": "x"}))
    assert list(validator.iter_errors({"body": [], "time": "12:30"})) == []
    assert list(validator.iter_errors({"body": [], "time": "25:30"}))


def test_published_schema_file_is_current():
    published = json.loads((ROOT / "docs" / "gfmdreport.schema.json").read_text())
    assert published == json_schema(), "regenerate with: gfmdreport schema > " \
        "docs/gfmdreport.schema.json"


def test_example_yaml_points_editors_at_the_schema():
    first = EXAMPLE_YAML.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/gfmdreport.schema.json"
    assert (EXAMPLE_YAML.parent / "../docs/gfmdreport.schema.json").resolve().is_file()
