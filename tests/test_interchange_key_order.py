"""YAML mappings have no order: any order of the keys of any mapping of a valid summary
(the examples in their short form, and the canonical form the writers give) reads to the
same model, in YAML and in JSON."""

from __future__ import annotations

import datetime
import functools
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from gfmdreport import loads

# the example summaries (examples/proceedings.yaml is a manifest of them, read as one)
EXAMPLES = sorted(p for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")
                  if p.name != "proceedings.yaml")


def _shuffled(data: Any, rng: random.Random) -> Any:
    if isinstance(data, dict):
        keys = list(data)
        rng.shuffle(keys)
        return {key: _shuffled(data[key], rng) for key in keys}
    if isinstance(data, list):
        return [_shuffled(item, rng) for item in data]
    return data


def _plain(data: Any) -> Any:
    """YAML's data as JSON holds it: a date as its text."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(item) for item in data]
    return data.isoformat() if isinstance(data, datetime.date) else data


@functools.cache
def _expected(path: Path):
    return loads(path.read_text("utf-8"), "yaml")


@functools.cache
def _forms(path: Path) -> list[tuple[str, Any]]:
    text = path.read_text("utf-8")
    short = _plain(yaml.safe_load(text))
    canonical = _expected(path).to_dict()
    return [("short", short), ("canonical", canonical)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@settings(max_examples=10, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_any_key_order_reads_the_same(path, rng):
    expected = _expected(path)
    for _form, data in _forms(path):
        mixed = _shuffled(data, rng)
        as_yaml = yaml.safe_dump(mixed, sort_keys=False, allow_unicode=True)
        assert loads(as_yaml, "yaml") == expected
        assert loads(json.dumps(mixed, ensure_ascii=False), "json") == expected


def test_sorted_keys_as_pyyaml_saves_them():
    """``yaml.safe_dump`` sorts keys: ``items`` comes before ``paragraph``."""
    text = yaml.safe_dump(
        {
            "body": [
                {"paragraph": "Hello.", "items": ["One.", "Two."]},
                {"question": {"text": "Why?", "takeaways": ["So."]}},
            ]
        }
    )
    assert text.index("items") < text.index("paragraph")
    summary = loads(text, "yaml")
    assert [item.text for item in summary.body[0].items] == ["One.", "Two."]
    assert summary.body[1].takeaways[0].text == "So."
