"""Golden cases of the Markdown notes reader: tests/golden/markdown/NAME.md in, and

- NAME.json: the model, as ``gfmdreport render NAME.md -t json`` prints it;
- NAME.diagnostics: the warnings the reader gives, one per line (none if absent);
- or, for notes that cannot be read, NAME.errors: every diagnostic of the InputError.

Diagnostics are written ``NAME.md:line:col: severity[rule]: message (hint)``.
Set GFMDREPORT_UPDATE_GOLDEN=1 to rewrite the expected files from the reader's output (then
review the diff).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gfmdreport import InputError
from gfmdreport.formats.markdown.reader import read
from gfmdreport.formats.markdown.writer import render_markdown

from conftest import UPDATE_GOLDEN

GOLDEN = Path(__file__).parent / "golden" / "markdown"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def _model_json(summary) -> str:
    return json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _lines(diagnostics) -> str:
    return "".join(f"{d}\n" for d in diagnostics)


def _check(path: Path, actual: str) -> None:
    if UPDATE_GOLDEN:
        if actual:
            path.write_text(actual, "utf-8")
        elif path.exists():
            path.unlink()
        return
    expected = path.read_text("utf-8") if path.exists() else ""
    assert actual == expected, f"{path.name} differs (GFMDREPORT_UPDATE_GOLDEN=1 rewrites it)"


def test_every_convention_has_a_case():
    assert len(CASES) >= 20
    assert {c.split("-")[0] for c in CASES} >= {"error", "warn"}


@pytest.mark.parametrize("name", CASES)
def test_golden(name):
    source = GOLDEN / f"{name}.md"
    text = source.read_text("utf-8")
    errors = GOLDEN / f"{name}.errors"
    if name.startswith("error-"):
        with pytest.raises(InputError) as caught:
            read(text, path=source.name)
        _check(errors, _lines(caught.value.diagnostics))
        assert any(d.severity == "error" for d in caught.value.diagnostics)
        return
    summary = read(text, path=source.name)
    _check(GOLDEN / f"{name}.json", _model_json(summary))
    _check(GOLDEN / f"{name}.diagnostics", _lines(summary.diagnostics))
    assert bool(summary.diagnostics) == name.startswith("warn-")


@pytest.mark.parametrize("name", [c for c in CASES if not c.startswith("error-")])
def test_golden_round_trip(name):
    """Whatever the notes look like, writing them out gives canonical notes that read
    back to the same model and write out again byte for byte."""
    summary = read((GOLDEN / f"{name}.md").read_text("utf-8"))
    canonical = render_markdown(summary)
    again = read(canonical)
    assert again == summary
    assert render_markdown(again) == canonical


def _first_word(text: str) -> str:
    """The first word of a text as its line shows it (inline markup aside)."""
    found = re.search(r"[^\W_]+", text)
    return found.group(0).casefold() if found else ""


def _shows(line: str, text: str) -> bool:
    return _first_word(text) in line.casefold()


@pytest.mark.parametrize("name", [c for c in CASES if not c.startswith("error-")])
def test_golden_locations(name):
    """Every block and item points at the very line of the notes where its text starts:
    the line holds the text's first word, and items of one list come on lines in their
    order (an item given its list's first line, or its block's, fails here)."""
    summary = read((GOLDEN / f"{name}.md").read_text("utf-8"), path="x.md")
    lines = (GOLDEN / f"{name}.md").read_text("utf-8").split("\n")
    checked = 0
    for block in summary.body:
        assert block.loc is not None and block.loc.path == "x.md"
        assert 1 <= block.loc.line <= len(lines)
        if getattr(block, "text", ""):
            assert _shows(lines[block.loc.line - 1], block.text), (name, block.loc, block.text)
        items = getattr(block, "items", None) or getattr(block, "takeaways", None) or ()
        lists = [items, *[c.items for c in getattr(block, "columns", ())]]
        for each_list in lists:
            previous = 0
            for item in each_list:
                for each in item.walk():
                    assert each.loc is not None and each.loc.line >= block.loc.line
                    line = lines[each.loc.line - 1]
                    assert _shows(line, each.text), (name, each.loc.line, line, each.text)
                    checked += 1
                assert item.loc.line >= previous, (name, item.text)
                previous = item.loc.line
    assert checked or not any(
        getattr(b, "items", None) or getattr(b, "takeaways", None) or getattr(b, "columns", ())
        for b in summary.body)
