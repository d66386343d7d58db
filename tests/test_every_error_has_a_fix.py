"""Every diagnostic that stops rendering says how to fix it: each reader error of the
formats this checks and each rule's finding is built with a hint (a walk over the
source), and each rule's failing fixture reports its errors with one, in text, JSON and
GitHub output alike."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdreport import load
from gfmdreport import validate
from gfmdreport.cli import build_cli
from gfmdreport.diagnostics import Severity
from gfmdreport.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gfmdreport"
CHECKED = [
    *sorted((PACKAGE / "formats" / "interchange").glob("*.py")),
    *sorted((PACKAGE / "formats" / "markdown").glob("*.py")),
    *sorted((PACKAGE / "formats" / "text").glob("*.py")),
    *sorted((PACKAGE / "recognize").glob("*.py")),
    *sorted((PACKAGE / "rules").glob("*.py")),
    PACKAGE / "pipeline.py",
]
# the callable, and the place of the hint among its positional arguments
_BUILDERS = {"error": 3, "single": 3, "fail": 3}


def _calls(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _BUILDERS:
            yield name, node, _BUILDERS[name]
        elif name == "Finding" and path.parent.name == "rules":
            yield name, node, 2


def test_every_error_is_built_with_a_fix():
    missing = []
    for path in CHECKED:
        for name, node, hint_at in _calls(path):
            if any(k.arg == "hint" for k in node.keywords) or len(node.args) > hint_at:
                continue
            if any(isinstance(a, ast.Starred) for a in node.args):
                continue
            missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(…) has no hint")
    assert missing == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_s_findings_have_a_fix(rule, plugins):
    fixture = ROOT / "tests" / "rules" / f"{rule.id}-fail.yaml"
    if not fixture.is_file():
        pytest.skip("a rule the YAML reader cannot feed")
    found = [
        d
        for d in validate(load(fixture, plugins=plugins), plugins=plugins, config={})
        if d.rule == rule.id
    ]
    assert found
    for diagnostic in found:
        assert diagnostic.hint, str(diagnostic)
        assert str(diagnostic).endswith(f"({diagnostic.hint})")
        assert json.loads(json.dumps(diagnostic.to_dict()))["hint"] == diagnostic.hint


@pytest.mark.parametrize(
    "text",
    [
        "title: x\n\tsession: y\nbody: []\n",
        "title: [unclosed\nbody: []\n",
        "title: x\nvenu: y\ndate: someday\nbody: []\n",
        "body:\n  - paragraf: x\n  - heading: [a]\n",
        "chair: 3\nbody: []\n",
    ],
)
def test_reader_errors_in_yaml_have_a_fix(text, plugins, tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text(text)
    cli = build_cli(plugins)
    for output in ("text", "json", "github"):
        result = CliRunner().invoke(cli, ["validate", "--format", output, str(notes)])
        assert result.exit_code == 1
        if output == "json":
            errors = [
                d
                for d in json.loads(result.stdout)["diagnostics"]
                if d["severity"] == Severity.ERROR.value
            ]
            assert errors and all(d["hint"] for d in errors)
        else:
            lines = [
                line
                for line in result.stdout.splitlines()
                if "error[" in line or line.startswith("::error")
            ]
            assert lines and all(line.endswith(")") for line in lines), lines
