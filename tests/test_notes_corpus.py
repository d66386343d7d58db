"""Notes typed the way people type them: tests/corpus/notes/NAME.md, each with
NAME.expected.yaml holding what it must give:

- ``meta``: the metadata of the model (the canonical interchange dict without ``body``),
  for notes that can be read;
- ``diagnostics``: every diagnostic ``validate`` reports for it, reader's and rules',
  as ``LINE SEVERITY RULE``, in one run.

Set GFMDREPORT_UPDATE_GOLDEN=1 to rewrite the expected files from the output (then review the
diff: the expectations are only as good as that review).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gfmdreport import InputError
from gfmdreport import loads
from gfmdreport import validate
from gfmdreport.pipeline import input_problems

from conftest import UPDATE_GOLDEN

CORPUS = Path(__file__).parent / "corpus" / "notes"
CASES = sorted(p.stem for p in CORPUS.glob("*.md"))


def _outcome(name: str, plugins) -> dict:
    text = (CORPUS / f"{name}.md").read_text("utf-8")
    try:
        summary = loads(text, "md", path=f"{name}.md", plugins=plugins)
    except InputError as exc:
        meta, found = None, input_problems(exc, plugins=plugins, config={})
    else:
        meta = {k: v for k, v in summary.to_dict().items() if k != "body"}
        found = validate(summary, plugins=plugins, config={})
    result: dict = {}
    if meta is not None:
        result["meta"] = meta
    result["diagnostics"] = [f"{d.location.line} {d.severity} {d.rule}" for d in found]
    return result


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name, plugins):
    actual = _outcome(name, plugins)
    expected_path = CORPUS / f"{name}.expected.yaml"
    if UPDATE_GOLDEN:
        expected_path.write_text(
            yaml.safe_dump(actual, allow_unicode=True, sort_keys=False, width=88), "utf-8"
        )
        return
    expected = yaml.safe_load(expected_path.read_text("utf-8"))
    assert actual == expected
