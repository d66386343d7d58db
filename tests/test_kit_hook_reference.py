"""docs/plugins.md: its hook reference is generated from gfmdreport/hooks/specs.py, every
hook is documented there and every hook has a test named test_hook_<name>."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys

import pytest

from conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"


@pytest.fixture(scope="module")
def gen_hooks():
    spec = importlib.util.spec_from_file_location("gen_hooks", ROOT / "docs" / "gen_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hooks(gen_hooks):
    return [name for name, _, _ in gen_hooks.hookspecs()]


def test_the_reference_is_current(gen_hooks):
    text = GUIDE.read_text(encoding="utf-8")
    assert gen_hooks.updated(text) == text, "run: python docs/gen_hooks.py"
    result = subprocess.run([sys.executable, ROOT / "docs" / "gen_hooks.py", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_stale_reference_is_caught_and_rewritten(gen_hooks):
    text = GUIDE.read_text(encoding="utf-8")
    stale = text.replace("Provide output formats.", "Provide output formats (old text).", 1)
    assert stale != text
    assert gen_hooks.updated(stale) == text
    no_markers = text.replace(gen_hooks.BEGIN, "")
    with pytest.raises(SystemExit, match="markers are missing"):
        gen_hooks.updated(no_markers)


def test_every_hook_is_documented_and_nothing_else(hooks):
    text = GUIDE.read_text(encoding="utf-8")
    reference = text[text.index("<!-- hook reference"):]
    documented = re.findall(r"^### `(\w+)`$", reference, re.MULTILINE)
    assert documented == hooks
    assert set(hooks) >= {"register_readers", "register_writers", "register_rules",
                          "detect_format", "prepare_summary", "register_commands"}


def test_every_hook_has_a_test_of_its_own(hooks):
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names |= {node.name for node in ast.walk(tree)
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    missing = [hook for hook in hooks if f"test_hook_{hook}" not in names]
    assert not missing, f"hooks without a test_hook_<name> test under tests/: {missing}"


def test_the_guide_shows_firstresult_and_code_blocks(gen_hooks):
    reference = gen_hooks.reference()
    section = reference[reference.index("### `detect_format`"):]
    assert section.split("\n\n")[2].startswith("*first result wins")
    assert "```python\n@hookimpl\ndef register_writers(register):" in reference
    assert ".. code-block::" not in reference and ":class:" not in reference
