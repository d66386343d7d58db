"""The pytest plugin of the conformance kit (entry point ``pytest11``): its fixtures.

- ``gfmd_plugins(*plugins, only=None, block=())``: a fresh plugin manager (see
  :func:`gfmdreport.testing.make_plugins`), which the calls that take no ``plugins=``
  (``gfmdreport.render`` and the rest) also use until the test ends.
- ``gfmd_examples``: every example summary, by name.
- ``gfmd_example``: each example summary in turn (the test runs once per example).
- ``gfmd_cli(*args, plugins=None, input=None)``: run the ``gfmdreport`` command line
  in-process; returns click's ``Result`` (``exit_code``, ``stdout``, ``stderr``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gfmdreport.testing import make_plugins
from gfmdreport.testing.examples import NAMES
from gfmdreport.testing.examples import example_summaries
from gfmdreport.testing.examples import example_summary


@pytest.fixture
def gfmd_plugins() -> Iterator[Any]:
    from gfmdreport import pipeline

    previous = pipeline._default

    def make(*plugins: Any, only: Any = None, block: Any = ()) -> Any:
        made = make_plugins(*plugins, only=only, block=block)
        pipeline.set_default_plugins(made)
        return made

    yield make
    pipeline.set_default_plugins(previous)


@pytest.fixture(scope="session")
def gfmd_examples() -> Any:
    return example_summaries()


@pytest.fixture(params=NAMES)
def gfmd_example(request: pytest.FixtureRequest) -> Any:
    return example_summary(request.param)


@pytest.fixture
def gfmd_cli() -> Any:
    from click.testing import CliRunner

    from gfmdreport.cli import build_cli
    from gfmdreport.pipeline import default_plugins

    def run(*args: Any, plugins: Any = None, input: str | bytes | None = None) -> Any:
        cli = build_cli(plugins or default_plugins())
        return CliRunner().invoke(cli, [str(a) for a in args], input=input,
                                  prog_name="gfmdreport")

    return run
