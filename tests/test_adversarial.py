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
