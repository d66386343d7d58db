"""The adversarial corpus (tests/adversarial/): every case, every reader and writer.

Each case runs in its own sandbox with a time limit (see tests/adversarial/runner.py)
and must end as its manifest entry says, with no crash, no hang, no partial output and
no write outside the output folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "adversarial"
sys.path.insert(0, str(HERE))

import runner  # noqa: E402

CASES = runner.load_cases()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60
    files = {c.file for c in CASES if c.file}
    on_disk = {p.name for p in HERE.iterdir() if p.is_file() and p.suffix not in
               (".py", ".toml", ".pyc")}
    assert files == on_disk, "every file of the corpus has a case, every case its file"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case(case, tmp_path):
    outcome = runner.run_case(case, tmp_path / "work")
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    if not outcome.passed:
        pytest.fail(outcome.explain(), pytrace=False)


# ---- the runner sees what it looks for ----------------------------------------------------------

def _sleep(text, path=None):
    import time

    time.sleep(60)


def _raise(text, path=None):
    raise KeyError("boom")


def _segfault(text, path=None):
    import os
    import signal

    os.kill(os.getpid(), signal.SIGSEGV)


def _write_outside(text, path=None):
    from gfmdreport.formats.interchange.shape import read_yaml

    Path("stray.txt").write_text("x")  # the working directory, WORK/cwd
    return read_yaml(text, path)


def _half_written(target, data):
    Path(target).write_bytes(data[:10])
    raise OSError("disk full")


@pytest.mark.parametrize(("patch", "expect", "seen"), [
    ("read", _raise, "crashes"),
    ("read", _segfault, "crashes"),
    ("read", _sleep, "hang"),
    ("read", _write_outside, "escapes"),
    ("write_atomic", _half_written, "partial"),
])
def test_the_runner_sees_what_it_looks_for(patch, expect, seen, monkeypatch, tmp_path):
    from gfmdreport import files
    from gfmdreport.formats.interchange import yaml_format

    monkeypatch.setattr(yaml_format if patch == "read" else files, patch, expect)
    case = runner.Case("probe", "", generate="example_yaml", readers=("yaml",),
                       writers=("md",), timeout=3)
    outcome = runner.run_case(case, tmp_path / "work")
    assert not outcome.passed
    assert getattr(outcome, seen), outcome.explain()


def test_the_runner_sees_an_outcome_other_than_declared(tmp_path):
    case = runner.Case("probe", "", generate="example_yaml", readers=("yaml",),
                       writers=("md",), expect="error:yaml-syntax")
    outcome = runner.run_case(case, tmp_path / "work")
    assert outcome.mismatches and not outcome.crashes, outcome.explain()
