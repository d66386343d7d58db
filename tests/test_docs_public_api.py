"""docs/plugins.md documents the whole public API: every name exported by `gfmdreport`
and `gfmdreport.testing`, every label key, and every attribute of the model and label
that the plugin templates of `gfmdreport plugin new` and the plugins in plugins/ use."""

from __future__ import annotations

import ast
import dataclasses
import re

import pytest

import gfmdreport
import gfmdreport.testing
from gfmdreport.labels import KEYS
from gfmdreport.scaffold import KINDS
from gfmdreport.scaffold import names_for
from gfmdreport.scaffold import render_files

from conftest import ROOT

GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([^`\s(]+)(?:\([^`]*\))?`", GUIDE)) | \
    {word for span in re.findall(r"`([^`]+)`", GUIDE) for word in re.findall(r"\w+", span)}

MODEL_CLASSES = (gfmdreport.SessionSummary, gfmdreport.Person, gfmdreport.Paragraph,
                 gfmdreport.Heading, gfmdreport.Question, gfmdreport.SummaryTable,
                 gfmdreport.Column, gfmdreport.Item, gfmdreport.Run, gfmdreport.Diagnostic,
                 gfmdreport.Location, gfmdreport.Writer, gfmdreport.Reader, gfmdreport.Rule,
                 gfmdreport.Finding, gfmdreport.Option, gfmdreport.Language)


def public_attributes() -> set[str]:
    names = set()
    for cls in MODEL_CLASSES:
        names |= {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}
        names |= {n for n, v in vars(cls).items() if not n.startswith("_") and
                  (isinstance(v, (property, classmethod, staticmethod)) or callable(v))}
    return names - {"loc", "plugin"}


def plugin_sources() -> dict[str, str]:
    """The code third parties start from or read: the scaffold's templates, rendered,
    and the plugins shipped in plugins/."""
    sources = {}
    for kind in KINDS:
        for path, text in render_files(names_for("demo", kind)).items():
            if path.endswith(".py"):
                sources[f"template {kind}: {path}"] = text
    for path in ROOT.glob("plugins/*/gfmdreport_*/*.py"):
        sources[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return sources


@pytest.mark.parametrize("name", sorted(set(gfmdreport.__all__) - {"__version__"}))
def test_every_public_name_is_documented(name):
    assert name in DOCUMENTED, f"docs/plugins.md does not mention `{name}`"


@pytest.mark.parametrize("name", sorted(gfmdreport.testing.__all__))
def test_every_name_of_the_kit_is_documented(name):
    assert name in DOCUMENTED, f"docs/plugins.md does not mention `{name}`"


@pytest.mark.parametrize("key", KEYS)
def test_every_label_key_is_documented(key):
    assert key in DOCUMENTED, f"docs/plugins.md does not mention the label `{key}`"


def test_what_plugins_and_templates_use_is_documented():
    attributes = public_attributes()
    missing = set()
    for where, text in plugin_sources().items():
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in attributes and \
                    node.attr not in DOCUMENTED:
                missing.add((where, node.attr))
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                    isinstance(node.slice.value, str) and node.slice.value in KEYS and \
                    node.slice.value not in DOCUMENTED:
                missing.add((where, node.slice.value))
            if isinstance(node, ast.ImportFrom) and node.module in ("gfmdreport",
                                                                   "gfmdreport.testing"):
                missing |= {(where, a.name) for a in node.names if a.name not in DOCUMENTED}
    assert not missing, f"used but not documented in docs/plugins.md: {sorted(missing)}"


def test_the_check_sees_an_undocumented_attribute():
    """The test above fails for an attribute the guide never names."""
    assert "display_name" in public_attributes()
    assert "no_such_attribute_anywhere" not in DOCUMENTED


def test_the_guide_counts_the_long_examples_paragraphs_right():
    from gfmdreport.testing import example_summary

    count = int(re.search(r"`long` \((\d+) paragraphs", GUIDE.replace("\n", " ")).group(1))
    assert count == len(example_summary("long").paragraphs)
