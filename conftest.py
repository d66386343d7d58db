"""What every test of the repository shares: in CI, a skipped test is a failure.

A test skips when a program it reads our output with is missing (LibreOffice, pandoc,
poppler, Chromium). On a developer's machine that is a skip with its reason; in CI,
where `.ci/run` installs them all and sets ``GFMDREPORT_NO_SKIPS=1``, it means a check
did not run, so it fails the run instead of passing in silence.
"""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and os.environ.get("GFMDREPORT_NO_SKIPS") and \
            not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else \
            str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where no test may be skipped: {reason}"
    return report
